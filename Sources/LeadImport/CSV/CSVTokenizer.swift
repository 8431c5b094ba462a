public import LeadCore

/// One logical CSV row: its fields and the physical lines it spans.
public struct CSVRow: Sendable {
    public var fields: [String]
    /// 1-based first and last physical line.
    public var line: Int
    public var endLine: Int
    /// Set when the row is malformed (unterminated quote); the fields are what could be read.
    public var problem: String?
    /// Set when the row broke a limit; the tokenizer kept at most the limit's worth of it.
    public var overLimit: OverLimit?

    public enum OverLimit: Sendable, Hashable {
        /// Field `index` (0-based) held `bytes` bytes.
        case field(index: Int, bytes: Int)
        /// The row had `count` fields.
        case fieldCount(Int)
        /// The row held `bytes` bytes in all.
        case record(bytes: Int)
    }

    /// True when every field is empty or whitespace.
    public var isBlank: Bool { fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
}

/// RFC 4180 tokenizer plus what real exports do: CR, LF or CRLF line ends, quoted fields with
/// embedded newlines, a stray quote inside an unquoted field kept literally, text after a closing quote
/// kept (and flagged). Works on a UTF-8 byte stream and reuses one field buffer: no per-byte allocation.
///
/// Hand-written: the CSV packages on this machine (SwiftCSV, CSV.swift) load whole strings or cannot
/// report physical line numbers per row, both of which the importer needs.
public final class CSVTokenizer {
    private let stream: UTF8Stream
    public let delimiter: UInt8
    private var pushback: UInt8?
    private var line = 1
    private var field: [UInt8] = []
    private var fields: [String] = []
    private let limits: ImportLimits
    /// The current field's and row's true sizes and field count (what was kept may be less).
    private var fieldBytes = 0
    private var rowBytes = 0
    private var fieldCount = 0
    private var overLimit: CSVRow.OverLimit?

    /// Bytes of the file read so far.
    public var bytesRead: Int64 { stream.bytesRead }

    public init(stream: UTF8Stream, delimiter: UInt8, limits: ImportLimits = .default) {
        self.stream = stream
        self.delimiter = delimiter
        self.limits = limits
        field.reserveCapacity(256)
    }

    /// Appends a byte of the current field, keeping no more than the limits allow: a field of
    /// gigabytes costs time to skip, never memory.
    @inline(__always)
    private func keep(_ byte: UInt8) {
        fieldBytes += 1
        rowBytes += 1
        if fieldBytes <= limits.maxFieldBytes && rowBytes <= limits.maxRecordBytes { field.append(byte) }
    }

    /// Builds the row that ends here, with the first limit it broke.
    private func row(start: Int, end: Int, problem: String?) -> CSVRow {
        var row = CSVRow(fields: fields, line: start, endLine: end, problem: problem)
        if fieldCount > limits.maxFieldsPerRecord {
            row.overLimit = .fieldCount(fieldCount)
        } else {
            row.overLimit = overLimit ?? (rowBytes > limits.maxRecordBytes ? .record(bytes: rowBytes) : nil)
        }
        return row
    }

    @inline(__always)
    private func read() throws(ImportError) -> UInt8? {
        if let byte = pushback {
            pushback = nil
            return byte
        }
        return try stream.next()
    }

    /// Consumes a line end that started with `byte` (CR, LF or CRLF); returns false if `byte` is not one.
    @inline(__always)
    private func consumeNewline(_ byte: UInt8) throws(ImportError) -> Bool {
        if byte == 0x0A {
            line += 1
            return true
        }
        if byte == 0x0D {
            if let next = try read(), next != 0x0A { pushback = next }
            line += 1
            return true
        }
        return false
    }

    private func endField() {
        if fieldBytes > limits.maxFieldBytes, overLimit == nil { overLimit = .field(index: fieldCount, bytes: fieldBytes) }
        fieldCount += 1
        if fieldCount <= limits.maxFieldsPerRecord { fields.append(String(decoding: field, as: UTF8.self)) }
        field.removeAll(keepingCapacity: true)
        fieldBytes = 0
    }

    /// An empty last field after a trailing delimiter.
    private func emptyField() {
        field.removeAll(keepingCapacity: true)
        fieldBytes = 0
        endField()
    }

