import Foundation
import LeadImport
public import LeadCore
import LeadMatch
public import LeadScore
public import LeadStore

/// Hand-off files a CRM imports as they are: HubSpot's contact import and Salesforce's lead import
/// map these headers to their fields without a manual mapping step, and vCard 4.0 goes into Apple
/// Contacts, Google Contacts and Thunderbird. Leads bearing a suppressed identifier are left out.
public enum Handoff {
    public enum Target: String, Sendable, CaseIterable {
        case hubspot, salesforce, vcard
    }

    /// Which leads go: by stage, and created or changed in run `sinceRun` or later.
    public struct Filter: Sendable {
        public var stages: Set<Stage>?
        public var sinceRun: Int64?
        public init(stages: Set<Stage>? = nil, sinceRun: Int64? = nil) {
            self.stages = stages
            self.sinceRun = sinceRun
        }

        func admits(_ stored: StoredLead) -> Bool {
            if let sinceRun, max(stored.createdRunID, stored.updatedRunID) < sinceRun { return false }
            if let stages {
                guard let stage = stored.score?.stage, stages.contains(stage) else { return false }
            }
            return true
        }
    }

    public struct Result: Sendable, Equatable {
        public var exported = 0
        /// Leads the filter admitted but a suppression (erasure, do-not-contact list) kept out.
        public var suppressed = 0
    }

    // HubSpot's contact import matches a column to a property by its header, the property's label
    // ("In an import, properties will match up with your file's column headers":
    // https://knowledge.hubspot.com/import-and-export/set-up-your-import-file, and
    // https://knowledge.hubspot.com/import-and-export/understand-the-import-tool). These are the
    // default contact properties' labels (internal names firstname, lastname, email, phone,
    // mobilephone, company, jobtitle, city, state, country, lifecyclestage, hs_lead_status; Company
    // Domain Name is the associated company's `domain`, the identifier HubSpot dedupes companies by).
    // The last four are ours: the import offers to create them as custom properties.
    public static let hubspotColumns = [
        "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Company Name", "Company Domain Name",
        "Job Title", "City", "State/Region", "Country/Region", "Lifecycle Stage", "Lead Status",
        "LeadIntake Lead ID", "LeadIntake Fit Score", "LeadIntake Stage", "LeadIntake Source",
    ]

    // The Lead object's field labels, which Salesforce's Data Import Wizard maps by name
    // (https://help.salesforce.com/s/articleView?id=xcloud.field_mapping_for_importing_leads.htm;
    // API names FirstName, LastName, Company, Title, Email, Phone, MobilePhone, Street, City, State,
    // PostalCode, Country, Website, LeadSource, Industry, NumberOfEmployees, AnnualRevenue,
    // Description: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm).
    // Last Name and Company are required on a lead, so neither is ever empty here.
    public static let salesforceColumns = [
        "First Name", "Last Name", "Company", "Title", "Email", "Phone", "Mobile", "Street", "City", "State/Province",
        "Zip/Postal Code", "Country", "Website", "Lead Source", "Industry", "No. of Employees", "Annual Revenue", "Description",
    ]

    /// Salesforce's own placeholder for a required field nobody filled.
    public static let notProvided = "[not provided]"

    /// Streams the admitted leads to `sink` in `target`'s format.
    public static func export(
        from store: any LeadStore, target: Target, filter: Filter = Filter(), companyFallback: String? = nil,
        sink: @escaping (String) throws -> Void
    ) throws -> Result {
        let suppression = try store.suppressionSnapshot()
        var result = Result()
        let writer = CSVWriter(sink: sink)
        switch target {
        case .hubspot: try writer.row(hubspotColumns)
        case .salesforce: try writer.row(salesforceColumns)
        case .vcard: break
        }
        try store.forEachLead { stored in
            guard filter.admits(stored) else { return }
            if let (hasher, hashes) = suppression,
               SuppressionKeys.checked(stored.lead.asRecordForChecks).contains(where: { hashes.contains(hasher.hash($0)) }) {
                result.suppressed += 1
                return
            }
            switch target {
            case .hubspot: try writer.row(hubspotRow(stored))
            case .salesforce: try writer.row(salesforceRow(stored, companyFallback: companyFallback))
            case .vcard: try sink(VCardWriter.card(stored))
            }
            result.exported += 1
        }
        return result
    }

