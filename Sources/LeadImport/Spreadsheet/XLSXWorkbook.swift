import Foundation
import LeadCore
import LibXML
import ZIPFoundation

/// An Office Open XML workbook (ECMA-376): `xl/workbook.xml` names the sheets in order and their
/// relationship ids, `xl/_rels/workbook.xml.rels` maps those to sheet members, `xl/styles.xml` says
/// which cell styles are dates, `xl/sharedStrings.xml` holds the text cells. Sheets stream.
final class XLSXWorkbook: Workbook {
    private let file: SourceFile
    private let url: URL
    private struct Sheet {
        var name: String
        var member: String
        var hidden: Bool
        var size: Int64
    }
    private var sheets: [Sheet] = []
    private var date1904 = false
    /// Cell style (xf) indices whose number format is a date or time.
    private var dateStyles = Set<Int>()
    private var strings = SharedStrings()
    private(set) var facts: [String: String] = [:]
    private(set) var notes: [String] = []

    private var nextIndex = 0

    init(file: SourceFile, limits: ImportLimits) throws(ImportError) {
        self.file = file
        url = URL(fileURLWithPath: file.path)
        let (archive, members, notes) = try openArchive(file)
        self.notes = notes
        guard members.contains("xl/workbook.xml") else {
            if members.contains("content.xml") {
                throw workbookError(file, "spreadsheet.wrong-kind", "an OpenDocument spreadsheet saved with an Office extension; rename it to .ods")
            }
            throw workbookError(file, "spreadsheet.no-workbook", "a ZIP archive without xl/workbook.xml: not an Excel workbook")
        }
        // Relationship id → member.
        var targets: [String: String] = [:]
        if members.contains("xl/_rels/workbook.xml.rels") {
            let reader = try streamMember(file, "xl/_rels/workbook.xml.rels")
            try walk(file, "xl/_rels/workbook.xml.rels", reader) { reader throws(ImportError) in
                guard reader.localName == "Relationship", let id = reader.attribute("Id"), let target = reader.attribute("Target") else { return }
                targets[id] = Self.resolve(target)
            }
        }
        var hidden: [String] = []
        let workbook = try streamMember(file, "xl/workbook.xml")
        try walk(file, "xl/workbook.xml", workbook) { reader throws(ImportError) in
            switch reader.localName {
            case "workbookPr":
                if let value = reader.attribute("date1904") { date1904 = value == "1" || value == "true" }
            case "sheet":
                let name = reader.attribute("name") ?? "Sheet\(sheets.count + 1)"
                let id = reader.attribute("r:id") ?? reader.attribute("id")
                var member = id.flatMap { targets[$0] } ?? "xl/worksheets/sheet\(sheets.count + 1).xml"
                if let resolved = Optional(member), resolved.split(separator: "/").contains("..") { member = "" }
                let state = reader.attribute("state")
                let isHidden = state == "hidden" || state == "veryHidden"
                if isHidden { hidden.append(name) }
                sheets.append(Sheet(name: name, member: member, hidden: isHidden, size: 0))
            default:
                break
            }
        }
        for index in sheets.indices {
            let member = sheets[index].member
            guard !member.isEmpty, members.contains(member), let entry = archive[member] else {
                self.notes.append("sheet \"\(sheets[index].name)\" has no readable part in the archive; skipped")
                sheets[index].member = ""
                continue
            }
            sheets[index].size = Int64(entry.uncompressedSize)
        }
        facts["date-system"] = date1904 ? "1904" : "1900"
        if !hidden.isEmpty { facts["hidden-sheets"] = hidden.joined(separator: ", ") }
        if members.contains("xl/styles.xml") { try readStyles() }
        if let member = targets.values.first(where: { $0.hasSuffix("sharedStrings.xml") }) ?? (members.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil),
           members.contains(member)
        {
            try readSharedStrings(member, limits: limits)
        }
    }

