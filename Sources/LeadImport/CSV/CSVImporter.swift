public import LeadCore

/// CSV and other delimited text in any layout: RFC 4180 plus what real exports do (preambles before the
/// header, `sep=` lines, `;`/tab/`|` delimiters, BOMs, UTF-16, Windows-1252, ragged rows).
public struct CSVImporter: Importer {
    public let id = "csv"
    public let displayName = "CSV / delimited text (any layout)"
    public let fileExtensions = ["csv", "tsv", "txt", "tab"]
    public let defaultSourceKind = SourceKind.other
    /// Rows examined to find the delimiter and the header.
    public var lookahead = 50

    public init() {}

    public func sniff(_ file: SourceFile) -> Confidence {
        let head = file.head
        if let binary = TextEncoding.binaryReason(head) { return Confidence(0, binary) }
        if let utf16 = TextEncoding.utf16WithoutBOM(head), TextEncoding.fromBOM(head) == nil {
            // Judge the delimiters on the ASCII bytes of the UTF-16 text.
            var bytes = head
            bytes = utf16 == .utf16LE ? stride(from: 0, to: bytes.count, by: 2).map { bytes[$0] } : stride(from: 1, to: bytes.count, by: 2).map { bytes[$0] }
            return sniffText(bytes, file: file)
        }
        return sniffText(head, file: file)
    }

    private func sniffText(_ head: [UInt8], file: SourceFile) -> Confidence {
        var score = 0.0
        var reasons: [String] = []
        switch file.pathExtension {
        case "csv": score = 0.6; reasons.append("extension .csv")
        case "tsv", "tab": score = 0.6; reasons.append("extension .\(file.pathExtension)")
        case "txt": score = 0.3; reasons.append("extension .txt")
        // "Export to Excel" buttons that write CSV text under an Excel name (and a ZIP was ruled out).
        case "xls", "xlsx", "xlsm": score = 0.3; reasons.append("extension .\(file.pathExtension) but text, not a workbook")
        default: break
        }
        // Looks like markup or a vCard: not ours.
        let text = String(decoding: head.prefix(256), as: UTF8.self).lowercased()
        if text.contains("begin:vcard") || text.contains("<html") || text.contains("<?xml") || text.contains("<!doctype") {
            return Confidence(0.05, "looks like another format")
        }
        // Delimited text: the same non-zero delimiter count on most of the first lines.
        let sample = Array(head.prefix(4096))
        let delimiter = DelimiterSniffer.sniff(sample)
        let lines = sample.split(separator: 0x0A).prefix(20).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }
        let counts = lines.map { line in line.filter { $0 == delimiter }.count }
        let consistent = counts.filter { $0 > 0 && $0 == counts.max() }.count
        if !lines.isEmpty, consistent * 2 >= lines.count {
            score += score > 0 ? 0.2 : 0.1
            reasons.append("delimited text (\(delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter))))")
        }
        return Confidence(score, reasons.isEmpty ? "no sign of delimited text" : reasons.joined(separator: "; "))
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try CSVRecordReader.make(
            file: file, source: options.source(for: file, importer: self), importerID: id, lookahead: lookahead, limits: options.limits)
    }
}

/// Rows of a table, in order, with their line (or spreadsheet row) numbers: a CSV tokenizer, or one
/// sheet of a workbook. The one seam between a table's text format and the header mapping.
public protocol RowSource: AnyObject {
    func nextRow() throws(ImportError) -> CSVRow?
    /// Bytes of the file consumed so far, for a progress bar.
    var bytesRead: Int64 { get }
}

extension CSVTokenizer: RowSource {}

/// The CSV importer's reader: the file's encoding and delimiter, then the shared table reader.
enum CSVRecordReader {
    static func make(file: SourceFile, source: LeadSource, importerID: String, lookahead: Int, limits: ImportLimits = .default) throws(ImportError) -> TableRecordReader {
        var facts: [String: String] = [:]
        var notes: [Issue] = []
        let (encoding, warning) = try TextEncoding.detect(file)
        if let warning { notes.append(warning) }
        facts["encoding"] = encoding.rawValue

        // Preview the decoded start for the delimiter.
        let preview = try UTF8Stream(file: file, encoding: encoding)
        var text: [UInt8] = []
        text.reserveCapacity(1 << 16)
        while text.count < 1 << 16, let byte = try preview.next() { text.append(byte) }
        let forced = DelimiterSniffer.excelSepLine(text)
        let delimiter = forced ?? DelimiterSniffer.sniff(text)
        facts["delimiter"] = delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter))

        let tokenizer = CSVTokenizer(stream: try UTF8Stream(file: file, encoding: encoding), delimiter: delimiter, limits: limits)
        if forced != nil {
            _ = try tokenizer.nextRow()
            facts["sep-line"] = "yes"
        }
        return try TableRecordReader(
            rows: tokenizer, file: file, source: source, importerID: importerID, lookahead: lookahead, facts: facts, notes: notes)
    }

    /// The rejection of a row that broke a limit, naming the column.
    static func limitIssue(_ over: CSVRow.OverLimit, header: [String], at location: SourceLocation) -> Issue {
        TableRecordReader.limitIssue(over, header: header, at: location)
    }
}

