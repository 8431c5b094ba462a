public import LeadCore
import Foundation

/// Spreadsheets: Office Open XML workbooks (.xlsx, .xlsm) and OpenDocument spreadsheets (.ods).
/// Every sheet is offered in order; a sheet is read when its header row maps to lead fields, through
/// the same table reader as CSV (preamble skipping, header synonyms, limits). Record ordinals run on
/// across the sheets; provenance names the sheet and its row.
public struct SpreadsheetImporter: Importer {
    public let id = "spreadsheet"
    public let displayName = "Spreadsheet (.xlsx, .xlsm, .ods)"
    public let fileExtensions = ["xlsx", "xlsm", "ods"]
    public let defaultSourceKind = SourceKind.other
    /// Export layouts a sheet may have (the shipped presets and the team's CSV mappings): a sheet
    /// whose first rows hold a layout's whole signature is read with it, as its CSV would be.
    public let mappings: [Mapping]

    public init(mappings: [Mapping] = Presets.all) { self.mappings = mappings }

    static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let oleSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    public func sniff(_ file: SourceFile) -> Confidence {
        let head = file.head
        let byExtension = fileExtensions.contains(file.pathExtension)
        if head.starts(with: Self.zipSignature) {
            let text = String(decoding: head.prefix(8192), as: UTF8.self)
            if text.contains("application/vnd.oasis.opendocument.spreadsheet") { return Confidence(0.97, "ZIP archive with an OpenDocument spreadsheet mimetype") }
            if text.contains("xl/workbook.xml") || text.contains("xl/worksheets/") || text.contains("xl/_rels") {
                return Confidence(0.97, "ZIP archive with Excel workbook parts (xl/)")
            }
            if byExtension { return Confidence(0.8, "extension .\(file.pathExtension); a ZIP archive") }
            return Confidence(0.05, "a ZIP archive, but no workbook parts in its first bytes")
        }
        if head.starts(with: Self.oleSignature), byExtension || ["xls"].contains(file.pathExtension) {
            return Confidence(0.9, "extension .\(file.pathExtension); an OLE2 compound file (password-protected workbook or Excel 97-2003)")
        }
        return byExtension ? Confidence(0, "extension .\(file.pathExtension) but not a ZIP archive") : .no
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        if file.head.starts(with: Self.oleSignature) {
            // ECMA-376 agile/standard encryption wraps the workbook in an OLE2 file with an
            // "EncryptedPackage" stream; without it, it is the binary .xls format.
            let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            let encrypted = file.head.indices.contains { file.head[$0...].starts(with: marker) }
            if encrypted {
                throw workbookError(
                    file, "spreadsheet.encrypted",
                    "the workbook is password-protected (encrypted): open it in Excel or LibreOffice and save it without a password, as .xlsx or CSV")
            }
            throw workbookError(
                file, "spreadsheet.legacy-xls",
                "an Excel 97-2003 binary workbook (.xls), which is not read: save it as .xlsx or CSV")
        }
        return try SpreadsheetRecordReader(
            file: file, source: options.source(for: file, importer: self), importerID: id, options: options, mappings: mappings)
    }
}

/// A sheet's first rows read ahead (to choose its layout), then handed out again before the rest.
final class PeekedRows: RowSource {
    private let base: any RowSource
    private(set) var head: [CSVRow] = []
    private var index = 0

    init(_ base: any RowSource, count: Int) throws(ImportError) {
        self.base = base
        while head.count < count, let row = try base.nextRow() { head.append(row) }
    }

    func nextRow() throws(ImportError) -> CSVRow? {
        if index < head.count {
            index += 1
            return head[index - 1]
        }
        return try base.nextRow()
    }

    var bytesRead: Int64 { base.bytesRead }
}

/// Streams the records of every sheet of a workbook whose header row maps to lead fields.
final class SpreadsheetRecordReader: RecordReader {
    private(set) var facts: [String: String] = [:]
    private let file: SourceFile
    private let source: LeadSource
    private let importerID: String
    private let limits: ImportLimits
    private let options: ImportOptions
    private let mappings: [Mapping]
    private let workbook: any Workbook
    private var current: (name: String, rows: any SheetRows, table: any RecordReader)?
    private var pending: [ReaderStep] = []
    private var records = 0
    private var read: [String] = []
    private var skipped: [String] = []
    private var ended = false
    private var lastBytes: Int64 = 0

