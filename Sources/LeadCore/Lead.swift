/// A lead as the store keeps it: the surviving value of every field, merged from its source records.
public struct Lead: Codable, Sendable, Hashable {
    public var name: PersonName
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var company: String?
    public var title: String?
    public var website: String?
    public var domain: String?
    public var socialProfiles: [String]
    public var location: Location
    public var sources: [LeadSource]
    public var referredBy: String?
    public var tags: [String]
    public var notes: [String]
    /// Number of source records merged into this lead.
    public var recordCount: Int
    /// Comparison keys and derived facts carried from normalization.
    public var derived: [String: String]
    /// Other names this person was seen under ("Bob Smith" for "Robert Smith").
    public var aliases: [String] = []
    /// Earlier employment, oldest first: a job change keeps the old company and title here.
    public var history: [Employment] = []
    /// For each surviving field, the source record it came from ("file.csv#12").
    public var fieldSources: [String: String] = [:]

    public init(record: LeadRecord) {
        name = record.name
        emails = record.emails
        phones = record.phones
        company = record.company
        title = record.title
        website = record.website
        domain = record.domain
        socialProfiles = record.socialProfiles
        location = record.location
        sources = [record.source]
        referredBy = record.referredBy
        tags = record.tags
        notes = record.notes
        recordCount = 1
        derived = record.derived
        let origin = record.provenance.fileName + "#" + String(record.provenance.record)
        for field in Lead.trackedFields where Lead.value(of: field, in: record) != nil { fieldSources[field] = origin }
    }

    /// Single-valued fields whose origin is tracked in ``fieldSources``.
    public static let trackedFields = [
        "name.prefix", "name.given", "name.middle", "name.family", "name.suffix", "name.display", "company", "title",
        "website", "domain", "referredBy", "location.city", "location.region", "location.country",
    ]

    /// The value of a tracked field in a record (nil when blank).
    public static func value(of field: String, in record: LeadRecord) -> String? {
        let value: String?
        switch field {
        case "name.prefix": value = record.name.prefix
        case "name.given": value = record.name.given
        case "name.middle": value = record.name.middle
        case "name.family": value = record.name.family
        case "name.suffix": value = record.name.suffix
        case "name.display": value = record.name.display
        case "company": value = record.company
        case "title": value = record.title
        case "website": value = record.website
        case "domain": value = record.domain
        case "referredBy": value = record.referredBy
        case "location.city": value = record.location.city
        case "location.region": value = record.location.region
        case "location.country": value = record.location.country
        default: value = nil
        }
        return (value ?? "").isEmpty ? nil : value
    }

    /// The best e-mail to show: a usable work address first, then any usable one, then any.
    public var primaryEmail: EmailAddress? {
        emails.first { $0.kind == .work && $0.normalized != nil && !$0.flags.contains("role") }
            ?? emails.first { $0.normalized != nil } ?? emails.first
    }

    public var primaryPhone: PhoneNumber? {
        phones.first { $0.normalized != nil } ?? phones.first
    }
}

/// A past job of a lead.
public struct Employment: Codable, Sendable, Hashable {
    public var company: String?
    public var title: String?
    /// Source record that last showed this job ("file.csv#12").
    public var seenIn: String?
    public init(company: String?, title: String?, seenIn: String?) {
        self.company = company
        self.title = title
        self.seenIn = seenIn
    }
}
