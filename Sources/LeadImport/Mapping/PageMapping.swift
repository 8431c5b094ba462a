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
    public static func declaredFormat(path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let root = (try? Yams.load(yaml: text)) as? [String: Any] else { return nil }
        return root["format"] as? String
    }

    public static func load(path: String) throws(ProfileLikeError) -> PageMapping {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ProfileLikeError(file: path, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, origin: path)
    }

    public static func parse(_ text: String, origin: String) throws(ProfileLikeError) -> PageMapping {
        func fail(_ key: String, _ message: String) -> ProfileLikeError { ProfileLikeError(file: origin, key: key, message: message) }
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch { throw fail("", "not valid YAML: \(error)") }
        guard let root = node as? [String: Any] else { throw fail("", "expected a mapping with id, name, format, record, fields") }
        let allowed: Set<String> = ["id", "name", "format", "source_kind", "detect", "record", "fields", "transforms"]
        for key in root.keys.sorted() where !allowed.contains(key) {
            throw fail(key, "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
        func string(_ key: String, required: Bool) throws(ProfileLikeError) -> String? {
            guard let value = root[key] else {
                if required { throw fail(key, "missing; expected text") }
                return nil
            }
            guard let text = value as? String, !text.isEmpty else { throw fail(key, "expected text") }
            return text
        }
        let id = try string("id", required: true)!
        guard id.allSatisfy({ $0.isLetter && $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw fail("id", "expected lower-case letters, digits and dashes, found \"\(id)\"")
        }
        let formatName = try string("format", required: true)!
        guard let format = Format(rawValue: formatName) else { throw fail("format", "expected html or xml, found \"\(formatName)\"") }
        var sourceKind: SourceKind?
        if let kind = try string("source_kind", required: false) {
            guard let value = SourceKind(rawValue: kind) else {
                throw fail("source_kind", "expected one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(kind)\"")
            }
            sourceKind = value
        }
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
        var transforms: [String: [Mapping.Transform]] = [:]
        if let map = root["transforms"] {
            guard let map = map as? [String: Any] else { throw fail("transforms", "expected a mapping of target: [transforms]") }
            for (target, value) in map {
                guard fieldMap[target] != nil else { throw fail("transforms." + target, "no such field in fields") }
                let names = (value as? [Any])?.compactMap { $0 as? String } ?? (value as? String).map { [$0] } ?? []
                guard !names.isEmpty else { throw fail("transforms." + target, "expected a list of transforms") }
                transforms[target] = try names.map { name throws(ProfileLikeError) in
                    guard let transform = Mapping.Transform(rawValue: name) else {
                        throw fail("transforms." + target, "unknown transform \"\(name)\"; expected one of: \(Mapping.Transform.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return transform
                }
            }
        }
        var fields: [Field] = []
        for name in fieldMap.keys.sorted() {
            let target: Mapping.Target
            if name.hasPrefix("attribute ") {
                target = .attribute(String(name.dropFirst("attribute ".count)).trimmingWhitespace())
            } else if let value = Mapping.targets[name] {
                target = value
            } else {
                throw fail("fields." + name, "unknown target; expected one of: \(Mapping.targets.keys.sorted().joined(separator: ", ")), attribute NAME")
            }
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
    public static let all: [PageMapping] = {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("PagePresets"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".yml") }.sorted().compactMap { name in
            var mapping = try? PageMapping.load(path: folder.appendingPathComponent(name).path)
            mapping?.origin = "shipped preset " + name
            return mapping
        }
    }()

    /// Shipped layouts that fail to load, with why (a test keeps this empty).
    public static func problems() -> [String] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("PagePresets"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return ["page preset folder missing from the bundle"] }
        return names.filter { $0.hasSuffix(".yml") }.sorted().compactMap { name -> String? in
            do {
                _ = try PageMapping.load(path: folder.appendingPathComponent(name).path)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }
}