    init(file: SourceFile, source: LeadSource, importerID: String, options: ImportOptions, mappings: [Mapping]) throws(ImportError) {
        self.file = file
        self.source = source
        self.importerID = importerID
        self.limits = options.limits
        self.options = options
        self.mappings = mappings
        let limits = options.limits
        let (_, members, _) = try openArchive(file)
        if members.contains("xl/workbook.xml") {
            workbook = try XLSXWorkbook(file: file, limits: limits)
            facts["workbook"] = "Office Open XML"
        } else if members.contains("content.xml") {
            workbook = try ODSWorkbook(file: file, limits: limits)
            facts["workbook"] = "OpenDocument"
        } else if members.contains("EncryptedPackage") || members.contains("EncryptionInfo") {
            throw workbookError(file, "spreadsheet.encrypted", "the workbook is password-protected (encrypted): save it without a password")
        } else {
            throw workbookError(file, "spreadsheet.no-workbook", "a ZIP archive without xl/workbook.xml or content.xml: not a spreadsheet")
        }
        facts.merge(workbook.facts) { $1 }
        for note in workbook.notes {
            pending.append(.note(Issue(.warning, "spreadsheet.archive", note, at: SourceLocation(file: file.name))))
        }
    }

    var sourceColumns: [String]? { current?.table.sourceColumns ?? lastColumns }
    var rejectedRaw: RawRecord? { current?.table.rejectedRaw }
    private var lastColumns: [String]?

    var bytesRead: Int64? {
        if let current { lastBytes = max(lastBytes, current.rows.bytesRead) }
        return lastBytes
    }

    func next() throws(ImportError) -> ReaderStep? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if let current {
                if let step = try current.table.next() {
                    if case .record = step { records += 1 } else if case .rejected = step { records += 1 }
                    return step
                }
                finishSheet(current)
                lastColumns = current.table.sourceColumns
                self.current = nil
                continue
            }
            guard !ended else { return nil }
            guard let (name, rows) = try workbook.nextSheet(limits: limits) else {
                ended = true
                facts.merge(workbook.facts) { $1 }
                if !read.isEmpty { facts["sheets"] = read.joined(separator: "; ") }
                if !skipped.isEmpty { facts["sheets-skipped"] = skipped.joined(separator: ", ") }
                guard !read.isEmpty else {
                    throw workbookError(
                        file, "spreadsheet.no-sheet",
                        skipped.isEmpty
                            ? "the workbook has no sheets"
                            : "no sheet has a header row that maps to lead fields (name, e-mail, phone, company...); sheets: \(skipped.joined(separator: ", "))")
                }
                return nil
            }
            let peeked = try PeekedRows(rows, count: 50)
            let head = peeked.head.map(\.fields)
            if let mapping = mappings.first(where: { MappingImporter.confidence($0, rows: head, fileName: file.name).score >= 0.9 }) {
                let sheetSource = LeadSource(name: source.name, kind: options.sourceKind ?? mapping.sourceKind ?? source.kind)
                let reader = MappingRecordReader(
                    rows: peeked, file: file, mapping: mapping, options: options, source: sheetSource, sheet: name, recordsBefore: records)
                current = (name, rows, reader)
                facts["preset"] = mapping.id
                continue
            }
            do {
                let table = try TableRecordReader(
                    rows: peeked, file: file, source: source, importerID: importerID, sheet: name, recordsBefore: records)
                current = (name, rows, table)
            } catch let error where error.code == "csv.no-header" {
                skipped.append(name)
                pending.append(.note(Issue(
                    .info, "spreadsheet.sheet-skipped", "sheet \"\(name)\" skipped: no header row maps to lead fields",
                    at: SourceLocation(file: file.name))))
            }
        }
    }

    private func finishSheet(_ sheet: (name: String, rows: any SheetRows, table: any RecordReader)) {
        let facts = sheet.table.facts
        var text = "\(sheet.name) (" + (facts["preset"].map { "layout \($0), " } ?? "") + "header row \(facts["header-line"] ?? "?")"
        if let mapped = facts["mapped-columns"] { text += ": " + mapped }
        text += ")"
        read.append(text)
        if self.facts["header-line"] == nil {
            for key in ["header-line", "columns", "mapped-columns", "unmapped-columns"] { self.facts[key] = facts[key] }
        }
        if sheet.rows.hiddenRows > 0 {
            pending.append(.note(Issue(
                .info, "spreadsheet.hidden-rows",
                "sheet \"\(sheet.name)\": \(sheet.rows.hiddenRows) row(s) hidden in the workbook were read like the others",
                at: SourceLocation(file: file.name))))
        }
    }
}
