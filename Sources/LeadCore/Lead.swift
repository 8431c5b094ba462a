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
