/// The kind of place a lead list came from. Where a lead came from matters: partners and referrals
/// produce prospects, purchased lists often do not.
public enum SourceKind: String, Codable, Sendable, CaseIterable, Hashable {
    case webinar
    case titleSearch = "title-search"
    case purchasedList = "purchased-list"
    case referral
    case partner
    case event
    case contactsExport = "contacts-export"
    case other
}

/// Where a record says it came from: a named list and its kind.
public struct LeadSource: Codable, Sendable, Hashable {
    public var name: String
    public var kind: SourceKind
    public init(name: String, kind: SourceKind) {
        self.name = name
        self.kind = kind
    }
}

/// Name parts of a person. `display` is the name as written ("Dr. Ann van der Berg").
public struct PersonName: Codable, Sendable, Hashable {
    public var prefix: String?
    public var given: String?
    public var middle: String?
    public var family: String?
    public var suffix: String?
    public var display: String?

    public init(
        prefix: String? = nil, given: String? = nil, middle: String? = nil, family: String? = nil,
        suffix: String? = nil, display: String? = nil
    ) {
        self.prefix = prefix
        self.given = given
        self.middle = middle
        self.family = family
        self.suffix = suffix
        self.display = display
    }

    /// True when no part is known.
    public var isEmpty: Bool {
        [prefix, given, middle, family, suffix, display].allSatisfy { ($0 ?? "").isEmpty }
    }

    /// The display name, or the parts joined when no display name was given.
    public var best: String? {
        if let display, !display.isEmpty { return display }
        let joined = [prefix, given, middle, family, suffix].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }
}

public enum EmailKind: String, Codable, Sendable, Hashable, CaseIterable {
    case work, personal, other
}

/// An e-mail address as written plus its normalized form.
public struct EmailAddress: Codable, Sendable, Hashable {
    /// The value as it appeared in the input.
    public var raw: String
    /// Trimmed, lower-cased address; nil when the raw text is not an address.
    public var normalized: String?
    public var kind: EmailKind
    /// Comparison key (normalization stage may strip provider-ignored dots and +tags); nil if unusable.
    public var key: String?
    /// Flags set by normalization: "invalid", "role", "free-mail", "disposable".
    public var flags: Set<String>

    public init(raw: String, normalized: String? = nil, kind: EmailKind = .other, key: String? = nil, flags: Set<String> = []) {
        self.raw = raw
        self.normalized = normalized
        self.kind = kind
        self.key = key
        self.flags = flags
    }
}

public enum PhoneKind: String, Codable, Sendable, Hashable, CaseIterable {
    case mobile, work, home, fax, other
}

/// A phone number as written plus its normalized (E.164) form when known.
public struct PhoneNumber: Codable, Sendable, Hashable {
    public var raw: String
    public var normalized: String?
    public var kind: PhoneKind
    public var `extension`: String?
    public var flags: Set<String>

    public init(raw: String, normalized: String? = nil, kind: PhoneKind = .other, extension: String? = nil, flags: Set<String> = []) {
        self.raw = raw
        self.normalized = normalized
        self.kind = kind
        self.extension = `extension`
        self.flags = flags
    }
}

public struct Location: Codable, Sendable, Hashable {
    public var city: String?
    public var region: String?
    public var country: String?
    /// ISO 3166 alpha-2, set by normalization.
    public var countryCode: String?

    public init(city: String? = nil, region: String? = nil, country: String? = nil, countryCode: String? = nil) {
        self.city = city
        self.region = region
        self.country = country
        self.countryCode = countryCode
    }

    public var isEmpty: Bool { [city, region, country, countryCode].allSatisfy { ($0 ?? "").isEmpty } }
}

/// Where one record came from: enough to find it again in the original file.
public struct Provenance: Codable, Sendable, Hashable {
    /// File name as given (last path component).
    public var fileName: String
    /// Path as given on the command line or found in a folder.
    public var filePath: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public var fileSHA256: String
    /// 1-based ordinal of the person record in document order, counting records that failed.
    public var record: Int
    /// 1-based line where the record starts.
    public var line: Int
    /// Identifier of the importer (or preset) that read the record.
    public var importer: String
    /// The workbook sheet of a spreadsheet's record (`line` is then its row number); nil otherwise.
    public var sheet: String?

    public init(fileName: String, filePath: String, fileSHA256: String, record: Int, line: Int, importer: String, sheet: String? = nil) {
        self.fileName = fileName
        self.filePath = filePath
        self.fileSHA256 = fileSHA256
        self.record = record
        self.line = line
        self.importer = importer
        self.sheet = sheet
    }
}

/// An input field that maps to no lead field: kept, never dropped silently.
public struct ExtraField: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One normalized lead record: what every importer produces and every later stage consumes.
///
/// Importers fill what they read (raw values); the normalization stage fills the normalized forms
/// next to them. Nothing from the input is thrown away: unmapped columns live in ``extras``.
public struct LeadRecord: Codable, Sendable, Hashable {
    public var name: PersonName
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var company: String?
    public var title: String?
    public var website: String?
    /// Registrable domain of the company (from website or work e-mail), set by normalization.
    public var domain: String?
    public var socialProfiles: [String]
    public var location: Location
    public var source: LeadSource
    public var referredBy: String?
    public var notes: [String]
    public var tags: [String]
    public var extras: [ExtraField]
    /// Facts an importer knows about the record beyond the person (attendance, durations, version).
    public var attributes: [String: String]
    /// Comparison keys and derived facts from normalization (name keys, company key, seniority...).
    public var derived: [String: String]
    public var provenance: Provenance

    public init(
        name: PersonName = PersonName(), emails: [EmailAddress] = [], phones: [PhoneNumber] = [],
        company: String? = nil, title: String? = nil, website: String? = nil, domain: String? = nil,
        socialProfiles: [String] = [], location: Location = Location(), source: LeadSource,
        referredBy: String? = nil, notes: [String] = [], tags: [String] = [], extras: [ExtraField] = [],
        attributes: [String: String] = [:], derived: [String: String] = [:], provenance: Provenance
    ) {
        self.name = name
        self.emails = emails
        self.phones = phones
        self.company = company
        self.title = title
        self.website = website
        self.domain = domain
        self.socialProfiles = socialProfiles
        self.location = location
        self.source = source
        self.referredBy = referredBy
        self.notes = notes
        self.tags = tags
        self.extras = extras
        self.attributes = attributes
        self.derived = derived
        self.provenance = provenance
    }

    /// True when the record names, reaches or identifies a person: a name, an e-mail, a phone, a
    /// profile, or a national id (``IdentityKeys/nationalID`` attribute).
    public var hasPersonData: Bool {
        !name.isEmpty || !emails.isEmpty || !phones.isEmpty || !socialProfiles.isEmpty
            || !(attributes[IdentityKeys.nationalID] ?? "").trimmingWhitespace().isEmpty
    }
}