/// Streams the records of one table (a delimited file, a sheet): finds the header row among the first
/// rows (preambles skipped), maps its columns by the field synonyms, and turns each row into a record.
/// CSV files and spreadsheets share it: one header-mapping code path.
public final class TableRecordReader: RecordReader {
    public private(set) var facts: [String: String]
    private let file: SourceFile
    private let source: LeadSource
    private let importerID: String
    private let rows: any RowSource
    /// The workbook sheet the rows come from (nil for a CSV file); it goes into provenance.
    private let sheet: String?
    private var buffered: [CSVRow] = []
    private var pending: [ReaderStep] = []
    public private(set) var header: [String]
    private var fields: [LeadField?]
    private var ordinal = 0
    private var headerLine = 0
    /// The file name in messages, with the sheet: `leads.xlsx[People]`.
    private let place: String
    public var bytesRead: Int64? { rows.bytesRead }
    /// Records read so far (the ordinal of the last one).
    public var recordCount: Int { ordinal }
    public var sourceColumns: [String]? { header }
    public private(set) var rejectedRaw: RawRecord?

    public init(
        rows: any RowSource, file: SourceFile, source: LeadSource, importerID: String, lookahead: Int = 50,
        facts initialFacts: [String: String] = [:], notes: [Issue] = [], sheet: String? = nil, recordsBefore: Int = 0
    ) throws(ImportError) {
        self.file = file
        ordinal = recordsBefore
        place = sheet.map { file.name + "[" + $0 + "]" } ?? file.name
        self.source = source
        self.importerID = importerID
        self.rows = rows
        self.sheet = sheet
        self.facts = initialFacts
        pending = notes.map { .note($0) }
        let tokenizer = rows
        while buffered.count < lookahead, let row = try tokenizer.nextRow() { buffered.append(row) }
        let sheetPlace = sheet.map { " of sheet \"\($0)\"" } ?? ""

        // The header is the first row with the most columns that map to lead fields.
        var best: (index: Int, mapped: Int)? = nil
        for (index, row) in buffered.enumerated() where !row.isBlank {
            let mapped = row.fields.filter { FieldSynonyms.field(forHeader: $0) != nil }.count
            if mapped > (best?.mapped ?? 0) { best = (index, mapped) }
        }
        guard let best else {
            let first = buffered.first { !$0.isBlank }
            let columns = first.map { $0.fields.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ") } ?? "none"
            throw ImportError(
                "csv.no-header",
                "no row among the first \(buffered.count)\(sheetPlace) has a column that maps to a lead field (name, e-mail, phone, company...); first row's columns: \(columns)",
                at: SourceLocation(file: place, line: first?.line ?? 1))
        }
        let headerRow = buffered[best.index]
        header = headerRow.fields.map { $0.trimmingWhitespace() }
        fields = header.map(FieldSynonyms.field(forHeader:))
        let preamble = buffered[..<best.index].filter { !$0.isBlank }
        buffered.removeFirst(best.index + 1)
        buffered.reverse()  // popLast() below yields rows in order.
        facts["header-line"] = String(headerRow.line)
        headerLine = headerRow.line
        facts["columns"] = String(header.count)
        facts["mapped-columns"] = zip(header, fields).compactMap { $1 == nil ? nil : "\($0)→\($1!.label)" }.joined(separator: ", ")
        let unmapped = zip(header, fields).filter { $1 == nil }.map(\.0)
        if !unmapped.isEmpty { facts["unmapped-columns"] = unmapped.joined(separator: ", ") }
        if !preamble.isEmpty {
            facts["preamble-lines"] = String(preamble.count)
            pending.append(.note(Issue(
                .info, "csv.preamble",
                "skipped \(preamble.count) preamble row(s) before the header at line \(headerRow.line)",
                at: SourceLocation(file: place, line: preamble.first!.line))))
        }
        pending.reverse()
    }

    public func next() throws(ImportError) -> ReaderStep? {
        if let step = pending.popLast() { return step }
        var row: CSVRow
        repeat {
            if let buffered = buffered.popLast() {
                row = buffered
            } else if let next = try rows.nextRow() {
                row = next
            } else {
                return nil
            }
            // Sectioned reports (webinar exports): a title row such as "Attendee Details," and a header
            // row restated for the next section are structure, not records.
            if !row.isBlank, let step = sectionStep(row) { return step }
        } while row.isBlank
        ordinal += 1
        let location = SourceLocation(file: place, line: row.line, record: ordinal)
        rejectedRaw = .fields(row.fields)
        if let over = row.overLimit { return .rejected(Self.limitIssue(over, header: header, at: location)) }
        if let problem = row.problem, problem.hasPrefix("unterminated") {
            return .rejected(Issue(.error, "csv.unterminated-quote", problem, at: location))
        }
        var issues: [Issue] = []
        if let problem = row.problem {
            issues.append(Issue(.warning, "csv.text-after-quote", problem, at: location))
        }
        if row.fields.count > header.count {
            let surplus = row.fields[header.count...].filter { !$0.allSatisfy(\.isWhitespace) }
            if !surplus.isEmpty {
                return .rejected(Issue(
                    .error, "csv.ragged-row",
                    "row has \(row.fields.count) fields but the header at line \(headerLine) has \(header.count)",
                    at: location))
            }
        } else if row.fields.count < header.count, sheet == nil {
            // (A sheet leaves trailing empty cells out: a short row there is the normal case.)
            issues.append(Issue(
                .warning, "csv.short-row",
                "row has \(row.fields.count) fields, the header has \(header.count); missing values left empty",
                at: location))
        }
        var builder = RecordBuilder(
            source: source,
            provenance: Provenance(
                fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: row.line,
                importer: importerID, sheet: sheet))
        for (index, value) in row.fields.prefix(header.count).enumerated() {
            builder.add(column: header[index], value: value, field: fields[index])
        }
        guard builder.record.hasPersonData else {
            return .rejected(Issue(
                .error, "record.no-person",
                "row has no name, e-mail, phone or profile URL", at: location))
        }
        return .record(builder.record, raw: builder.raw, issues: issues)
    }

    /// The rejection of a row that broke a limit, naming the column.
    static func limitIssue(_ over: CSVRow.OverLimit, header: [String], at location: SourceLocation) -> Issue {
        let limits = ImportLimits.default
        var location = location
        switch over {
        case .field(let index, let bytes):
            location.field = index < header.count ? header[index] : "column \(index + 1)"
            return Issue(
                .error, "limit.field-size",
                "value is \(bytes) bytes, over the limit (\(ImportLimits.key(\.maxFieldBytes)) in config/limits.yml, default \(limits.maxFieldBytes)); record skipped",
                at: location)
        case .fieldCount(let count):
            return Issue(
                .error, "limit.field-count",
                "row has \(count) fields, over the limit (\(ImportLimits.key(\.maxFieldsPerRecord)) in config/limits.yml, default \(limits.maxFieldsPerRecord)); record skipped",
                at: location)
        case .record(let bytes):
            return Issue(
                .error, "limit.record-size",
                "row is \(bytes) bytes, over the limit (\(ImportLimits.key(\.maxRecordBytes)) in config/limits.yml, default \(limits.maxRecordBytes)); record skipped",
                at: location)
        }
    }

    /// Handles a section title or a restated header; nil when `row` is an ordinary data row.
    private func sectionStep(_ row: CSVRow) -> ReaderStep? {
        let nonEmpty = row.fields.filter { !$0.allSatisfy(\.isWhitespace) }
        if nonEmpty.count == 1, !row.fields[0].allSatisfy(\.isWhitespace), row.fields.count != header.count,
           !row.fields[0].contains("@") {
            return .note(Issue(
                .info, "csv.section", "section \"\(row.fields[0].trimmingWhitespace())\" starts",
                at: SourceLocation(file: place, line: row.line)))
        }
        let mapped = row.fields.filter { FieldSynonyms.field(forHeader: $0) != nil }.count
        guard mapped >= 2, mapped * 3 >= nonEmpty.count, !row.fields.contains(where: { $0.contains("@") }) else { return nil }
        header = row.fields.map { $0.trimmingWhitespace() }
        fields = header.map(FieldSynonyms.field(forHeader:))
        facts["header-line"] = (facts["header-line"].map { $0 + ", " } ?? "") + String(row.line)
        headerLine = row.line
        return .note(Issue(
            .info, "csv.section-header", "new header with \(header.count) columns; rows below are read with it",
            at: SourceLocation(file: place, line: row.line)))
    }
}