    /// A relationship target relative to `xl/` (`worksheets/sheet1.xml`) or absolute (`/xl/...`).
    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for part in target.split(separator: "/") {
            if part == ".." {
                if parts.isEmpty { return "../" + target } else { parts.removeLast() }
            } else if part != "." {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private func readStyles() throws(ImportError) {
        var customDates = Set<Int>()
        var inCellXfs = false
        var xfIndex = 0
        let reader = try streamMember(file, "xl/styles.xml")
        do {
            while try reader.read() {
                if reader.isEndElement, reader.localName == "cellXfs" { inCellXfs = false; continue }
                guard reader.isStartElement else { continue }
                switch reader.localName {
                case "numFmt":
                    if let id = reader.attribute("numFmtId").flatMap(Int.init), let code = reader.attribute("formatCode"),
                       CellValues.isDateFormat(code)
                    {
                        customDates.insert(id)
                    }
                case "cellXfs":
                    inCellXfs = !reader.isEmptyElement
                case "xf" where inCellXfs:
                    let id = reader.attribute("numFmtId").flatMap(Int.init) ?? 0
                    if CellValues.builtInDateFormats.contains(id) || customDates.contains(id) { dateStyles.insert(xfIndex) }
                    xfIndex += 1
                default:
                    break
                }
            }
        } catch {
            throw workbookError(file, "spreadsheet.bad-xml", "xl/styles.xml is not well-formed XML: \(error)")
        }
    }

    /// `<si>` items in order; an item's text is its `<t>` runs (rich text included), phonetic runs
    /// (`<rPh>`) left out.
    private func readSharedStrings(_ member: String, limits: ImportLimits) throws(ImportError) {
        let reader = try streamMember(file, member, bound: Int64(limits.maxSheetBytes))
        var current = ""
        var bytes = 0
        var inItem = false
        var inText = false
        var phonetic = 0
        do {
            while try reader.read() {
                let name = reader.localName
                if reader.isStartElement {
                    switch name {
                    case "si":
                        current = ""; bytes = 0
                        inItem = !reader.isEmptyElement
                        if !inItem { strings.append("") }
                    case "t": inText = inItem && !reader.isEmptyElement
                    case "rPh": if !reader.isEmptyElement { phonetic += 1 }
                    default: break
                    }
                } else if reader.isEndElement {
                    switch name {
                    case "si":
                        strings.append(current)
                        inItem = false
                    case "t": inText = false
                    case "rPh": phonetic = max(0, phonetic - 1)
                    default: break
                    }
                } else if inText, phonetic == 0, reader.isText {
                    appendBounded(&current, reader.value, bytes: &bytes, bound: limits.maxFieldBytes + 1)
                }
            }
        } catch {
            throw workbookError(file, "spreadsheet.bad-xml", "\(member) is not well-formed XML: \(error)")
        }
        facts["shared-strings"] = String(strings.count)
    }

    func nextSheet(limits: ImportLimits) throws(ImportError) -> (name: String, rows: any SheetRows)? {
        guard nextIndex < sheets.count else { return nil }
        let index = nextIndex
        nextIndex += 1
        return (sheets[index].name, try rows(ofSheet: index, limits: limits))
    }

    private func rows(ofSheet index: Int, limits: ImportLimits) throws(ImportError) -> any SheetRows {
        let sheet = sheets[index]
        guard !sheet.member.isEmpty else { return EmptyRows() }
        let stream = ZipEntryStream(url: url, member: sheet.member, bound: Int64(limits.maxSheetBytes))
        let reader: XMLStreamReader
        do { reader = try XMLStreamReader(source: stream, url: sheet.member) } catch {
            throw workbookError(file, "spreadsheet.unreadable", "cannot read sheet \"\(sheet.name)\": \(error)")
        }
        let before = sheets[..<index].reduce(Int64(0)) { $0 + $1.size }
        let total = max(1, sheets.reduce(Int64(0)) { $0 + $1.size })
        return XLSXSheetRows(
            reader: reader, stream: stream, strings: strings, dateStyles: dateStyles, date1904: date1904, limits: limits,
            file: file, sheet: sheet.name, progress: (before, sheet.size, total))
    }
}

/// A sheet with nothing to read.
final class EmptyRows: SheetRows {
    func nextRow() throws(ImportError) -> CSVRow? { nil }
    var bytesRead: Int64 { 0 }
    var hiddenRows: Int { 0 }
}

/// Streams one worksheet's `<row>` elements as table rows: each `<c>` put at its column (from its
/// `r` reference), shared and inline strings resolved, formulas read as their cached `<v>` (never
/// evaluated), numbers and dates by ``CellValues``.
final class XLSXSheetRows: SheetRows {
    private let reader: XMLStreamReader
    private let stream: ZipEntryStream
    private let strings: SharedStrings
    private let dateStyles: Set<Int>
    private let date1904: Bool
    private let limits: ImportLimits
    private let file: SourceFile
    private let sheet: String
    private let progress: (before: Int64, size: Int64, total: Int64)
    private var nextRowNumber = 1
    private var done = false
    private(set) var hiddenRows = 0

    init(
        reader: XMLStreamReader, stream: ZipEntryStream, strings: SharedStrings, dateStyles: Set<Int>, date1904: Bool,
        limits: ImportLimits, file: SourceFile, sheet: String, progress: (Int64, Int64, Int64)
    ) {
        self.reader = reader
        self.stream = stream
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.limits = limits
        self.file = file
        self.sheet = sheet
        self.progress = progress
    }

    var bytesRead: Int64 {
        let consumed = min(progress.size, max(0, reader.bytesConsumed ?? 0))
        return (progress.before + consumed) * file.size / progress.total
    }

    func nextRow() throws(ImportError) -> CSVRow? {
        guard !done else { return nil }
        do {
            while try reader.read() {
                guard reader.isStartElement, reader.localName == "row" else { continue }
                return try row()
            }
        } catch let error as XMLParseError {
            throw failure(error)
        } catch let error as ImportError {
            throw error
        } catch {
            throw workbookError(file, "spreadsheet.unreadable", "sheet \"\(sheet)\": \(error)")
        }
        done = true
        if let failure = stream.failure {
            throw workbookError(file, "spreadsheet.unreadable", "sheet \"\(sheet)\": \(failure)")
        }
        return nil
    }

    private func failure(_ error: XMLParseError) -> ImportError {
        if let failure = stream.failure { return workbookError(file, "spreadsheet.unreadable", "sheet \"\(sheet)\": \(failure)") }
        return workbookError(file, "spreadsheet.bad-xml", "sheet \"\(sheet)\" is not well-formed XML: \(error)")
    }

    /// The `<row>` the reader is on, read to its end tag.
    private func row() throws -> CSVRow {
        let number = reader.attribute("r").flatMap(Int.init) ?? nextRowNumber
        nextRowNumber = number + 1
        if let hidden = reader.attribute("hidden"), hidden == "1" || hidden == "true" { hiddenRows += 1 }
        var fields: [String] = []
        var overLimit: CSVRow.OverLimit?
        var rowBytes = 0
        guard !reader.isEmptyElement else { return CSVRow(fields: [], line: number, endLine: number) }
        // The current cell.
        var column = 0
        var type = "n"
        var style = 0
        var value = ""
        var valueBytes = 0
        var inValue = false
        var inInline = 0
        var inText = false
        func finishCell() {
            var text: String
            switch type {
            case "s": text = Int(value.trimmingWhitespace()).flatMap { strings[$0] } ?? ""
            case "inlineStr", "str": text = value
            case "b": text = value.trimmingWhitespace() == "1" ? "TRUE" : "FALSE"
            case "e": text = ""  // #N/A, #REF!: no value
            case "d": text = value.trimmingWhitespace()
            default:
                let trimmed = value.trimmingWhitespace()
                text = trimmed.isEmpty ? "" : CellValues.number(trimmed, isDate: dateStyles.contains(style), date1904: date1904)
            }
            guard column < limits.maxFieldsPerRecord else {
                if !text.isEmpty, overLimit == nil { overLimit = .fieldCount(column + 1) }
                return
            }
            let size = type == "s" ? text.utf8.count : max(text.utf8.count, valueBytes)
            if size > limits.maxFieldBytes, overLimit == nil { overLimit = .field(index: column, bytes: size) }
            rowBytes += text.utf8.count
            if rowBytes > limits.maxRecordBytes, overLimit == nil { overLimit = .record(bytes: rowBytes) }
            if fields.count < column { fields += Array(repeating: "", count: column - fields.count) }
            if fields.count == column { fields.append(text) } else if column < fields.count { fields[column] = text }
        }
        var cellOpen = false
        while try reader.read() {
            let name = reader.localName
            if reader.isStartElement {
                switch name {
                case "c":
                    if cellOpen { finishCell() }
                    column = reader.attribute("r").flatMap(CellValues.column) ?? fields.count
                    type = reader.attribute("t") ?? "n"
                    style = reader.attribute("s").flatMap(Int.init) ?? 0
                    value = ""
                    valueBytes = 0
                    cellOpen = true
                    if reader.isEmptyElement { finishCell(); cellOpen = false }
                case "v": inValue = !reader.isEmptyElement
                case "is": inInline += reader.isEmptyElement ? 0 : 1
                case "t": inText = inInline > 0 && !reader.isEmptyElement
                case "rPh": inText = false
                default: break
                }
            } else if reader.isEndElement {
                switch name {
                case "c":
                    if cellOpen { finishCell(); cellOpen = false }
                case "v": inValue = false
                case "is": inInline = max(0, inInline - 1)
                case "t": inText = false
                case "row":
                    return CSVRow(fields: fields, line: number, endLine: number, problem: nil, overLimit: overLimit)
                default: break
                }
            } else if reader.isText, inValue || inText {
                appendBounded(&value, reader.value, bytes: &valueBytes, bound: limits.maxFieldBytes + 1)
            }
        }
        if cellOpen { finishCell() }
        return CSVRow(fields: fields, line: number, endLine: number, problem: nil, overLimit: overLimit)
    }
}
