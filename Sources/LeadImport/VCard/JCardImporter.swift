public import LeadCore
import Foundation

/// jCard (RFC 7095): vCard 4.0 as JSON, `["vcard", [[name, params, type, value...], ...]]`, one card or
/// an array of cards. Mapped through the same ``CardBuilder`` as text vCards. jCard files are small
/// JSON documents, read whole with Foundation's JSON parser.
public struct JCardImporter: Importer {
    public let id = "jcard"
    public let displayName = "jCard (vCard in JSON, RFC 7095)"
    public let fileExtensions = ["json", "jcard"]
    public let defaultSourceKind = SourceKind.contactsExport

    public init() {}

    public func sniff(_ file: SourceFile) -> Confidence {
        let text = String(decoding: file.head.prefix(512), as: UTF8.self).filter { !$0.isWhitespace }.lowercased()
        guard text.hasPrefix("[\"vcard\"") || text.hasPrefix("[[\"vcard\"") else { return .no }
        return Confidence(0.95, "JSON array starting with \"vcard\"")
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try JCardRecordReader(file: file, source: options.source(for: file, importer: self), importerID: id)
    }
}

final class JCardRecordReader: RecordReader {
    let facts: [String: String] = ["versions": "4.0", "charsets": "UTF-8"]
    private var steps: [ReaderStep] = []
    /// The raw text of each step's card when it is rejected (parallel to `steps`).
    private var raws: [RawRecord?] = []
    private(set) var rejectedRaw: RawRecord?

    init(file: SourceFile, source: LeadSource, importerID: String) throws(ImportError) {
        let location = SourceLocation(file: file.name)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file.path)))
        } catch {
            throw ImportError("jcard.invalid-json", "not valid JSON: \(error.localizedDescription)", at: location)
        }
        guard let top = json as? [Any] else { throw ImportError("jcard.shape", "expected a JSON array", at: location) }
        let cards: [[Any]] = (top.first as? String == "vcard") ? [top] : top.compactMap { $0 as? [Any] }
        for (index, card) in cards.enumerated() {
            let ordinal = index + 1
            let cardLocation = SourceLocation(file: file.name, line: 1, record: ordinal)
            guard card.count >= 2, (card[0] as? String)?.lowercased() == "vcard", let properties = card[1] as? [Any] else {
                steps.append(.rejected(Issue(.error, "jcard.shape", "card \(ordinal) is not [\"vcard\", [properties]]", at: cardLocation)))
                // The element as it was written (JSON).
                let text = (try? JSONSerialization.data(withJSONObject: card, options: [.sortedKeys, .withoutEscapingSlashes]))
                    .map { String(decoding: $0, as: UTF8.self) }
                raws.append(text.map(RawRecord.text))
                continue
            }
            var builder = CardBuilder(
                source: source,
                provenance: Provenance(fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: 1, importer: importerID))
            for case let property as [Any] in properties where property.count >= 4 {
                guard let name = (property[0] as? String)?.uppercased() else { continue }
                let params = property[1] as? [String: Any] ?? [:]
                var parameters: [String: [String]] = [:]
                for (key, value) in params {
                    if let list = value as? [Any] { parameters[key.uppercased()] = list.map { "\($0)" } } else { parameters[key.uppercased()] = ["\(value)"] }
                }
                let types = (parameters["TYPE"] ?? []).flatMap { $0.split(separator: ",") }.map { $0.lowercased() }
                // Structured values are arrays; escape separators so the shared mapping splits them.
                func text(_ value: Any) -> String {
                    if let list = value as? [Any] { return list.map { text($0).replacingOccurrences(of: ";", with: "\\;") }.joined(separator: ";") }
                    return "\(value)".replacingOccurrences(of: "\\", with: "\\\\")
                }
                let values = property[3...].map(text)
                let joiner = name == "CATEGORIES" || name == "NICKNAME" ? "," : ";"
                builder.add(name: name, group: params["group"] as? String, types: types, parameters: parameters, value: values.joined(separator: joiner))
            }
            steps.append(builder.finish(file: file.name))
            raws.append(.lines(builder.raw))
        }
        steps.reverse()
        raws.reverse()
    }

    func next() throws(ImportError) -> ReaderStep? {
        guard let step = steps.popLast() else { return nil }
        let raw = raws.popLast() ?? nil
        if case .rejected = step { rejectedRaw = raw } else { rejectedRaw = nil }
        return step
    }
}
