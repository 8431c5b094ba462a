public import LeadCore
import Foundation
import LibXML

/// xCard (RFC 6351): vCard 4.0 in XML, `<vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0">`. Streamed
/// with libxml2's reader, one `<vcard>` at a time, and mapped through the same ``CardBuilder`` as text
/// vCards, so every property means the same thing in all three syntaxes.
public struct XCardImporter: Importer {
    public static let namespace = "urn:ietf:params:xml:ns:vcard-4.0"
    public let id = "xcard"
    public let displayName = "xCard (vCard in XML, RFC 6351)"
    public let fileExtensions = ["xml", "xcard"]
    public let defaultSourceKind = SourceKind.contactsExport

    public init() {}

    public func sniff(_ file: SourceFile) -> Confidence {
        let text = String(decoding: file.head.prefix(2048), as: UTF8.self)
        guard text.contains(Self.namespace) else { return .no }
        return Confidence(0.97, "XML in the vCard 4.0 namespace")
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try XCardRecordReader(file: file, source: options.source(for: file, importer: self), importerID: id)
    }
}

final class XCardRecordReader: RecordReader {
    let facts: [String: String] = ["versions": "4.0 (xCard)", "encoding": "XML"]
    private let file: SourceFile
    private let source: LeadSource
    private let importerID: String
    private let cursor: XMLRecordCursor
    private var ordinal = 0
    private(set) var rejectedRaw: RawRecord?

    init(file: SourceFile, source: LeadSource, importerID: String) throws(ImportError) {
        self.file = file
        self.source = source
        self.importerID = importerID
        do {
            cursor = try XMLRecordCursor(path: file.path) { path, namespace in path.last == "vcard" && namespace == XCardImporter.namespace }
        } catch {
            throw ImportError("xcard.unreadable", error.message, at: SourceLocation(file: file.name))
        }
    }

    func next() throws(ImportError) -> ReaderStep? {
        rejectedRaw = nil
        guard let event = cursor.next() else { return nil }
        ordinal += 1
        switch event {
        case .record(let node, let line): return card(node, line: line)
        case .malformed(let error):
            return .rejected(Issue(.error, "xcard.malformed", "the XML is not well-formed from here on (\(error.message)); earlier cards were read",
                                   at: SourceLocation(file: file.name, line: error.line, record: ordinal)))
        }
    }

    /// Text of a value element, entity references left out.
    private static func text(_ node: DOMNode) -> String {
        node.children.compactMap { $0.kind == .text || $0.kind == .cdata ? $0.text : nil }.joined()
    }

    /// Escapes a component for the text-vCard value syntax ``CardBuilder`` parses.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static let structured: [String: [String]] = [
        "n": ["surname", "given", "additional", "prefix", "suffix"],
        "adr": ["pobox", "ext", "street", "locality", "region", "code", "country"],
        "gender": ["sex", "identity"],
    ]

    private func card(_ node: DOMNode?, line: Int) -> ReaderStep {
        let location = SourceLocation(file: file.name, line: line, record: ordinal)
        guard let node else {
            return .rejected(Issue(.error, "xcard.malformed", "card could not be read", at: location))
        }
        var builder = CardBuilder(
            source: source,
            provenance: Provenance(fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: line, importer: importerID))
        func add(_ property: DOMNode, group: String?) {
            let name = property.name.uppercased()
            var parameters: [String: [String]] = [:]
            var values: [String] = []
            let parts = Self.structured[property.name]
            var components: [String: [String]] = [:]
            for child in property.elements {
                if child.name == "parameters" {
                    for parameter in child.elements {
                        parameters[parameter.name.uppercased()] = parameter.elements.map { Self.text($0).trimmingWhitespace() }
                    }
                } else if parts != nil {
                    components[child.name, default: []].append(Self.text(child).trimmingWhitespace())
                } else {
                    var value = Self.text(child).trimmingWhitespace()
                    // TEL and others give a tel: URI; the text form is what CardBuilder reads.
                    if child.name == "uri", name == "TEL", value.lowercased().hasPrefix("tel:") {
                        value = String(value.dropFirst(4))
                        if let ext = value.range(of: ";ext=") { value = value[..<ext.lowerBound] + " ext. " + value[ext.upperBound...] }
                    }
                    values.append(Self.escape(value))
                }
            }
            let value: String
            if let parts {
                value = parts.map { part in (components[part] ?? []).filter { !$0.isEmpty }.map(Self.escape).joined(separator: ",") }.joined(separator: ";")
            } else {
                value = values.joined(separator: name == "CATEGORIES" || name == "NICKNAME" ? "," : ";")
            }
            let types = (parameters["TYPE"] ?? []).map { $0.lowercased() }
            builder.add(name: name, group: group, types: types, parameters: parameters, value: value)
        }
        for property in node.elements {
            if property.name == "group" {
                let group = property.attribute("name")
                for member in property.elements { add(member, group: group) }
            } else {
                add(property, group: nil)
            }
        }
        let step = builder.finish(file: file.name)
        if case .rejected = step { rejectedRaw = .lines(builder.raw) }
        return step
    }
}
