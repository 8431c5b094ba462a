public import LeadCore

/// Survivorship: how a record's values combine with the lead it joins.
///
/// - Never replace a value with a blank.
/// - Names: the most complete value wins (a full given name replaces an initial); other spellings are
///   kept as aliases.
/// - Company and title: the newest record wins (records are merged in import order); on a job change
///   (a different company) the previous company and title move to the lead's employment history.
/// - Location, website, referrer: newest non-blank value.
/// - E-mails, phones, profiles, tags, notes and sources: every distinct value is kept, with its type.
/// - Every surviving single value records the source record it came from (`fieldSources`).
public enum LeadMerger {
    public static func merge(_ record: LeadRecord, into lead: inout Lead) {
        let origin = record.provenance.fileName + "#" + String(record.provenance.record)

        func mostComplete(_ field: String, _ target: inout String?, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            let current = target ?? ""
            let currentIsInitial = current.filter(\.isLetter).count <= 1
            if current.isEmpty || (currentIsInitial && value.filter(\.isLetter).count > 1 && value.first == current.first) {
                target = value
                lead.fieldSources[field] = origin
            }
        }
        func newest(_ field: String, _ target: inout String?, _ value: String?) {
            guard let value, !value.isEmpty, target != value else { return }
            target = value
            lead.fieldSources[field] = origin
        }

        let before = lead.name.best
        mostComplete("name.prefix", &lead.name.prefix, record.name.prefix)
        mostComplete("name.given", &lead.name.given, record.name.given)
        mostComplete("name.middle", &lead.name.middle, record.name.middle)
        mostComplete("name.family", &lead.name.family, record.name.family)
        mostComplete("name.suffix", &lead.name.suffix, record.name.suffix)
        mostComplete("name.display", &lead.name.display, record.name.display)
        if let seen = record.name.best, seen != before, seen != lead.name.best, !lead.aliases.contains(seen) {
            lead.aliases.append(seen)
        }

        if let company = record.company, !company.isEmpty {
            if let current = lead.company, !current.isEmpty, CompanyKey.key(current) != CompanyKey.key(company) {
                // Job change: keep where the person was.
                let job = Employment(company: current, title: lead.title, seenIn: lead.fieldSources["company"])
                if !lead.history.contains(job) { lead.history.append(job) }
                lead.title = nil
                lead.domain = nil
                // What was derived from the old company, title and domain (keys, seniority) is the old job's.
                for field in ["company", "title", "domain"] { adoptDerived(field, from: [:], into: &lead) }
            }
            if let current = lead.company, CompanyKey.key(current) == CompanyKey.key(company) {
                // Same company: keep the better-written form (not ALL CAPS, then the longer).
                let currentCaps = current == current.uppercased(), newCaps = company == company.uppercased()
                if (currentCaps && !newCaps) || (currentCaps == newCaps && company.count > current.count) {
                    newest("company", &lead.company, company)
                }
            } else {
                newest("company", &lead.company, company)
            }
        }
        newest("title", &lead.title, record.title)
        newest("domain", &lead.domain, record.domain)
        newest("website", &lead.website, record.website)
        newest("referredBy", &lead.referredBy, record.referredBy)
        if !record.location.isEmpty {
            newest("location.city", &lead.location.city, record.location.city)
            newest("location.region", &lead.location.region, record.location.region)
            newest("location.country", &lead.location.country, record.location.country)
            if let code = record.location.countryCode { lead.location.countryCode = code }
        }

        // A value that this record gave the lead brings the values derived from it (comparison keys,
        // seniority...): the lead's derived values describe its current fields, not its first record's.
        for field in Self.derivedPrefixes.keys where lead.fieldSources[field] == origin {
            adoptDerived(field, from: record.derived, into: &lead)
        }

        mergeLists(emails: record.emails, phones: record.phones, socials: record.socialProfiles, into: &lead)
        appendNew(record.tags, to: &lead.tags)
        appendNew(record.notes, to: &lead.notes)
        appendNew([record.source], to: &lead.sources)
        for (key, value) in record.derived where lead.derived[key] == nil { lead.derived[key] = value }
        mergeIdentity(record.derived, into: &lead)
        lead.recordCount += 1
    }

    /// Normalization's values derived from a field (by the field's name in `fieldSources`): they
    /// travel with the field's value. Company facts (size, industry, revenue) are not derived from the
    /// name and stay, even on a job change.
    static let derivedPrefixes: [String: [String]] = [
        "name.given": ["name.given."], "name.family": ["name.family."], "company": ["company.key", "company.acronym"],
        "title": ["title."], "domain": ["domain."],
    ]