    static func hubspotRow(_ stored: StoredLead) -> [String] {
        let lead = stored.lead
        let (phone, mobile) = phones(lead)
        let stage = stored.score?.stage
        // Internal values of the two enumerations (HubSpot's list import takes a label or a value).
        let lifecycle = switch stage {
        case .dream?, .prospect?: "marketingqualifiedlead"
        case .disqualified?: "other"
        case .lead?, nil: "lead"
        }
        return [
            lead.name.given ?? "", lead.name.family ?? "", email(lead), phone, mobile, lead.company ?? "", lead.domain ?? "",
            lead.title ?? "", lead.location.city ?? "", lead.location.region ?? "", country(lead), lifecycle,
            stage == .disqualified ? "UNQUALIFIED" : "NEW", String(stored.id), stored.score.map { String($0.fit) } ?? "",
            stage?.rawValue ?? "", lead.sources.map(\.name).joined(separator: "; "),
        ]
    }

    static func salesforceRow(_ stored: StoredLead, companyFallback: String?) -> [String] {
        let lead = stored.lead
        let (phone, mobile) = phones(lead)
        let lastName = lead.name.family ?? lead.name.best ?? lead.primaryEmail.flatMap { $0.normalized?.split(separator: "@").first.map(String.init) } ?? notProvided
        let company = [lead.company, lead.domain, companyFallback].compactMap { $0?.trimmingWhitespace() }.first { !$0.isEmpty } ?? notProvided
        let facts = CompanyFacts(lead: lead)
        var description = "LeadIntake lead \(stored.id)"
        if let score = stored.score {
            description += "; fit \(score.fit) (\(score.stage.rawValue))" + (score.topReasons.isEmpty ? "" : "; \(score.topReasons)")
        }
        if !lead.sources.isEmpty { description += "; sources: " + lead.sources.map(\.name).joined(separator: ", ") }
        return [
            lead.name.given ?? "", lastName, company, lead.title ?? "", email(lead), phone, mobile, "", lead.location.city ?? "",
            lead.location.region ?? "", "", country(lead), lead.website ?? "", leadSource(lead), facts.industry ?? "",
            facts.employees.flatMap(CompanyFacts.number).map { String(Int($0)) } ?? "",
            facts.revenue.flatMap(CompanyFacts.number).map { String(Int($0)) } ?? "", description,
        ]
    }

    /// Salesforce's default Lead Source picklist values, from the kind of the lead's first source.
    static func leadSource(_ lead: Lead) -> String {
        switch lead.sources.first?.kind {
        case .webinar?: "Webinar"
        case .titleSearch?: "Web"
        case .purchasedList?: "Purchased List"
        case .referral?: "External Referral"
        case .partner?: "Partner"
        case .event?: "Trade Show"
        case .contactsExport?, .other?, nil: "Other"
        }
    }

    static func email(_ lead: Lead) -> String {
        lead.primaryEmail.map { $0.normalized ?? $0.raw } ?? ""
    }

    /// The main number (a work or other line) and the mobile, each dialable: E.164 where known,
    /// with the extension as `ext.` (both CRMs read that form).
    static func phones(_ lead: Lead) -> (String, String) {
        func text(_ phone: PhoneNumber) -> String {
            let number = phone.normalized ?? phone.raw
            return phone.extension.map { number + " ext. " + $0 } ?? number
        }
        let mobile = lead.phones.first { $0.kind == .mobile }
        let main = lead.phones.first { $0.kind != .mobile && $0.kind != .fax }
        return (main.map(text) ?? "", mobile.map(text) ?? "")
    }

    /// The country's English name ("Germany"): both CRMs' country fields take names.
    static func country(_ lead: Lead) -> String {
        if let code = lead.location.countryCode, code.count == 2,
           let name = Locale(identifier: "en_US").localizedString(forRegionCode: code.uppercased()) {
            return name
        }
        return lead.location.country ?? lead.location.countryCode ?? ""
    }
}

