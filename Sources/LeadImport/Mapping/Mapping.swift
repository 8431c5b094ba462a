public import LeadCore
import Foundation
import Yams

/// A declarative layout for delimited files: how to recognise it and how its columns map to lead
/// fields. Presets (Zoom, LinkedIn, Apollo, ...) ship as such files, and a team adds its own in
/// `config/mappings/NAME.yml`; no code change is needed for a new layout.
///
/// ```yaml
/// id: my-partner                       # letters, digits, dashes
/// name: Partner X referral list
/// source_kind: partner                 # webinar, title-search, purchased-list, referral, partner, event, contacts-export, other
/// file_name: ["partner x"]             # optional: words in the file name that confirm the layout
/// signature: ["Contact", "Mail", "Firm"]   # header names that must all be present
/// preamble: ["Referral list"]          # optional: first cells of lines above the header
/// section: "Attendee Details"          # optional: read only the rows of this section
/// optional_sections: {include-panelists: "Panelist Details"}
/// columns: {"Contact": display-name, "Mail": email, "Firm": company, "Headline": title-at-company}
/// transforms: {"Phone": [strip-apostrophe], "Minutes": [dash-is-empty, duration-minutes]}
/// skip_rows: {"Role": ["Organizer", "Presenter"]}
/// ```
public struct Mapping: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case field(LeadField)
        /// Kept on the record as a fact for scoring (`attended`, `minutes`, `company.employees`, ...).
        case attribute(String)
        /// "VP Marketing at Acme" → title and company.
        case titleAtCompany
        case ignore
    }

    public enum Transform: String, Sendable, Equatable, CaseIterable {
        case stripApostrophe = "strip-apostrophe"
        case dashIsEmpty = "dash-is-empty"
        case durationMinutes = "duration-minutes"
        case splitMulti = "split-multi"
        case lowercase
        case stripPrefix = "strip-label-prefix"
        /// "Stockholm, Stockholm County, Sweden" → "Sweden" (last comma-separated part).
        case lastPart = "last-part"
        /// "Stockholm, Stockholm County, Sweden" → "Stockholm" (first comma-separated part).
        case firstPart = "first-part"
    }

    public var id: String
    public var name: String
    public var sourceKind: SourceKind?
    public var fileName: [String] = []
    public var signature: [String]
    public var preamble: [String] = []
    public var section: String?
    public var optionalSections: [String: String] = [:]
    public var columns: [String: Target] = [:]
    public var transforms: [String: [Transform]] = [:]
    /// Rows to leave out: column → values (a Teams report's organizers and presenters).
    public var skipRows: [String: [String]] = [:]
    /// Where the mapping came from (a shipped preset or a file path).
    public var origin: String

    static let targets: [String: Target] = [
        "given-name": .field(.givenName), "family-name": .field(.familyName), "middle-name": .field(.middleName),
        "name-prefix": .field(.namePrefix), "name-suffix": .field(.nameSuffix), "display-name": .field(.displayName),
        "email": .field(.email(.other)), "work-email": .field(.email(.work)), "personal-email": .field(.email(.personal)),
        "phone": .field(.phone(.other)), "mobile-phone": .field(.phone(.mobile)), "work-phone": .field(.phone(.work)),
        "home-phone": .field(.phone(.home)), "fax": .field(.phone(.fax)), "company": .field(.company),
        "title": .field(.title), "website": .field(.website), "social-profile": .field(.socialProfile),
        "city": .field(.city), "region": .field(.region), "country": .field(.country), "notes": .field(.notes),
        "tags": .field(.tags), "referred-by": .field(.referredBy), "title-at-company": .titleAtCompany, "ignore": .ignore,
    ]

    /// Loads and validates a mapping file; errors name the file, the key and what was expected.
    public static func load(path: String) throws(ProfileLikeError) -> Mapping {
        try parse(try YAMLConfig.text(path: path), origin: path)
    }

    public static func parse(_ text: String, origin: String) throws(ProfileLikeError) -> Mapping {
        let config = try YAMLConfig(
            text, origin: origin,
            allowed: ["id", "name", "source_kind", "file_name", "signature", "preamble", "section", "optional_sections", "columns", "transforms", "skip_rows"],
            expected: "id, name, signature, columns")
        let root = config.root
        func fail(_ key: String, _ message: String) -> ProfileLikeError { config.fail(key, message) }
        func string(_ key: String, required: Bool) throws(ProfileLikeError) -> String? { try config.string(key, required: required) }
        func list(_ key: String) throws(ProfileLikeError) -> [String] { try config.list(key) }
        let id = try config.identifier()
        var mapping = Mapping(id: id, name: try string("name", required: true)!, signature: try list("signature"), origin: origin)
        guard !mapping.signature.isEmpty else { throw fail("signature", "expected at least one header name that identifies the layout") }
        mapping.sourceKind = try config.sourceKind()
        mapping.fileName = try list("file_name").map(StringSimilarity.fold)
        mapping.preamble = try list("preamble")
        mapping.section = try string("section", required: false)
        if let sections = root["optional_sections"] {
            guard let map = sections as? [String: Any] else { throw fail("optional_sections", "expected option: section title") }
            for (option, title) in map {
                guard let title = title as? String else { throw fail("optional_sections." + option, "expected a section title") }
                mapping.optionalSections[option] = title
            }
        }
        if let columns = root["columns"] {
            guard let map = columns as? [String: Any] else { throw fail("columns", "expected a mapping of header: target") }
            for (header, target) in map {
                guard let name = target as? String else { throw fail("columns." + header, "expected a target name") }
                mapping.columns[header] = try config.target(name, key: "columns." + header)
            }
        }
        mapping.transforms = try config.transforms(expected: "header")
        if let skip = root["skip_rows"] {
            guard let map = skip as? [String: Any] else { throw fail("skip_rows", "expected column: [values]") }
            for (column, values) in map {
                guard let list = values as? [Any] else { throw fail("skip_rows." + column, "expected a list of values") }
                mapping.skipRows[column] = list.map { "\($0)" }
            }
        }
        return mapping
    }

    /// Minutes from "54", "1h 5m 3s", "1 hour 5 minutes", "01:05:03", "65 min".
    public static func minutes(_ text: String) -> String? {
        let value = text.lowercased().trimmingWhitespace()
        if value.isEmpty { return nil }
        if let number = Double(value.replacingOccurrences(of: ",", with: ".")) { return String(Int(number.rounded())) }
        if value.contains(":") {
            let parts = value.split(separator: ":").compactMap { Double($0) }
            guard parts.count == 3 || parts.count == 2 else { return nil }
            let seconds = parts.count == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1]
            return String(Int((seconds / 60).rounded()))
        }
        var total = 0.0
        var number = ""
        var found = false
        for ch in value + " " {
            if ch.isNumber || ch == "." {
                number.append(ch)
            } else if ch.isLetter, !number.isEmpty, let n = Double(number) {
                switch ch {
                case "h": total += n * 60
                case "m": total += n
                case "s": total += n / 60
                default: break
                }
                number = ""
                found = true
            }
        }
        return found ? String(Int(total.rounded())) : nil
    }
}

/// A configuration file that cannot be used: file, key, and what was expected.
public struct ProfileLikeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var message: String
    public var description: String { "\(file): \(key.isEmpty ? "" : key + ": ")\(message)" }
}
