import Foundation
import LeadCore
import LibXML

/// An OpenDocument spreadsheet (ODF 1.2/1.3, part 3): every sheet is a `<table:table>` of
/// `content.xml`, streamed in document order. Cells carry their typed value in attributes
/// (`office:value`, `office:date-value`) and their text in `<text:p>`; repeated rows and columns
/// (`number-rows-repeated`, the million blank rows LibreOffice writes at a sheet's end) are never
/// expanded when blank.
final class ODSWorkbook: Workbook {
    private let file: SourceFile
    private let reader: XMLStreamReader
    private let stream: ZipEntryStream
    private var current: ODSSheetRows?
    private var ended = false
    private(set) var facts: [String: String] = [:]
    private(set) var notes: [String] = []

    init(file: SourceFile, limits: ImportLimits) throws(ImportError) {
        self.file = file
        let (_, members, notes) = try openArchive(file)
        self.notes = notes
        guard members.contains("content.xml") else {
            if members.contains("xl/workbook.xml") {
                throw workbookError(file, "spreadsheet.wrong-kind", "an Excel workbook saved with the .ods extension; rename it to .xlsx")
            }
            throw workbookError(file, "spreadsheet.no-workbook", "a ZIP archive without content.xml: not an OpenDocument spreadsheet")
        }
        stream = ZipEntryStream(url: URL(fileURLWithPath: file.path), member: "content.xml", bound: Int64(limits.maxSheetBytes))
        do { reader = try XMLStreamReader(source: stream, url: "content.xml") } catch {
            throw workbookError(file, "spreadsheet.unreadable", "cannot read content.xml: \(error)")
        }
    }

    func nextSheet(limits: ImportLimits) throws(ImportError) -> (name: String, rows: any SheetRows)? {
        // Finish the sheet before (its reader may have stopped early: no header).
        if let current { while try current.nextRow() != nil {} }
        current = nil
        guard !ended else { return nil }
        do {
            while try reader.read() {
                guard reader.isStartElement, reader.localName == "table", !reader.isEmptyElement else { continue }
                let name = reader.attribute("table:name") ?? "Sheet"
                let rows = ODSSheetRows(reader: reader, stream: stream, depth: reader.depth, limits: limits, file: file, sheet: name)
                current = rows
                return (name, rows)
            }
        } catch {
            throw workbookError(file, "spreadsheet.bad-xml", "content.xml is not well-formed XML: \(stream.failure.map { "\($0)" } ?? "\(error)")")
        }
        ended = true
        if let failure = stream.failure { throw workbookError(file, "spreadsheet.unreadable", "\(failure)") }
        return nil
    }
}

/// The rows of one `<table:table>`, read from the shared content.xml reader up to the table's end.
final class ODSSheetRows: SheetRows {
    private let reader: XMLStreamReader
    private let stream: ZipEntryStream
    private let depth: Int
    private let limits: ImportLimits
    private let file: SourceFile
    private let sheet: String
    private var rowNumber = 0
    private var done = false
    /// A non-blank row repeated: handed out again this many more times.
    private var repeats: (row: CSVRow, left: Int)?
    private(set) var hiddenRows = 0
    /// Repeated non-blank rows are copied at most this many times (a styled template row repeated
    /// down a sheet is not a thousand people).
    static let repeatLimit = 1000

    init(reader: XMLStreamReader, stream: ZipEntryStream, depth: Int, limits: ImportLimits, file: SourceFile, sheet: String) {
        self.reader = reader
        self.stream = stream
        self.depth = depth
        self.limits = limits
        self.file = file
        self.sheet = sheet
    }

    var bytesRead: Int64 { min(file.size, (reader.bytesConsumed ?? 0) / 8) }