    /// Replaces the lead's values derived from `field` with those in `derived` (none: they are dropped).
    static func adoptDerived(_ field: String, from derived: [String: String], into lead: inout Lead) {
        let prefixes = derivedPrefixes[field] ?? []
        for key in lead.derived.keys where prefixes.contains(where: key.hasPrefix) { lead.derived[key] = nil }
        for (key, value) in derived where prefixes.contains(where: key.hasPrefix) { lead.derived[key] = value }
    }

    /// Merges lead `other` into `lead` (review accepted, or one person found split over two leads): the
    /// surviving lead keeps its values and gains every contact, alias, job, source and record of the
    /// other. With `otherIsNewer` (the other lead's latest record came after this one's), the other's
    /// employer and title are the current ones and this lead's move to the history, as when a record
    /// of a new job joins a lead.
    public static func merge(lead other: Lead, into lead: inout Lead, otherIsNewer: Bool = false) {
        if otherIsNewer, let company = other.company, !company.isEmpty,
           CompanyKey.key(company) != CompanyKey.key(lead.company ?? "")
        {
            if let current = lead.company, !current.isEmpty {
                let job = Employment(company: current, title: lead.title, seenIn: lead.fieldSources["company"])
                if !lead.history.contains(job) { lead.history.append(job) }
            }
            lead.history.removeAll { $0.company.map(CompanyKey.key) == CompanyKey.key(company) }
            let fields: [(String, WritableKeyPath<Lead, String?>)] = [("company", \.company), ("title", \.title), ("domain", \.domain)]
            for (field, path) in fields {
                lead[keyPath: path] = other[keyPath: path]
                lead.fieldSources[field] = other.fieldSources[field]
                adoptDerived(field, from: other.derived, into: &lead)
            }
        }
        var filled: [String] = []
        func fill(_ field: String, _ target: inout String?, _ value: String?) {
            if (target ?? "").isEmpty, let value, !value.isEmpty {
                target = value
                filled.append(field)
            }
        }
        fill("name.given", &lead.name.given, other.name.given)
        fill("name.family", &lead.name.family, other.name.family)
        fill("name.display", &lead.name.display, other.name.display)
        fill("company", &lead.company, other.company)
        fill("title", &lead.title, other.title)
        fill("domain", &lead.domain, other.domain)
        fill("website", &lead.website, other.website)
        fill("location.city", &lead.location.city, other.location.city)
        fill("location.country", &lead.location.country, other.location.country)
        for field in filled {
            if let source = other.fieldSources[field] { lead.fieldSources[field] = source }
            adoptDerived(field, from: other.derived, into: &lead)
        }
        if let name = other.name.best, name != lead.name.best, !lead.aliases.contains(name) { lead.aliases.append(name) }
        appendNew(other.aliases.filter { $0 != lead.name.best }, to: &lead.aliases)
        if let company = other.company, company != lead.company {
            let job = Employment(company: company, title: other.title, seenIn: other.fieldSources["company"])
            if !lead.history.contains(job) { lead.history.append(job) }
        }
        appendNew(other.history, to: &lead.history)
        mergeLists(emails: other.emails, phones: other.phones, socials: other.socialProfiles, into: &lead)
        appendNew(other.tags, to: &lead.tags)
        appendNew(other.notes, to: &lead.notes)
        appendNew(other.sources, to: &lead.sources)
        mergeIdentity(other.derived, into: &lead)
        lead.recordCount += other.recordCount
    }

    /// Identity facts (date of birth, national id, postcode, street address) keep every distinct
    /// value, so later records are compared with all of them (one list's typo does not hide the rest).
    static func mergeIdentity(_ derived: [String: String], into lead: inout Lead) {
        for key in IdentityKeys.derivedKeys {
            guard let value = derived[key], !value.isEmpty else { continue }
            lead.derived[key] = IdentityKeys.adding(value, to: lead.derived[key])
        }
    }

    static func mergeLists(emails: [EmailAddress], phones: [PhoneNumber], socials: [String], into lead: inout Lead) {
        for email in emails {
            let key = email.key ?? email.normalized ?? email.raw
            if !lead.emails.contains(where: { ($0.key ?? $0.normalized ?? $0.raw) == key }) { lead.emails.append(email) }
        }
        for phone in phones {
            let key = phone.normalized ?? phone.raw
            if !lead.phones.contains(where: { ($0.normalized ?? $0.raw) == key }) { lead.phones.append(phone) }
        }
        appendNew(socials, to: &lead.socialProfiles)
    }

    private static func appendNew<T: Equatable>(_ values: [T], to list: inout [T]) {
        for value in values where !list.contains(value) { list.append(value) }
    }
}
