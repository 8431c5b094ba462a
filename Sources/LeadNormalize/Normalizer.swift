public import LeadCore
import Confusables
import Foundation
import PhoneNumbers

/// The normalization stage: fills the normalized form next to every raw value of a record.
///
/// Pure and `Sendable`: the same input always gives the same output, so records can be normalized on
/// any thread. Returns warnings about values it could not use (never with the full value in them).
///
/// Keys it writes to ``LeadRecord/derived`` (matching and scoring read them):
/// - `name.given.key`, `name.family.key`: folded (case, accents, look-alike letters) first given name and family name
/// - `name.given.canonical`: nickname-canonical given name ("bob" → "robert")
/// - `name.phonetic`: Soundex of the family name
/// - `name.flags`: comma-separated name findings (split-display, last-first, swapped, proper-cased, mixed-script)
/// - `company.key`, `company.acronym`: company comparison key without legal forms; its acronym
/// - `title.seniority`: owner, c-level, vp, director, head, manager, individual, student; `title.seniority.rule`
/// - `title.department`: marketing, sales, finance, engineering, it, hr, operations, product, legal,
///   customer-success, executive; `title.department.rule`
/// - `email.free-mail`: "true" when every usable address is free-mail
/// - `domain.source`: "website" or "email" (where ``LeadRecord/domain`` came from)
/// - identity facts from attributes (``IdentityKeys``): `person.birth-date` (YYYYMMDD), `person.national-id`
///   and `address.postcode` (upper-case letters and digits), `address.street-address` (folded
///   "number street")
public struct Normalizer: Sendable {
    /// Region for national phone numbers when neither the number nor the record says (ISO alpha-2).
    public var defaultRegion: String?
    private let phones: PhoneNormalizer

    public init(defaultRegion: String? = nil) {
        self.defaultRegion = defaultRegion
        phones = PhoneNormalizer()
    }

    public func normalize(_ input: LeadRecord) -> (LeadRecord, [Issue]) {
        var record = input
        var issues: [Issue] = []
        func location(_ field: String) -> SourceLocation {
            SourceLocation(file: record.provenance.fileName, line: record.provenance.line, record: record.provenance.record, field: field)
        }

        // Countries first: phone numbers need the region.
        if let country = record.location.country?.trimmingWhitespace(), !country.isEmpty, record.location.countryCode == nil {
            if let code = Countries.code(for: country) {
                record.location.countryCode = code
            } else if country != "--" {
                issues.append(Issue(.info, "country.unknown", "unknown country \"\(country)\"", at: location("country")))
            }
        }

        // Names.
        let nameFlags = NameNormalizer.normalize(&record.name)
        if !nameFlags.isEmpty { record.derived["name.flags"] = nameFlags.sorted().joined(separator: ",") }
        if nameFlags.contains("mixed-script") {
            issues.append(Issue(
                .warning, "name.mixed-script", "name mixes scripts (look-alike letters from another alphabet)", at: location("name")))
        }
        for (key, value) in NameNormalizer.keys(record.name) { record.derived[key] = value }

        // E-mails.
        record.emails = splitMultiValues(record.emails).map { email in
            var email = email
            guard let normalized = EmailSyntax.normalize(email.raw) else {
                email.flags.insert("invalid")
                issues.append(Issue(.warning, "email.invalid", "not an e-mail address: \(Redact.email(email.raw))", at: location("email")))
                return email
            }
            email.normalized = normalized
            email.key = EmailRules.key(normalized)
            let domain = String(normalized[normalized.index(after: normalized.lastIndex(of: "@")!)...])
            if EmailRules.freeMail.contains(domain) { email.flags.insert("free-mail") }
            if EmailRules.disposable.contains(domain) {
                email.flags.insert("disposable")
                issues.append(Issue(.warning, "email.disposable", "disposable address \(Redact.email(normalized))", at: location("email")))
            }
            if Nicknames.isRoleLocalPart(normalized) { email.flags.insert("role") }
            if email.kind == .other { email.kind = email.flags.contains("free-mail") ? .personal : .work }
            return email
        }
        let usable = record.emails.filter { $0.normalized != nil }
        if !usable.isEmpty && usable.allSatisfy({ $0.flags.contains("free-mail") }) { record.derived["email.free-mail"] = "true" }

        // Phones.
        let region = record.location.countryCode ?? record.attributes["source.default-country"] ?? defaultRegion
        for index in record.phones.indices {
            let raw = record.phones[index].raw
            let outcome = phones.normalize(raw, region: region)
            record.phones[index].normalized = outcome.e164
            record.phones[index].extension = record.phones[index].extension ?? outcome.extension
            record.phones[index].flags.formUnion(outcome.flags)
            if let type = outcome.lineType {
                switch type {
                case .mobile: if record.phones[index].kind == .other { record.phones[index].kind = .mobile }
                case .tollFree: record.phones[index].flags.insert("toll-free")
                case .fixedLine: record.phones[index].flags.insert("fixed-line")
                default: break
                }
            }
            if outcome.e164 == nil {
                let why = outcome.flags.contains("excel-scientific") ? "damaged by a spreadsheet (scientific notation)"
                    : outcome.flags.contains("no-region") ? "national number and no country to read it in"
                    : "not a valid phone number"
                issues.append(Issue(.warning, "phone.invalid", "phone \(Redact.phone(raw)): \(why); kept as written", at: location("phone")))
            } else if record.location.countryCode == nil, let numberRegion = outcome.region, numberRegion != "ZZ" {
                record.derived["phone.region"] = numberRegion
            }
        }

        // Company and domain.
        if let company = record.company?.trimmingWhitespace(), !company.isEmpty {
            record.company = company.precomposedStringWithCanonicalMapping
            let key = CompanyNormalizer.key(company)
            if !key.isEmpty { record.derived["company.key"] = key }
            if let acronym = CompanyNormalizer.acronym(company, key: key) { record.derived["company.acronym"] = acronym }
        }
        if record.domain == nil, let website = record.website, let host = CompanyNormalizer.host(of: website) {
            record.domain = CompanyNormalizer.registrableDomain(host)
            if record.domain != nil { record.derived["domain.source"] = "website" }
        }
        if record.domain == nil,
           let work = usable.first(where: { !$0.flags.contains("free-mail") && !$0.flags.contains("disposable") }),
           let normalized = work.normalized, let host = CompanyNormalizer.host(of: normalized)
        {
            record.domain = CompanyNormalizer.registrableDomain(host)
            if record.domain != nil { record.derived["domain.source"] = "email" }
        }

        // Identity facts (date of birth, national id, postal address) kept as attributes.
        for (key, value) in IdentityKeys.keys(attributes: record.attributes) { record.derived[key] = value }

        // Title.
        if let title = record.title?.trimmingWhitespace(), !title.isEmpty, let result = TitleClassifier.classify(title) {
            record.derived["title.seniority"] = result.seniority.rawValue
            record.derived["title.seniority.rule"] = result.seniorityRule
            if let department = result.department {
                record.derived["title.department"] = department
                record.derived["title.department.rule"] = result.departmentRule
            }
        }
        return (record, issues)
    }

    private func splitMultiValues(_ emails: [EmailAddress]) -> [EmailAddress] {
        var result: [EmailAddress] = []
        for email in emails {
            let parts = email.raw.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " })
                .map(String.init).filter { $0.contains("@") }
            if parts.count > 1 {
                for part in parts where !result.contains(where: { $0.raw == part }) { result.append(EmailAddress(raw: part, kind: email.kind)) }
            } else {
                result.append(email)
            }
        }
        return result
    }
}