    /// The next logical row, or nil at the end of the input.
    public func nextRow() throws(ImportError) -> CSVRow? {
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        fieldBytes = 0
        rowBytes = 0
        fieldCount = 0
        overLimit = nil
        let start = line
        var problem: String?
        guard var byte = try read() else { return nil }
        while true {
            if byte == 0x22 && field.isEmpty {
                // Quoted field.
                let quoteLine = line
                var closed = false
                while let inner = try read() {
                    if inner == 0x22 {
                        if let after = try read() {
                            if after == 0x22 { keep(0x22); continue }
                            pushback = after
                        }
                        closed = true
                        break
                    }
                    if inner == 0x0A { line += 1 } else if inner == 0x0D {
                        if let next = try read(), next != 0x0A { pushback = next }
                        line += 1
                        keep(0x0A)
                        continue
                    }
                    keep(inner)
                }
                if !closed {
                    problem = "unterminated quoted field starting at line \(quoteLine)"
                    endField()
                    return row(start: start, end: line, problem: problem)
                }
                // Text after the closing quote up to the delimiter is kept literally.
                var sawDelimiter = false
                while let after = try read() {
                    if after == delimiter { sawDelimiter = true; break }
                    if try consumeNewline(after) {
                        endField()
                        return row(start: start, end: line - 1, problem: problem)
                    }
                    if problem == nil { problem = "text after a closing quote at line \(line)" }
                    keep(after)
                }
                endField()
                guard sawDelimiter else { return row(start: start, end: line, problem: problem) }
                guard let nextByte = try read() else {
                    emptyField()
                    return row(start: start, end: line, problem: problem)
                }
                if try consumeNewline(nextByte) {
                    emptyField()
                    return row(start: start, end: line - 1, problem: problem)
                }
                byte = nextByte
                continue
            }
            // Unquoted field.
            var current: UInt8? = byte
            while let c = current {
                if c == delimiter {
                    endField()
                    guard let nextByte = try read() else {
                        emptyField()
                        return row(start: start, end: line, problem: problem)
                    }
                    if try consumeNewline(nextByte) {
                        emptyField()
                        return row(start: start, end: line - 1, problem: problem)
                    }
                    byte = nextByte
                    break
                }
                if try consumeNewline(c) {
                    endField()
                    return row(start: start, end: line - 1, problem: problem)
                }
                keep(c)
                current = try read()
                if current == nil {
                    endField()
                    return row(start: start, end: line, problem: problem)
                }
            }
        }
    }
}

/// Delimiter sniffing on the first logical lines of decoded text (formats.md §0.2).
public enum DelimiterSniffer {
    public static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]  // , ; tab |

    /// Returns an Excel `sep=X` first line's delimiter, if the text starts with one.
    public static func excelSepLine(_ text: [UInt8]) -> UInt8? {
        let prefix = Array("sep=".utf8)
        guard text.count >= 5, Array(text[0..<4]).map({ $0 | 0x20 }) == prefix else { return nil }
        let delimiter = text[4]
        let rest = text.count > 5 ? text[5] : 0x0A
        return (rest == 0x0A || rest == 0x0D) ? delimiter : nil
    }

    /// Picks the candidate whose count outside quotes is most often the same non-zero number per line.
    public static func sniff(_ text: [UInt8], maxLines: Int = 50) -> UInt8 {
        var perLine: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var nonBlank = false
        for byte in text {
            if byte == 0x22 { inQuotes.toggle(); continue }
            if !inQuotes && (byte == 0x0A || byte == 0x0D) {
                if nonBlank { perLine.append(counts) }
                counts = [Int](repeating: 0, count: candidates.count)
                nonBlank = false
                if perLine.count >= maxLines { break }
                continue
            }
            if byte != 0x20 { nonBlank = true }
            if !inQuotes, let i = candidates.firstIndex(of: byte) { counts[i] += 1 }
        }
        if nonBlank { perLine.append(counts) }
        var best = (index: 0, lines: 0, width: 0)
        for i in candidates.indices {
            var histogram: [Int: Int] = [:]
            for counts in perLine where counts[i] > 0 { histogram[counts[i], default: 0] += 1 }
            guard let mode = histogram.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }) else { continue }
            if mode.value > best.lines || (mode.value == best.lines && mode.key > best.width && best.lines > 0 && i != 0) {
                best = (i, mode.value, mode.key)
            }
        }
        return candidates[best.index]
    }
}
