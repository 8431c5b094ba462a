public import LeadCore

/// A lead field an input column (CSV header, HTML table header, XML child) can map to.
public enum LeadField: Sendable, Hashable, Codable {
    case namePrefix, givenName, middleName, familyName, nameSuffix, displayName
    case email(EmailKind)
    case phone(PhoneKind)
    case company, title, website, socialProfile
    case city, region, country
    case notes, tags, referredBy

    public var label: String {
        switch self {
        case .namePrefix: "name prefix"
        case .givenName: "given name"
        case .middleName: "middle name"
        case .familyName: "family name"
        case .nameSuffix: "name suffix"
        case .displayName: "name"
        case .email(let kind): "\(kind.rawValue) e-mail"
        case .phone(let kind): "\(kind.rawValue) phone"
        case .company: "company"
        case .title: "title"
        case .website: "website"
        case .socialProfile: "social profile"
        case .city: "city"
        case .region: "region"
        case .country: "country"
        case .notes: "notes"
        case .tags: "tags"
        case .referredBy: "referred by"
        }
    }
}

/// Header names → lead fields, compared case-, space- and punctuation-insensitively
/// (`E-mail Address`, `Email`, `email_address` and `EmailAddress` are one key: `emailaddress`).
public enum FieldSynonyms {
    /// Lower-cased letters and digits only.
    public static func key(_ header: String) -> String {
        // No header name is this long; a long value in a preamble or data row is not a header.
        guard header.utf8.count <= 256 else { return "" }
        var out = String.UnicodeScalarView()
        for scalar in header.unicodeScalars where scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
            out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(out)
    }

    private static let groups: [(LeadField, [String])] = [
        (.namePrefix, ["prefix", "nameprefix", "salutation", "honorific", "anrede", "civilite"]),
        (.givenName, ["firstname", "first", "givenname", "given", "forename", "fname", "prenom", "prénom", "vorname",
                      "nombre", "nome", "firstnames", "contactfirstname", "leadfirstname"]),
        (.middleName, ["middlename", "middle", "middleinitial", "additionalname", "othername"]),
        (.familyName, ["lastname", "last", "surname", "familyname", "family", "lname", "nom", "nachname", "apellido",
                       "apellidos", "cognome", "contactlastname", "leadlastname"]),
        (.nameSuffix, ["suffix", "namesuffix", "generation"]),
        (.displayName, ["name", "fullname", "displayname", "contactname", "contact", "username", "attendeename",
                        "participantname", "person", "personname", "leadname", "nameoriginalname", "usernameoriginalname",
                        "participant", "attendee", "registrantname", "formattedname", "fn"]),
        (.email(.other), ["email", "emailaddress", "mail", "email1", "emailaddress1", "primaryemail", "emailid",
                          "emailadresse", "courriel", "correo", "correoelectronico", "mailaddress", "attendeeemail",
                          "participantemail", "useremail", "registrantemail", "contactemail", "emailaddressoriginal",
                          "emails", "email2", "email3", "emailaddress2", "emailaddress3", "secondaryemail",
                          "otheremail", "alternateemail", "email2address", "email3address", "email1value",
                          "email2value", "email3value"]),
        (.email(.work), ["workemail", "businessemail", "companyemail", "officeemail", "corporateemail",
                         "professionalemail", "emailwork", "workemailaddress", "businessemailaddress"]),
        (.email(.personal), ["personalemail", "homeemail", "privateemail", "emailhome", "emailpersonal",
                             "personalemailaddress"]),
        (.phone(.other), ["phone", "phonenumber", "telephone", "tel", "telefon", "telephone1", "phone1", "phone2",
                          "phone3", "otherphone", "primaryphone", "contactphone", "phonenumbers", "telefono",
                          "numero", "number", "phone1value", "phone2value", "phone3value"]),
        (.phone(.mobile), ["mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "cellular", "handy",
                           "mobil", "portable", "mobilephonenumber"]),
        (.phone(.work), ["workphone", "businessphone", "officephone", "directphone", "directdial", "corporatephone",
                         "companyphone", "businessphone2", "workphonenumber", "directphonenumber", "phonework"]),
        (.phone(.home), ["homephone", "homephone2", "privatephone", "phonehome"]),
        (.phone(.fax), ["fax", "faxnumber", "businessfax", "homefax", "otherfax"]),
        (.company, ["company", "companyname", "organization", "organisation", "org", "employer", "account",
                    "accountname", "firm", "business", "businessname", "organizationname", "organisationname",
                    "firma", "unternehmen", "entreprise", "societe", "empresa", "currentcompany", "organization1name"]),
        (.title, ["title", "jobtitle", "position", "role", "designation", "job", "jobrole", "occupation",
                  "jobposition", "currenttitle", "organizationtitle", "organization1title", "funktion", "poste",
                  "cargo", "professionaltitle"]),
        (.website, ["website", "web", "url", "homepage", "companywebsite", "webpage", "site", "domain",
                    "companydomain", "websiteurl", "webaddress", "companyurl", "webpage1", "website1value"]),
        (.socialProfile, ["linkedin", "linkedinurl", "linkedinprofile", "linkedinprofileurl", "personlinkedinurl",
                          "profileurl", "profile", "twitter", "twitterurl", "facebook", "facebookurl", "xing",
                          "xingprofile", "socialprofile", "github"]),
        (.city, ["city", "town", "locality", "ort", "stadt", "ville", "ciudad", "businesscity", "homecity",
                 "mailingcity", "address1city", "workcity"]),
        (.region, ["state", "region", "province", "county", "stateprovince", "stateregion", "bundesland",
                   "businessstate", "mailingstate", "address1region", "stateorprovince"]),
        (.country, ["country", "countryregion", "countryregionname", "countryname", "nation", "land", "pays",
                    "pais", "businesscountry", "businesscountryregion", "mailingcountry", "address1country",
                    "countrycode"]),
        (.notes, ["notes", "note", "comments", "comment", "description", "remarks", "bemerkung"]),
        (.tags, ["tags", "tag", "labels", "label", "categories", "category", "groupmembership", "lists", "list"]),
        (.referredBy, ["referredby", "referrer", "referral", "referredbyname", "referringcontact", "introducedby"]),
    ]