extension Lead {
    /// The lead's identifiers in the shape the suppression check reads.
    var asRecordForChecks: LeadRecord {
        LeadRecord(
            name: name, emails: emails, phones: phones, domain: domain, socialProfiles: socialProfiles,
            source: LeadSource(name: "store", kind: .other),
            provenance: Provenance(fileName: "store", filePath: "", fileSHA256: "", record: 0, line: 0, importer: "store"))
    }
}

/// vCard 4.0 (RFC 6350) as the contact apps import it: CRLF line ends, lines folded at 75 octets
/// without splitting a character, UTF-8 without a byte-order mark, FN and a five-part N, TEL as
/// text (a `tel:` URI is shown literally by some importers), social profiles as URL.
enum VCardWriter {
    static func card(_ stored: StoredLead) -> String {
        let lead = stored.lead
        var lines = ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//LeadIntake//hand-off//EN", "UID:urn:leadintake:lead:\(stored.id)"]
        let display = lead.name.best ?? [lead.name.given, lead.name.family].compactMap { $0 }.joined(separator: " ")
        lines.append("FN:" + text(display.isEmpty ? (lead.primaryEmail?.normalized ?? "lead \(stored.id)") : display))
        let n = lead.name
        lines.append("N:" + [n.family, n.given, n.middle, n.prefix, n.suffix].map { component($0 ?? "") }.joined(separator: ";"))
        if let company = lead.company { lines.append("ORG:" + component(company)) }
        if let title = lead.title { lines.append("TITLE:" + text(title)) }
        for (i, email) in lead.emails.enumerated() {
            let type = switch email.kind {
            case .work: ";TYPE=work"
            case .personal: ";TYPE=home"
            case .other: ""
            }
            lines.append("EMAIL" + type + (i == 0 ? ";PREF=1" : "") + ":" + text(email.normalized ?? email.raw))
        }
        for (i, phone) in lead.phones.enumerated() {
            let type = switch phone.kind {
            case .mobile: ";TYPE=cell"
            case .work: ";TYPE=work"
            case .home: ";TYPE=home"
            case .fax: ";TYPE=fax"
            case .other: ""
            }
            let number = (phone.normalized ?? phone.raw) + (phone.extension.map { " ext. " + $0 } ?? "")
            lines.append("TEL" + type + ";VALUE=text" + (i == 0 ? ";PREF=1" : "") + ":" + text(number))
        }
        if let website = lead.website { lines.append("URL;TYPE=work:" + text(website)) }
        for profile in lead.socialProfiles {
            // A known network's URL is a URL to every app (and our importer reads it as a profile).
            if profile.contains("://"), VCardImporter.socialHosts.contains(where: { profile.lowercased().contains($0) }) {
                lines.append("URL;TYPE=x-social:" + text(profile))
            } else {
                lines.append("X-SOCIALPROFILE:" + text(profile))
            }
        }
        let location = lead.location
        if location.city != nil || location.region != nil || location.country != nil || location.countryCode != nil {
            let country = location.countryCode ?? location.country ?? ""
            lines.append("ADR;TYPE=work:;;;" + [location.city ?? "", location.region ?? "", "", country].map(component).joined(separator: ";"))
        }
        if !lead.tags.isEmpty { lines.append("CATEGORIES:" + lead.tags.map(component).joined(separator: ",")) }
        var note = "LeadIntake lead \(stored.id)"
        if let score = stored.score { note += "; fit \(score.fit), \(score.stage.rawValue)" }
        if !lead.sources.isEmpty { note += "; sources: " + lead.sources.map(\.name).joined(separator: ", ") }
        lines.append("NOTE:" + text(note))
        lines.append("END:VCARD")
        return lines.map(fold).joined()
    }

    /// A text value: backslash, newline, comma and semicolon escaped (RFC 6350 §3.4).
    static func text(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\n", "\r\n", "\r": out += "\\n"
            case ",": out += "\\,"
            case ";": out += "\\;"
            default: out.append(character)
            }
        }
        return out
    }

    /// One component of a structured value (N, ADR, ORG): escaped the same way.
    static func component(_ value: String) -> String { text(value) }

    /// The line folded at 75 octets (continuations start with a space), CRLF-terminated.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        var limit = 75
        for character in line {
            let size = String(character).utf8.count
            if width + size > limit {
                out += "\r\n "
                width = 0
                limit = 74
            }
            out.append(character)
            width += size
        }
        return out + "\r\n"
    }
}
