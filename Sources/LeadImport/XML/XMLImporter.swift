public import LeadCore
import Foundation
import LibXML

/// XML exports from CRMs and event tools, streamed with libxml2's `xmlTextReader`: one record element
/// at a time is expanded, read and freed, so a gigabyte export reads in flat memory.
///
/// Without a mapping the importer finds the record element itself: the element path whose children
/// (or attributes) are named like person fields (`firstName`, `last_name`, `email`, `company`,
/// `jobTitle`, ...: the CSV header synonyms). With an XML mapping (``PageMapping`` with
/// `format: xml`) the mapping's record path and field paths are used.
public struct XMLExportImporter: Importer {
    public let id: String
    public let displayName: String
    public let fileExtensions = ["xml"]
    public let defaultSourceKind: SourceKind
    /// Nil: the generic importer (record element found by field names).
    public let mapping: PageMapping?

    public init(mapping: PageMapping? = nil) {
        self.mapping = mapping
        id = mapping.map { "xml." + $0.id } ?? "xml"
        displayName = mapping.map { $0.name + " (XML mapping)" } ?? "XML export (records found by field names)"
        defaultSourceKind = mapping?.sourceKind ?? .other
    }

    /// Element names in the first bytes, in order of appearance (prefixes dropped).
    static func elementNames(_ head: [UInt8]) -> [String] {
        var names: [String] = []
        let bytes = head
        var index = 0
        while index < bytes.count - 1 {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] != UInt8(ascii: "?"), bytes[index + 1] != UInt8(ascii: "!"), bytes[index + 1] != UInt8(ascii: "/") {
                var end = index + 1
                while end < bytes.count, !" \t\r\n/>".utf8.contains(bytes[end]) { end += 1 }
                var name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
                if !name.isEmpty { names.append(name) }
                index = end
            } else {
                index += 1
            }
        }
        return names
    }

    public func sniff(_ file: SourceFile) -> Confidence {
        var head = file.head
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        let text = String(decoding: head.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let looksXML = text.hasPrefix("<?xml") || (text.hasPrefix("<") && file.pathExtension == "xml")
        guard looksXML, !text.contains("<html"), !text.contains("urn:ietf:params:xml:ns:vcard-4.0") else { return .no }
        let names = Self.elementNames(head)
        guard let mapping else {
            let mapped = Set(names.filter { FieldSynonyms.field(forHeader: $0) != nil }).count
            return mapped >= 2
                ? Confidence(0.8, "XML; \(mapped) element names map to person fields")
                : Confidence(0.4, "XML, no person field names in the first bytes")
        }
        let path = mapping.record.split(separator: "/").map(String.init)
        guard let root = names.first, root == path.first, path.count == 1 || names.contains(path.last!) else { return .no }
        return Confidence(0.97, "XML with <\(root)> root and <\(path.last!)> records (mapping \(mapping.origin))")
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try XMLRecordReader(file: file, source: options.source(for: file, importer: self), importerID: id, mapping: mapping)
    }
}

/// Reads a record element's fields from its subtree: leaf elements by name (or parent + name), and
/// attributes.
struct XMLFieldReader {
    /// Leaves: (path below the record, text, element line).
    static func leaves(of record: DOMNode, entityReferences: inout Int) -> [(path: [String], text: String, type: String?)] {
        var result: [(path: [String], text: String, type: String?)] = []
        for (name, value) in record.attributes { result.append((["@" + name], value, nil)) }
        func visit(_ node: DOMNode, path: [String], depth: Int, type: String?) {
            guard depth < 64 else { return }
            var text = ""
            var hasElements = false
            for child in node.children {
                switch child.kind {
                case .element:
                    hasElements = true
                    let childPath = path + [child.name]
                    for (name, value) in child.attributes where name != "type" { result.append((childPath + ["@" + name], value, nil)) }
                    visit(child, path: childPath, depth: depth + 1, type: child.attribute("type"))
                case .text, .cdata: text += child.text ?? ""
                case .entityReference: entityReferences += 1
                default: break
                }
            }
            if !hasElements, !path.isEmpty {
                let collapsed = HTMLText.collapse(text)
                if !collapsed.isEmpty { result.append((path, collapsed, type)) }
            }
        }
        visit(record, path: [], depth: 0, type: nil)
        return result
    }

