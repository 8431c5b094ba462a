public import LeadCore
import Foundation
import Synchronization

/// Reads delimited files with a ``Mapping``: the header is the row that holds the mapping's
/// signature (after the section title when the mapping names a section), columns map through the
/// mapping first and the shared synonyms second, and values go through the mapping's transforms.
///
/// Webinar reports write one row per join session; each row stays a record (its ordinal is its row
/// in the people section), and matching folds the rows of one person into one lead, adding up the
/// minutes in session.
public struct MappingImporter: Importer {
    public let mapping: Mapping
    public var id: String { mapping.id }
    public var displayName: String { mapping.name }
    public let fileExtensions = ["csv", "tsv", "txt"]
    public var defaultSourceKind: SourceKind { mapping.sourceKind ?? .other }

    public init(mapping: Mapping) { self.mapping = mapping }

    public func sniff(_ file: SourceFile) -> Confidence {
        Self.confidence(mapping, rows: HeadRows.read(file).rows, fileName: file.name)
    }

    /// How well the first rows of a table (a file's, or a sheet's) fit `mapping`: all its signature
    /// columns in one row, then its preamble, section and file name.
    static func confidence(_ mapping: Mapping, rows: [[String]], fileName: String) -> Confidence {
        let wanted = Set(mapping.signature.map(FieldSynonyms.key))
        var best = 0
        for row in rows {
            let keys = Set(row.map(FieldSynonyms.key))
            best = max(best, wanted.intersection(keys).count)
        }
        guard best == wanted.count else {
            return best * 10 >= wanted.count * 7
                ? Confidence(0.4, "\(best) of \(wanted.count) signature columns")
                : Confidence(0, "signature columns missing")
        }
        var score = 0.9
        var reasons = ["all \(wanted.count) signature columns"]
        let firstCells = rows.prefix(20).compactMap { $0.first.map(StringSimilarity.fold) }
        if !mapping.preamble.isEmpty, mapping.preamble.allSatisfy({ p in firstCells.contains { $0.hasPrefix(StringSimilarity.fold(p)) } }) {
            score += 0.05
            reasons.append("preamble")
        }
        if let section = mapping.section {
            // A sectioned layout needs its section: the same columns without it are another file.
            guard rows.contains(where: { MappingRecordReader.sectionKey($0.first ?? "") == MappingRecordReader.sectionKey(section)
                || MappingRecordReader.sectionKey(String(($0.first ?? "").drop { $0.isNumber || $0 == "." || $0 == " " })) == MappingRecordReader.sectionKey(section) })
            else { return Confidence(0.5, "signature columns but no \"\(section)\" section") }
            score += 0.02
            reasons.append("section \"\(section)\"")
        }
        let name = StringSimilarity.fold(fileName)
        if mapping.fileName.contains(where: { name.contains($0) }) {
            score += 0.02
            reasons.append("file name")
        }
        return Confidence(score, reasons.joined(separator: "; "))
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try MappingRecordReader(file: file, mapping: mapping, options: options, source: options.source(for: file, importer: self))
    }
}

/// The first rows of a file (decoded, delimiter sniffed), for detection. Reads up to 64 KB (a webinar
/// report's people section starts after its host and panelist sections) once per file: every preset
/// sniffs the same rows.
enum HeadRows {
    typealias Head = (rows: [[String]], delimiter: UInt8, truncated: Bool)
    private static let cache = Mutex<[String: Head]>([:])
    static let length = 1 << 16

    static func read(_ file: SourceFile) -> Head {
        if let hit = cache.withLock({ $0[file.sha256] }) { return hit }
        var raw = file.head
        if file.size > Int64(raw.count), let reader = try? ChunkedFileReader(path: file.path) {
            var buffer = [UInt8](repeating: 0, count: length)
            if let count = try? reader.read(into: &buffer) { raw = Array(buffer[..<count]) }
        }
        let head = parse(raw, truncated: file.size > Int64(raw.count))
        cache.withLock { entries in
            if entries.count > 256 { entries.removeAll() }
            entries[file.sha256] = head
        }
        return head
    }

