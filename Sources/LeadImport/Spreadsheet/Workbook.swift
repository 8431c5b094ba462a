import Foundation
import LeadCore
import LibXML
import ZIPFoundation

/// What a spreadsheet reader needs of a workbook: its sheets in order, each streaming its rows.
/// Office Open XML (.xlsx, .xlsm) and OpenDocument (.ods) both implement it.
protocol Workbook: AnyObject {
    /// Facts about the workbook for the run report ("date system", "hidden sheets").
    var facts: [String: String] { get }
    /// Notes about the archive (an unsafe member name ignored).
    var notes: [String] { get }
    /// The next sheet's name and rows, or nil after the last; the previous sheet's rows are then done.
    func nextSheet(limits: ImportLimits) throws(ImportError) -> (name: String, rows: any SheetRows)?
}

/// A sheet's rows; `hiddenRows` counts rows hidden in the workbook that were read.
protocol SheetRows: RowSource {
    var hiddenRows: Int { get }
}

/// Errors of a workbook as a whole, with the file named.
func workbookError(_ file: SourceFile, _ code: String, _ message: String) -> ImportError {
    ImportError(code, message, at: SourceLocation(file: file.name))
}

/// The bound on what the small parts of a workbook (workbook, styles, relationships) may inflate to;
/// sheets and shared strings have `max_sheet_bytes` (config/limits.yml).
enum WorkbookBounds {
    static let partBytes: Int64 = 64 << 20
}

/// Opens the archive and checks its member names: a name that climbs out of the archive (`../`) or is
/// absolute is never looked up (nothing is ever extracted to disk) and is noted.
func openArchive(_ file: SourceFile) throws(ImportError) -> (archive: Archive, members: Set<String>, notes: [String]) {
    let archive: Archive
    do { archive = try Archive(url: URL(fileURLWithPath: file.path), accessMode: .read) } catch {
        throw workbookError(file, "spreadsheet.not-a-zip", "not a readable ZIP archive (\(error)); an .xlsx or .ods file is one")
    }
    var members = Set<String>()
    var notes: [String] = []
    for entry in archive {
        let path = entry.path
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") || path.contains("\\") {
            if notes.count < 5 { notes.append("archive member with an unsafe name ignored: \(path.prefix(80))") }
            continue
        }
        members.insert(path)
    }
    return (archive, members, notes)
}

/// Reads a small member (workbook, relationships, styles) with the streaming reader.
func streamMember(_ file: SourceFile, _ member: String, bound: Int64 = WorkbookBounds.partBytes) throws(ImportError) -> XMLStreamReader {
    let stream = ZipEntryStream(url: URL(fileURLWithPath: file.path), member: member, bound: bound)
    do { return try XMLStreamReader(source: stream, url: member) } catch {
        throw workbookError(file, "spreadsheet.unreadable", "cannot read \(member): \(error)")
    }
}

/// Walks a member's elements, calling `body` at each start tag; XML errors become the file's error.
func walk(_ file: SourceFile, _ member: String, _ reader: XMLStreamReader, _ body: (XMLStreamReader) throws(ImportError) -> Void) throws(ImportError) {
    do {
        while try reader.read() {
            if reader.isStartElement { try body(reader) }
        }
    } catch let error as ImportError {
        throw error
    } catch {
        throw workbookError(file, "spreadsheet.bad-xml", "\(member) is not well-formed XML: \(error)")
    }
}

// MARK: - Cell values

/// Number cells as text the importers read: integers as their digits (a phone stored as a number
/// keeps every digit Excel kept), dates and times as ISO 8601 when the cell's format is a date.
enum CellValues {
    /// `text` as Excel stored it (`4155551234`, `1.23456789012345E+18`, `45292.5`).
    static func number(_ text: String, isDate: Bool, date1904: Bool) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if isDate, value >= 0, value < 2_958_466 { return date(serial: value, date1904: date1904) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        if value == value.rounded() {
            // More than 15 significant digits: Excel kept 15 and filled zeros. Shown the way Excel shows
            // it, so the normalizer flags a phone that lost digits ("excel-scientific").
            let exponent = Int(log10(abs(value)).rounded(.down))
            let mantissa = value / pow(10, Double(exponent))
            var digits = String(format: "%.14f", mantissa)
            while digits.hasSuffix("0") { digits.removeLast() }
            if digits.hasSuffix(".") { digits.removeLast() }
            return "\(digits)E+\(exponent)"
        }
        if !text.contains("E"), !text.contains("e") { return text }
        return String(value)
    }

    /// A serial day number of the workbook's date system as `YYYY-MM-DD`, with `THH:MM:SS` when it has
    /// a time of day (a time alone: `HH:MM:SS`).
    static func date(serial: Double, date1904: Bool) -> String {
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        var time = ""
        if seconds > 0 {
            let s = min(seconds, 86_399)
            time = String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        }
        if !date1904, days == 0 { return time.isEmpty ? "1899-12-31" : time }
        // Days since 1970-01-01. The 1900 system counts a 29 February 1900 that never was (serial 60,
        // kept from Lotus 1-2-3): serials before it are one day earlier.
        if date1904 {
            days += -24_107  // 1904-01-01
        } else {
            days += days < 60 ? -25_568 : -25_569  // 1899-12-31, or 1899-12-30 past the false leap day
        }
        let (year, month, day) = civil(fromDays: days)
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        return time.isEmpty ? date : date + "T" + time
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(fromDays z: Int) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Whether a number format code shows a date or a time: a `d`, `m`, `y`, `h` or `s` outside quoted
    /// text, brackets (colours, locales; `[h]` elapsed hours count) and escapes.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var escaped = false
        var bracketText = ""
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if quoted { continue }
            if ch == "[" { bracket = true; bracketText = ""; continue }
            if ch == "]" {
                bracket = false
                if ["h", "hh", "m", "mm", "s", "ss"].contains(bracketText) { return true }
                continue
            }
            if bracket { bracketText.append(ch); continue }
            if "dmyhs".contains(ch) { return true }
            if ch == ";" { break }  // the format for positive numbers decides
        }
        return false
    }

    /// Excel's built-in number formats that are dates or times (ECMA-376 Part 1, 18.8.30, and the
    /// East Asian ids 27-36, 50-58).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A cell reference's column (`B7` → 1, `AA3` → 26); nil when it has no letters.
    static func column(_ reference: String) -> Int? {
        var column = 0
        var sawLetter = false
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                sawLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                sawLetter = true
            default:
                guard sawLetter else { return nil }
                return column <= 16_384 ? column - 1 : nil
            }
            if column > 16_384 { return nil }
        }
        return sawLetter ? column - 1 : nil
    }
}

/// Shared strings kept compactly (one byte buffer and offsets): a 100,000-row sheet's strings cost
/// their UTF-8 bytes, not a String object each.
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        ends.append(bytes.count)
    }

    subscript(index: Int) -> String? {
        guard index >= 0, index < ends.count else { return nil }
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }
}

/// Appends `text` to `value`, keeping at most `bound` bytes in all (the rest is counted in `bytes`,
/// not kept): a cell of gigabytes costs time to skip, never memory.
@inline(__always)
func appendBounded(_ value: inout String, _ text: String, bytes: inout Int, bound: Int) {
    let kept = bytes
    bytes += text.utf8.count
    if bytes <= bound {
        value += text
    } else if kept < bound {
        value += String(decoding: text.utf8.prefix(bound - kept), as: UTF8.self)
    }
}