    /// The field a leaf maps to: its own name, else its parent's name joined to it (`name/first`).
    /// A `type="work"` (home, mobile, ...) attribute on an e-mail or phone element gives its kind.
    static func field(for path: [String], typeHint: String?) -> LeadField? {
        let field = baseField(for: path)
        switch (field, typeHint?.lowercased()) {
        case (.email(.other)?, "work"?), (.email(.other)?, "business"?): return .email(.work)
        case (.email(.other)?, "home"?), (.email(.other)?, "personal"?), (.email(.other)?, "private"?): return .email(.personal)
        case (.phone(.other)?, "work"?), (.phone(.other)?, "business"?), (.phone(.other)?, "office"?): return .phone(.work)
        case (.phone(.other)?, "mobile"?), (.phone(.other)?, "cell"?): return .phone(.mobile)
        case (.phone(.other)?, "home"?): return .phone(.home)
        case (.phone(.other)?, "fax"?): return .phone(.fax)
        default: return field
        }
    }

    private static func baseField(for path: [String]) -> LeadField? {
        guard let last = path.last else { return nil }
        let name = last.hasPrefix("@") ? String(last.dropFirst()) : last
        var field = FieldSynonyms.field(forHeader: name)
        if path.count >= 2 {
            let parent = path[path.count - 2]
            if field == nil || field == .displayName { field = FieldSynonyms.field(forHeader: parent + " " + name) ?? field }
            if field == nil, ["value", "address", "number", "text"].contains(name.lowercased()) { field = FieldSynonyms.field(forHeader: parent) }
        }
        return field
    }
}

final class XMLRecordReader: RecordReader {
    private(set) var facts: [String: String] = [:]
    private let file: SourceFile
    private let source: LeadSource
    private let importerID: String
    private let mapping: PageMapping?
    private let cursor: XMLRecordCursor
    private var ordinal = 0
    /// The mapping's field paths, split once.
    private let mappedPaths: [(field: PageMapping.Field, path: String, parts: [String])]
    /// The field of each leaf path (and type attribute) seen so far: looked up once per file, not per record.
    private var fieldCache: [String: LeadField?] = [:]
    var bytesRead: Int64? { cursor.bytesRead }

    init(file: SourceFile, source: LeadSource, importerID: String, mapping: PageMapping?) throws(ImportError) {
        self.file = file
        self.source = source
        self.importerID = importerID
        self.mapping = mapping
        let location = SourceLocation(file: file.name)
        let recordPath: [String]
        if let mapping {
            recordPath = mapping.record.split(separator: "/").map(String.init)
        } else {
            recordPath = try Self.discoverRecordPath(file: file)
            facts["record-element"] = recordPath.joined(separator: "/")
        }
        mappedPaths = (mapping?.fields ?? []).flatMap { field in
            field.paths.map { (field, $0, $0.split(separator: "/").map(String.init)) }
        }
        do { cursor = try XMLRecordCursor(path: file.path) { path, _ in path == recordPath } } catch {
            throw ImportError("xml.unreadable", error.message, at: location)
        }
    }