    static func parse(_ headBytes: [UInt8], truncated: Bool) -> Head {
        var bytes: [UInt8]
        let file = (head: headBytes, size: Int64(headBytes.count))
        switch TextEncoding.fromHead(file.head) {
        case .utf16LE?, .utf16BE?:
            let little = TextEncoding.fromHead(file.head) == .utf16LE
            var units: [UInt16] = []
            var index = TextEncoding.fromBOM(file.head) == nil ? 0 : 2
            while index + 1 < file.head.count {
                let a = UInt16(file.head[index]), b = UInt16(file.head[index + 1])
                units.append(little ? (b << 8 | a) : (a << 8 | b))
                index += 2
            }
            bytes = Array(String(decoding: units, as: UTF16.self).utf8)
        case .utf8BOM?:
            bytes = Array(file.head.dropFirst(3))
        default:
            bytes = file.head
            if String(validating: bytes.prefix(max(0, bytes.count - 4)), as: UTF8.self) == nil {
                bytes = Array(SingleByteDecoding.decode(bytes).utf8)
            }
        }
        let delimiter = DelimiterSniffer.excelSepLine(bytes) ?? DelimiterSniffer.sniff(bytes)
        var rows: [[String]] = []
        var field: [UInt8] = []
        var row: [String] = []
        var quoted = false
        var index = 0
        while index < bytes.count && rows.count < 1000 {
            let byte = bytes[index]
            if quoted {
                if byte == 0x22 {
                    if index + 1 < bytes.count && bytes[index + 1] == 0x22 { field.append(0x22); index += 1 } else { quoted = false }
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22 && field.isEmpty {
                quoted = true
            } else if byte == delimiter {
                row.append(String(decoding: field, as: UTF8.self).trimmingWhitespace())
                field.removeAll()
            } else if byte == 0x0A || byte == 0x0D {
                row.append(String(decoding: field, as: UTF8.self).trimmingWhitespace())
                field.removeAll()
                if row.contains(where: { !$0.isEmpty }) { rows.append(row) }
                row = []
            } else {
                field.append(byte)
            }
            index += 1
        }
        return (rows, delimiter, truncated)
    }
}

/// Streams the records of one file laid out as a ``Mapping`` says.
final class MappingRecordReader: RecordReader {
    private(set) var facts: [String: String] = [:]
    private let file: SourceFile
    private let mapping: Mapping
    private let source: LeadSource
    private let rows: any RowSource
    /// The workbook sheet the rows come from (nil for a delimited file), and the name in messages.
    private let sheet: String?
    private let place: String
    private var pending: [ReaderStep] = []
    private var header: [String] = []
    private var targets: [Mapping.Target?] = []
    private var transforms: [[Mapping.Transform]] = []
    /// Column index → folded values whose rows are left out.
    private var skipColumns: [(Int, Set<String>)] = []
    private var staffRows = 0
    private var ordinal = 0
    private var sectionsToRead: Set<String>
    private var inSection: Bool
    private let signature: Set<String>
    private var skippedRows = 0
    private var readAnyHeader = false
    var bytesRead: Int64? { rows.bytesRead }

    /// Reads one sheet of a workbook (its rows already decoded) with the mapping.
    init(rows: any RowSource, file: SourceFile, mapping: Mapping, options: ImportOptions, source: LeadSource, sheet: String, recordsBefore: Int) {
        self.file = file
        self.mapping = mapping
        self.source = source
        self.rows = rows
        self.sheet = sheet
        place = file.name + "[" + sheet + "]"
        ordinal = recordsBefore
        facts["preset"] = mapping.id
        (signature, sectionsToRead, inSection) = Self.sections(mapping, options: options)
    }

    /// The signature keys, the sections to read and whether reading starts inside one.
    private static func sections(_ mapping: Mapping, options: ImportOptions) -> (Set<String>, Set<String>, Bool) {
        var sections = Set<String>()
        if let section = mapping.section { sections.insert(sectionKey(section)) }
        if options.includePanelists, let panelists = mapping.optionalSections["include-panelists"] {
            sections.insert(sectionKey(panelists))
        }
        return (Set(mapping.signature.map(FieldSynonyms.key)), sections, sections.isEmpty)
    }

    init(file: SourceFile, mapping: Mapping, options: ImportOptions, source: LeadSource) throws(ImportError) {
        self.file = file
        self.mapping = mapping
        self.source = source
        sheet = nil
        place = file.name
        let (encoding, warning) = try TextEncoding.detect(file)
        if let warning { pending.append(.note(warning)) }
        facts["encoding"] = encoding.rawValue
        facts["preset"] = mapping.id
        let head = HeadRows.read(file)
        facts["delimiter"] = head.delimiter == 0x09 ? "tab" : String(UnicodeScalar(head.delimiter))
        rows = CSVTokenizer(stream: try UTF8Stream(file: file, encoding: encoding), delimiter: head.delimiter, limits: options.limits)
        (signature, sectionsToRead, inSection) = Self.sections(mapping, options: options)
    }

    static func sectionKey(_ title: String) -> String { FieldSynonyms.key(title) }

    /// A section title: one non-empty first cell ("Attendee Details," or "2. Participants").
    private func sectionTitle(_ row: CSVRow) -> String? {
        let nonEmpty = row.fields.filter { !$0.allSatisfy(\.isWhitespace) }
        guard nonEmpty.count == 1, let first = row.fields.first, !first.allSatisfy(\.isWhitespace), !first.contains("@") else { return nil }
        guard header.isEmpty || row.fields.count != header.count else { return nil }
        let key = Self.sectionKey(first.drop { $0.isNumber || $0 == "." || $0 == " " }.description)
        return key.isEmpty ? nil : key
    }

    private func adopt(header row: CSVRow) {
        header = row.fields.map { $0.trimmingWhitespace() }
        let overrides = Dictionary(mapping.columns.map { (FieldSynonyms.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        let transformTable = Dictionary(mapping.transforms.map { (FieldSynonyms.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        targets = header.map { name in
            let key = FieldSynonyms.key(name)
            if let target = overrides[key] { return target }
            return FieldSynonyms.field(forHeader: name).map(Mapping.Target.field)
        }
        transforms = header.map { transformTable[FieldSynonyms.key($0)] ?? [] }
        skipColumns = mapping.skipRows.compactMap { column, values in
            header.firstIndex { FieldSynonyms.key($0) == FieldSynonyms.key(column) }.map { ($0, Set(values.map(StringSimilarity.fold))) }
        }
        facts["header-line"] = (facts["header-line"].map { $0 + ", " } ?? "") + String(row.line)
        readAnyHeader = true
    }

    func next() throws(ImportError) -> ReaderStep? {
        if !pending.isEmpty { return pending.removeFirst() }
        while let row = try rows.nextRow() {
            if row.isBlank { continue }
            if let title = sectionTitle(row), !sectionsToRead.isEmpty {
                let reading = sectionsToRead.contains(title)
                if reading != inSection || reading {
                    inSection = reading
                    header = []
                }
                continue
            }
            guard inSection else { skippedRows += 1; continue }
            let keys = Set(row.fields.map(FieldSynonyms.key))
            if header.isEmpty || keys.isSuperset(of: signature) {
                // The header: the signature row (or, in an optional section, its first row of names).
                // In a section we read, the row after the title is its header (the panelists' has fewer columns).
                let mapped = row.fields.filter { FieldSynonyms.field(forHeader: $0) != nil }.count
                if keys.isSuperset(of: signature) || (!sectionsToRead.isEmpty && mapped >= 2) {
                    adopt(header: row)
                } else {
                    skippedRows += 1
                }
                continue
            }
            if skipColumns.contains(where: { index, values in index < row.fields.count && values.contains(StringSimilarity.fold(row.fields[index])) }) {
                staffRows += 1
                continue
            }
            ordinal += 1
            if let over = row.overLimit {
                return .rejected(CSVRecordReader.limitIssue(
                    over, header: header, at: SourceLocation(file: place, line: row.line, record: ordinal)))
            }
            return record(from: row)
        }
        if staffRows > 0 { facts["skipped-staff-rows"] = String(staffRows) }
        if !readAnyHeader {
            throw ImportError(
                "preset.no-header",
                "no header with the columns of \(mapping.name) (\(mapping.signature.joined(separator: ", ")))"
                    + (mapping.section.map { " in section \"\($0)\"" } ?? ""),
                at: SourceLocation(file: place))
        }
        if skippedRows > 0 { facts["skipped-rows"] = String(skippedRows) }
        return nil
    }

    private func record(from row: CSVRow) -> ReaderStep {
        let location = SourceLocation(file: place, line: row.line, record: ordinal)
        if let problem = row.problem, problem.hasPrefix("unterminated") {
            return .rejected(Issue(.error, "csv.unterminated-quote", problem, at: location))
        }
        var builder = RecordBuilder(
            source: source,
            provenance: Provenance(
                fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: row.line, importer: mapping.id,
                sheet: sheet))
        for (index, raw) in row.fields.prefix(header.count).enumerated() {
            builder.add(column: header[index], value: raw, target: targets[index], transforms: transforms[index])
        }
        guard builder.record.hasPersonData else {
            return .rejected(Issue(.error, "record.no-person", "row has no name, e-mail, phone or profile URL", at: location))
        }
        return .record(builder.record, raw: builder.raw, issues: [])
    }

    /// "VP Marketing at Acme", "CMO @ Acme", "Directeur commercial chez Lumière" → (title, company).
    static func splitTitleAtCompany(_ text: String) -> (String?, String?) {
        let value = text.trimmingWhitespace()
        for separator in [" at ", " @ ", " chez ", " bei ", " en ", " | "] {
            if let range = value.range(of: separator, options: [.caseInsensitive, .backwards]) {
                let title = String(value[..<range.lowerBound]).trimmingWhitespace()
                let company = String(value[range.upperBound...]).trimmingWhitespace()
                if !title.isEmpty && !company.isEmpty { return (title, company) }
            }
        }
        return (value.isEmpty ? nil : value, nil)
    }
}

extension Mapping.Transform {
    /// The values one input value becomes (most transforms give one; `split-multi` may give several).
    func apply(_ value: String) -> [String] {
        switch self {
        case .stripApostrophe: return [value.hasPrefix("'") ? String(value.dropFirst()) : value]
        case .dashIsEmpty: return [value.trimmingWhitespace() == "--" ? "" : value]
        case .durationMinutes: return [Mapping.minutes(value) ?? value]
        case .splitMulti: return value.components(separatedBy: " ::: ")
        case .lowercase: return [value.lowercased()]
        case .stripPrefix:
            // "* myContacts" → "myContacts"; "Employees.51-200" → "51-200"
            var text = value.trimmingWhitespace()
            if text.hasPrefix("* ") { text = String(text.dropFirst(2)) }
            if let dot = text.firstIndex(of: "."), text[..<dot].allSatisfy(\.isLetter) { text = String(text[text.index(after: dot)...]) }
            return [text]
        case .lastPart: return [value.split(separator: ",").last.map { String($0).trimmingWhitespace() } ?? value]
        case .firstPart: return [value.split(separator: ",").first.map { String($0).trimmingWhitespace() } ?? value]
        }
    }
}

extension RecordBuilder {
    /// Adds one input value through a mapping target and its transforms (CSV presets, page and XML
    /// mappings share this). A nil target keeps the value as an extra.
    mutating func add(column: String, value raw: String, target: Mapping.Target?, transforms: [Mapping.Transform]) {
        var values = [raw]
        for transform in transforms { values = values.flatMap(transform.apply) }
        for value in values {
            switch target {
            case .field(let field)?: add(column: column, value: value, field: field)
            case .attribute(let name)?:
                self.raw.append(ExtraField(name: column, value: value))
                let trimmed = value.trimmingWhitespace()
                if !trimmed.isEmpty { record.attributes[name] = trimmed }
            case .titleAtCompany?:
                self.raw.append(ExtraField(name: column, value: value))
                let (title, company) = MappingRecordReader.splitTitleAtCompany(value)
                if let title, record.title == nil { record.title = title }
                if let company, record.company == nil { record.company = company }
            case .ignore?: self.raw.append(ExtraField(name: column, value: value))
            case nil: add(column: column, value: value, field: nil)
            }
        }
    }
}