    func nextRow() throws(ImportError) -> CSVRow? {
        if let (row, left) = repeats, left > 0 {
            rowNumber += 1
            repeats = left > 1 ? (row, left - 1) : nil
            return CSVRow(fields: row.fields, line: rowNumber, endLine: rowNumber, overLimit: row.overLimit)
        }
        guard !done else { return nil }
        do {
            while try reader.read() {
                if reader.isEndElement, reader.localName == "table", reader.depth == depth {
                    done = true
                    return nil
                }
                guard reader.isStartElement, reader.localName == "table-row" else { continue }
                let count = max(1, min(reader.attribute("table:number-rows-repeated").flatMap(Int.init) ?? 1, 1 << 24))
                if let visibility = reader.attribute("table:visibility"), visibility != "visible" { hiddenRows += count }
                let row = try readRow()
                if row.fields.allSatisfy(\.isEmpty) {
                    rowNumber += count
                    continue
                }
                rowNumber += 1
                if count > 1 { repeats = (row, min(count, Self.repeatLimit) - 1) }
                return CSVRow(fields: row.fields, line: rowNumber, endLine: rowNumber, overLimit: row.overLimit)
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw workbookError(file, "spreadsheet.bad-xml", "sheet \"\(sheet)\": \(stream.failure.map { "\($0)" } ?? "\(error)")")
        }
        done = true
        return nil
    }

    /// The `<table:table-row>` the reader is on, to its end tag.
    private func readRow() throws -> CSVRow {
        var fields: [String] = []
        var overLimit: CSVRow.OverLimit?
        var column = 0
        var rowBytes = 0
        guard !reader.isEmptyElement else { return CSVRow(fields: [], line: 0, endLine: 0) }
        let rowDepth = reader.depth
        // The current cell.
        var typed: String?
        var text = ""
        var textBytes = 0
        var paragraphs = 0
        var repeated = 1
        var open = false
        var inAnnotation = 0
        func startCell() {
            repeated = max(1, min(reader.attribute("table:number-columns-repeated").flatMap(Int.init) ?? 1, 16_384))
            let type = reader.attribute("office:value-type")
            switch type {
            case "float", "percentage", "currency":
                typed = reader.attribute("office:value").map { CellValues.number($0, isDate: false, date1904: false) }
            case "date": typed = reader.attribute("office:date-value")
            case "time": typed = reader.attribute("office:time-value")
            case "boolean": typed = reader.attribute("office:boolean-value").map { $0 == "true" ? "TRUE" : "FALSE" }
            case "string": typed = reader.attribute("office:string-value")
            default: typed = nil
            }
            text = ""
            textBytes = 0
            paragraphs = 0
            open = true
        }
        func finishCell() {
            open = false
            let value = typed ?? text
            defer { column += repeated }
            guard !value.isEmpty else { return }
            let size = max(value.utf8.count, typed == nil ? textBytes : 0)
            for copy in 0..<repeated {
                let index = column + copy
                guard index < limits.maxFieldsPerRecord else {
                    if overLimit == nil { overLimit = .fieldCount(column + repeated) }
                    return
                }
                if size > limits.maxFieldBytes, overLimit == nil { overLimit = .field(index: index, bytes: size) }
                rowBytes += value.utf8.count
                if rowBytes > limits.maxRecordBytes, overLimit == nil { overLimit = .record(bytes: rowBytes) }
                if fields.count < index { fields += Array(repeating: "", count: index - fields.count) }
                fields.append(value)
            }
        }
        while try reader.read() {
            let name = reader.localName
            if inAnnotation > 0 {
                if reader.isEndElement, name == "annotation" { inAnnotation -= 1 } else if reader.isStartElement, name == "annotation", !reader.isEmptyElement { inAnnotation += 1 }
                continue
            }
            if reader.isStartElement {
                switch name {
                case "table-cell", "covered-table-cell":
                    if open { finishCell() }
                    startCell()
                    if reader.isEmptyElement { finishCell() }
                case "p", "h":
                    if open, typed == nil {
                        if paragraphs > 0 { appendBounded(&text, "\n", bytes: &textBytes, bound: limits.maxFieldBytes + 1) }
                        paragraphs += 1
                    }
                case "s":
                    let spaces = max(1, min(reader.attribute("text:c").flatMap(Int.init) ?? 1, 1000))
                    if open, typed == nil { appendBounded(&text, String(repeating: " ", count: spaces), bytes: &textBytes, bound: limits.maxFieldBytes + 1) }
                case "tab":
                    if open, typed == nil { appendBounded(&text, "\t", bytes: &textBytes, bound: limits.maxFieldBytes + 1) }
                case "line-break":
                    if open, typed == nil { appendBounded(&text, "\n", bytes: &textBytes, bound: limits.maxFieldBytes + 1) }
                case "annotation":
                    // A comment on the cell is not its value.
                    if !reader.isEmptyElement { inAnnotation += 1 }
                default:
                    break
                }
            } else if reader.isEndElement {
                if name == "table-cell" || name == "covered-table-cell" {
                    if open { finishCell() }
                } else if name == "table-row", reader.depth == rowDepth {
                    break
                }
            } else if reader.isText, open, typed == nil {
                appendBounded(&text, reader.value, bytes: &textBytes, bound: limits.maxFieldBytes + 1)
            }
        }
        if open { finishCell() }
        return CSVRow(fields: fields, line: 0, endLine: 0, overLimit: overLimit)
    }
}