    /// Finds the record element: reads the first few thousand nodes (never the whole file) and picks
    /// the element path whose children and attributes map to the most person fields.
    static func discoverRecordPath(file: SourceFile) throws(ImportError) -> [String] {
        let location = SourceLocation(file: file.name)
        let reader: XMLStreamReader
        do { reader = try XMLStreamReader(path: file.path) } catch {
            throw ImportError("xml.unreadable", error.message, at: location)
        }
        var stack: [String] = []
        var children: [[String]: Set<String>] = [:]
        var counts: [[String]: Int] = [:]
        var seen = 0
        do {
            while seen < 20_000, try reader.read() {
                if reader.isStartElement {
                    seen += 1
                    let depth = reader.depth
                    stack = Array(stack.prefix(depth))
                    let name = reader.localName
                    if !stack.isEmpty { children[stack, default: []].insert(name) }
                    stack.append(name)
                    counts[stack, default: 0] += 1
                    for attribute in reader.attributeNames { children[stack, default: []].insert(attribute) }
                    if reader.isEmptyElement { stack.removeLast() }
                }
            }
        } catch {
            if children.isEmpty { throw ImportError("xml.malformed", "not well-formed XML: \(error.description)", at: SourceLocation(file: file.name, line: error.line)) }
        }
        var best: (path: [String], score: Int)?
        for (path, names) in children {
            let fields = names.compactMap { FieldSynonyms.field(forHeader: $0) }
            let personal = fields.contains { field in
                switch field {
                case .displayName, .givenName, .familyName, .email: true
                default: false
                }
            }
            guard personal, Set(fields.map(\.label)).count >= 2 else { continue }
            let score = Set(fields.map(\.label)).count * 10 + min(counts[path] ?? 0, 9)
            if best == nil || score > best!.score || (score == best!.score && path.count < best!.path.count) { best = (path, score) }
        }
        guard let best else {
            throw ImportError("xml.no-records", "no repeated element with person fields (first name, last name, e-mail, company...) found; add an XML mapping in config/mappings", at: location)
        }
        return best.path
    }

    /// The fields of the record behind the last `.rejected` step, one `path: value` line each.
    private(set) var rejectedRaw: RawRecord?

    func next() throws(ImportError) -> ReaderStep? {
        guard let event = cursor.next() else { return nil }
        ordinal += 1
        rejectedRaw = nil
        switch event {
        case .record(let node, let line): return record(node, line: line)
        case .malformed(let error):
            return .rejected(Issue(
                .error, "xml.malformed",
                "the XML is not well-formed from here on (\(error.message)); records before this point were read",
                at: SourceLocation(file: file.name, line: error.line, record: ordinal)))
        }
    }

    private func field(for leaf: (path: [String], text: String, type: String?)) -> LeadField? {
        let key = leaf.path.joined(separator: "/") + "|" + (leaf.type ?? "")
        if let cached = fieldCache[key] { return cached }
        let field = XMLFieldReader.field(for: leaf.path, typeHint: leaf.type)
        fieldCache[key] = field
        return field
    }

    private func record(_ node: DOMNode?, line: Int) -> ReaderStep {
        let location = SourceLocation(file: file.name, line: line, record: ordinal)
        guard let node else {
            return .rejected(Issue(.error, "xml.malformed", "record element could not be read", at: location))
        }
        var builder = RecordBuilder(
            source: source,
            provenance: Provenance(fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: line, importer: importerID))
        var entityReferences = 0
        let leaves = XMLFieldReader.leaves(of: node, entityReferences: &entityReferences)
        var issues: [Issue] = []
        if entityReferences > 0 {
            issues.append(Issue(.warning, "xml.entity-ignored", "\(entityReferences) entity reference(s) left unexpanded (entities from a DTD are never expanded)", at: location))
        }
        if mapping != nil {
            var used = Set<Int>()
            for (field, path, wanted) in mappedPaths {
                for (index, leaf) in leaves.enumerated() where leaf.path == wanted {
                    used.insert(index)
                    builder.add(column: path, value: HTMLRecordReader.strip(leaf.text, for: field.target), target: field.target, transforms: field.transforms)
                }
            }
            for (index, leaf) in leaves.enumerated() where !used.contains(index) {
                builder.add(column: leaf.path.joined(separator: "/"), value: leaf.text, field: nil)
            }
        } else {
            for leaf in leaves {
                builder.add(column: leaf.path.joined(separator: "/"), value: leaf.text, field: field(for: leaf))
            }
        }
        guard builder.record.hasPersonData else {
            rejectedRaw = .lines(builder.raw)
            return .rejected(Issue(.error, "record.no-person", "record has no name, e-mail, phone or profile URL", at: location))
        }
        return .record(builder.record, raw: builder.raw, issues: issues)
    }
}
