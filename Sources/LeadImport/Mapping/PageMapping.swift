public import LeadCore
import Foundation
import LibXML
import Yams

/// A declarative layout for HTML pages and XML exports without person markup: where the records are
/// and where each field is. A saved people-search page, a partner directory, a CRM's XML export: a
/// team adds `config/mappings/NAME.yml` and the next run reads the layout; no Swift is written.
///
/// ```yaml
/// id: people-search-cards
/// name: Saved people search (result cards)
/// format: html                     # html: XPath 1.0 expressions; xml: element paths
/// source_kind: title-search
/// detect: "//ol[contains(@class, 'search-results')]"   # html: must select something
/// record: "//li[contains(@class, 'result-card')]"       # html: XPath; xml: root/child/record
/// fields:                          # target: path (or a list of paths), relative to the record
///   display-name: ".//a[@class='name']"
///   title-at-company: ".//p[@class='headline']"         # "VP Marketing at Acme" → title, company
///   social-profile: ".//a[@class='name']/@href"
///   attribute connection-degree: ".//span[@class='degree']"
/// transforms: {display-name: [strip-label-prefix]}
/// ```
/// For `format: xml` the record path is a slash-separated list of element names from the root
/// (`crm-export/contacts/contact`) and field paths are child element names below the record
/// (`name/first`), or `@attr` for an attribute of the record (or `child/@attr`).
public struct PageMapping: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable { case html, xml }

    public struct Field: Sendable, Equatable {
        /// The target as written in the file ("display-name", "attribute minutes").
        public var name: String
        public var target: Mapping.Target
        public var paths: [String]
        public var transforms: [Mapping.Transform]
    }

    public var id: String
    public var name: String
    public var format: Format
    public var sourceKind: SourceKind?
    public var detect: String?
    public var record: String
    public var fields: [Field]
    public var origin: String

    /// The `format` key of a mapping file, if it declares one (routes `html`/`xml` here).
    public static func declaredFormat(_ text: String) -> String? {
        ((try? SafeYAML.load(text)) as? [String: Any])?["format"] as? String
    }

    public static func load(path: String) throws(ProfileLikeError) -> PageMapping {
        try parse(try YAMLConfig.text(path: path), origin: path)
    }

    public static func parse(_ text: String, origin: String) throws(ProfileLikeError) -> PageMapping {
        let config = try YAMLConfig(
            text, origin: origin, allowed: ["id", "name", "format", "source_kind", "detect", "record", "fields", "transforms"],
            expected: "id, name, format, record, fields")
        let root = config.root
        func fail(_ key: String, _ message: String) -> ProfileLikeError { config.fail(key, message) }
        func string(_ key: String, required: Bool) throws(ProfileLikeError) -> String? { try config.string(key, required: required) }
        let id = try config.identifier()
        let formatName = try string("format", required: true)!
        guard let format = Format(rawValue: formatName) else { throw fail("format", "expected html or xml, found \"\(formatName)\"") }
        let sourceKind = try config.sourceKind()
        let record = try string("record", required: true)!
        let detect = try string("detect", required: false)
        func checkPath(_ path: String, key: String) throws(ProfileLikeError) {
            switch format {
            case .html:
                guard DOMDocument.isValidXPath(path) else { throw fail(key, "not a valid XPath 1.0 expression: \(path)") }
            case .xml:
                let parts = path.split(separator: "/", omittingEmptySubsequences: false)
                guard !path.isEmpty, parts.allSatisfy({ !$0.isEmpty }),
                      parts.dropLast().allSatisfy({ !$0.hasPrefix("@") })
                else { throw fail(key, "expected an element path like contacts/contact or name/first or @id, found \"\(path)\"") }
            }
        }
        try checkPath(record, key: "record")
        if let detect {
            guard format == .html else { throw fail("detect", "only html mappings take an XPath to detect the page; xml mappings are found by their record path") }
            try checkPath(detect, key: "detect")
        }
        guard let fieldMap = root["fields"] as? [String: Any], !fieldMap.isEmpty else {
            throw fail("fields", "expected a mapping of target: path, with at least one field")
        }
        let transforms = try config.transforms(expected: "target")
        for target in transforms.keys.sorted() where fieldMap[target] == nil {
            throw fail("transforms." + target, "no such field in fields")
        }
        var fields: [Field] = []
        for name in fieldMap.keys.sorted() {
            let target = try config.target(name, key: "fields." + name)
            let paths = (fieldMap[name] as? [Any])?.compactMap { $0 as? String } ?? (fieldMap[name] as? String).map { [$0] } ?? []
            guard !paths.isEmpty else { throw fail("fields." + name, "expected a path or a list of paths") }
            for path in paths { try checkPath(path, key: "fields." + name) }
            fields.append(Field(name: name, target: target, paths: paths, transforms: transforms[name] ?? []))
        }
        return PageMapping(id: id, name: try string("name", required: true)!, format: format, sourceKind: sourceKind,
                           detect: detect, record: record, fields: fields, origin: origin)
    }
}

/// The page and XML layouts shipped with LeadIntake (resources `PagePresets/*.yml`).
public enum PagePresets {
    public static let all: [PageMapping] = loadResourceFolder("PagePresets") { path throws(ProfileLikeError) in
        var mapping = try PageMapping.load(path: path)
        mapping.origin = "shipped preset " + (path as NSString).lastPathComponent
        return mapping
    }.items

    /// Shipped layouts that fail to load, with why (a test keeps this empty).
    public static func problems() -> [String] { loadResourceFolder("PagePresets", PageMapping.load).problems }
}
