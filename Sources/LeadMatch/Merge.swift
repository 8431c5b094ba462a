public import LeadCore

/// Survivorship for the foundation: never replace a value with a blank, keep the first value of a
/// single-valued field, keep every distinct e-mail, phone, profile, tag, note and source.
public enum LeadMerger {
    public static func merge(_ record: LeadRecord, into lead: inout Lead) {
        func fill(_ target: inout String?, _ value: String?) {
            if (target ?? "").isEmpty, let value, !value.isEmpty { target = value }
        }
        fill(&lead.name.prefix, record.name.prefix)
        fill(&lead.name.given, record.name.given)
        fill(&lead.name.middle, record.name.middle)
        fill(&lead.name.family, record.name.family)
        fill(&lead.name.suffix, record.name.suffix)
        fill(&lead.name.display, record.name.display)
        fill(&lead.company, record.company)
        fill(&lead.title, record.title)
        fill(&lead.website, record.website)
        fill(&lead.domain, record.domain)
        fill(&lead.referredBy, record.referredBy)
        fill(&lead.location.city, record.location.city)
        fill(&lead.location.region, record.location.region)
        fill(&lead.location.country, record.location.country)
        fill(&lead.location.countryCode, record.location.countryCode)
        for email in record.emails {
            let key = email.key ?? email.normalized ?? email.raw
            if !lead.emails.contains(where: { ($0.key ?? $0.normalized ?? $0.raw) == key }) { lead.emails.append(email) }
        }
        for phone in record.phones {
            let key = phone.normalized ?? phone.raw
            if !lead.phones.contains(where: { ($0.normalized ?? $0.raw) == key }) { lead.phones.append(phone) }
        }
        appendNew(record.socialProfiles, to: &lead.socialProfiles)
        appendNew(record.tags, to: &lead.tags)
        appendNew(record.notes, to: &lead.notes)
        appendNew([record.source], to: &lead.sources)
        for (key, value) in record.derived where lead.derived[key] == nil { lead.derived[key] = value }
        lead.recordCount += 1
    }

    private static func appendNew<T: Equatable>(_ values: [T], to list: inout [T]) {
        for value in values where !list.contains(value) { list.append(value) }
    }
}