    private static let table: [String: LeadField] = {
        var table: [String: LeadField] = [:]
        for (field, names) in groups {
            for name in names { table[key(name)] = field }
        }
        return table
    }()

    /// The field a header maps to, or nil (the column then stays in the record's extras).
    public static func field(forHeader header: String) -> LeadField? { table[key(header)] }
}

/// Builds a ``LeadRecord`` from (column, value) pairs; shared by table-shaped importers.
public struct RecordBuilder {
    public var record: LeadRecord
    public var raw: [ExtraField] = []
    private var nameSet = Set<String>()

    public init(source: LeadSource, provenance: Provenance) {
        record = LeadRecord(source: source, provenance: provenance)
    }

    /// Adds one value under `column`, mapped to `field` (nil: kept as an extra).
    public mutating func add(column: String, value rawValue: String, field: LeadField?) {
        raw.append(ExtraField(name: column, value: rawValue))
        let value = rawValue.trimmingWhitespace()
        guard !value.isEmpty else { return }
        guard let field else {
            record.extras.append(ExtraField(name: column, value: value))
            return
        }
        func setOnce(_ slot: inout String?) {
            if slot == nil || slot!.isEmpty {
                slot = value
            } else if slot != value {
                record.extras.append(ExtraField(name: column, value: value))
            }
        }
        switch field {
        case .namePrefix: setOnce(&record.name.prefix)
        case .givenName: setOnce(&record.name.given)
        case .middleName: setOnce(&record.name.middle)
        case .familyName: setOnce(&record.name.family)
        case .nameSuffix: setOnce(&record.name.suffix)
        case .displayName: setOnce(&record.name.display)
        case .email(let kind):
            if !record.emails.contains(where: { $0.raw == value }) { record.emails.append(EmailAddress(raw: value, kind: kind)) }
        case .phone(let kind):
            if !record.phones.contains(where: { $0.raw == value }) { record.phones.append(PhoneNumber(raw: value, kind: kind)) }
        case .company: setOnce(&record.company)
        case .title: setOnce(&record.title)
        case .website: setOnce(&record.website)
        case .socialProfile: if !record.socialProfiles.contains(value) { record.socialProfiles.append(value) }
        case .city: setOnce(&record.location.city)
        case .region: setOnce(&record.location.region)
        case .country: setOnce(&record.location.country)
        case .notes: record.notes.append(value)
        case .tags: record.tags.append(value)
        case .referredBy: setOnce(&record.referredBy)
        }
    }
}

