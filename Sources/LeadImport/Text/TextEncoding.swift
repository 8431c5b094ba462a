public import LeadCore

/// The text encodings importers read, in the order they are tried: BOM, strict UTF-8, Windows-1252.
public enum TextEncoding: String, Sendable, Codable, Hashable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case windows1252 = "Windows-1252"
    case latin1 = "ISO-8859-1"

    /// Length of the byte-order mark this encoding starts with in the file.
    public var bomLength: Int {
        switch self {
        case .utf8BOM: 3
        case .utf16LE, .utf16BE: 2
        default: 0
        }
    }

    /// Encoding named by a BOM at the start of `head`, if any.
    public static func fromBOM(_ head: [UInt8]) -> TextEncoding? {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
        if head.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if head.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        return nil
    }

    /// UTF-16 without a byte-order mark: in the first bytes, most bytes at even (big-endian) or odd
    /// (little-endian) offsets are zero and almost none at the other parity (text that is mostly ASCII,
    /// as every lead list is, written as UTF-16 by a tool that leaves out the BOM).
    public static func utf16WithoutBOM(_ head: [UInt8]) -> TextEncoding? {
        let sample = head.prefix(4096)
        guard sample.count >= 8 else { return nil }
        var zeros = (even: 0, odd: 0)
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { zeros.even += 1 } else { zeros.odd += 1 }
        }
        let half = sample.count / 2
        if zeros.odd * 10 >= half * 7, zeros.even * 20 <= half { return .utf16LE }
        if zeros.even * 10 >= half * 7, zeros.odd * 20 <= half { return .utf16BE }
        return nil
    }

    /// The encoding the first bytes show: a BOM, or UTF-16 without one.
    public static func fromHead(_ head: [UInt8]) -> TextEncoding? { fromBOM(head) ?? utf16WithoutBOM(head) }

    /// Binary data, as opposed to text with a few stray control bytes (a NUL in one name, a BEL, an ANSI
    /// escape): a known binary signature, or more than 5% control bytes among the first 8 KiB (tab, line
    /// ends, form feed and escape not counted), or a run of NUL bytes. Text in UTF-16 is text. Returns
    /// why it is binary, or nil for text.
    public static func binaryReason(_ head: [UInt8]) -> String? {
        if fromHead(head) != nil { return nil }
        let signatures: [([UInt8], String)] = [
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (an .xlsx or .ods workbook is one)"),
            ([0x25, 0x50, 0x44, 0x46], "a PDF document"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"), ([0xFF, 0xD8, 0xFF], "a JPEG image"), ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
            ([0x1F, 0x8B], "gzip-compressed data"), ([0xD0, 0xCF, 0x11, 0xE0], "an OLE2 document (an old .xls or .doc)"),
            ([0x7F, 0x45, 0x4C, 0x46], "an executable"), ([0x37, 0x7A, 0xBC, 0xAF], "a 7-Zip archive"),
            ([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x20, 0x66], "an SQLite database"),
        ]
        for (magic, name) in signatures where head.starts(with: magic) { return name }
        let sample = head.prefix(8192)
        guard !sample.isEmpty else { return nil }
        var controls = 0
        var nulRun = 0
        var longestNulRun = 0
        for byte in sample {
            if byte == 0 { nulRun += 1; longestNulRun = max(longestNulRun, nulRun) } else { nulRun = 0 }
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x0C, byte != 0x1B { controls += 1 }
        }
        if longestNulRun >= 4 { return "binary data (runs of NUL bytes)" }
        if controls * 20 > sample.count { return "binary data (\(controls * 100 / sample.count)% control bytes)" }
        return nil
    }

    /// Decision for a whole file: BOM, else strict UTF-8 over every byte (streamed), else Windows-1252.
    /// Returns the encoding and, for the fallback, a warning that says so and where UTF-8 broke.
    public static func detect(_ file: SourceFile) throws(ImportError) -> (TextEncoding, Issue?) {
        if let bom = fromHead(file.head) { return (bom, nil) }
        let reader: ChunkedFileReader
        do { reader = try ChunkedFileReader(path: file.path) } catch {
            throw ImportError("file.unreadable", error.message, at: SourceLocation(file: file.name))
        }
        var validator = UTF8Validator()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do { count = try reader.read(into: &buffer) } catch {
                throw ImportError("file.unreadable", error.message, at: SourceLocation(file: file.name))
            }
            if count == 0 { break }
            if !validator.feed(buffer[..<count]) { break }
        }
        if validator.valid && validator.finish() { return (.utf8, nil) }
        let issue = Issue(
            .warning, "encoding.fallback",
            "file is not valid UTF-8 (first bad byte at line \(validator.line)); read as Windows-1252",
            at: SourceLocation(file: file.name, line: validator.line))
        return (.windows1252, issue)
    }
}

/// Incremental strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
/// Hand-written because the standard library has no incremental validator and a file must be judged
/// whole before decoding (formats.md §0.1: never mix encodings within a file).
struct UTF8Validator {
    private(set) var valid = true
    private(set) var line = 1
    private var need = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> Bool {
        for byte in bytes {
            if need == 0 {
                if byte == 0x0A { line += 1 }
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; upper = 0x9F
                case 0xF0: need = 3; lower = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; upper = 0x8F
                default: valid = false; return false
                }
            } else {
                guard byte >= lower && byte <= upper else { valid = false; return false }
                lower = 0x80
                upper = 0xBF
                need -= 1
            }
        }
        return true
    }

    func finish() -> Bool { valid && need == 0 }
}

/// Decodes single-byte Windows-1252 (and ISO-8859-1) to UTF-8. Hand-written: it is a 32-entry table,
/// and Foundation's String(data:encoding:) cannot stream.
public enum SingleByteDecoding {
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ]

    @inline(__always)
    public static func scalar(_ byte: UInt8, windows1252: Bool) -> UInt32 {
        if windows1252, byte >= 0x80, byte <= 0x9F { return UInt32(cp1252High[Int(byte - 0x80)]) }
        return UInt32(byte)
    }

    /// Decodes a whole byte string (for short values such as a vCard property).
    public static func decode(_ bytes: some Sequence<UInt8>, windows1252: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(Unicode.Scalar(scalar(byte, windows1252: windows1252))!) }
        return String(out)
    }
}

@inline(__always)
func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80: out.append(UInt8(scalar))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (scalar >> 6)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (scalar >> 12)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (scalar >> 18)))
        out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}

/// A file's bytes decoded to UTF-8, one chunk at a time; memory stays at two chunks.
public final class UTF8Stream {
    private let reader: ChunkedFileReader
    private let encoding: TextEncoding
    private let fileName: String
    private var raw = [UInt8](repeating: 0, count: 1 << 16)
    private var out: [UInt8] = []
    private var index = 0
    private var carry: [UInt8] = []
    private var pendingHigh: UInt16?
    private var atEnd = false

    public init(file: SourceFile, encoding: TextEncoding) throws(ImportError) {
        do { reader = try ChunkedFileReader(path: file.path) } catch {
            throw ImportError("file.unreadable", error.message, at: SourceLocation(file: file.name))
        }
        self.encoding = encoding
        self.fileName = file.name
        out.reserveCapacity(1 << 17)
        // Skip the byte-order mark (UTF-16 may come without one).
        if encoding.bomLength > 0, TextEncoding.fromBOM(file.head) == encoding {
            var bom = [UInt8](repeating: 0, count: encoding.bomLength)
            _ = try? reader.read(into: &bom)
        }
    }

    /// Bytes of the file read so far (the stream reads ahead by at most one chunk of 64 KiB).
    public var bytesRead: Int64 { reader.offset }

    /// The next UTF-8 byte, or nil at the end.
    @inline(__always)
    public func next() throws(ImportError) -> UInt8? {
        if index < out.count {
            defer { index += 1 }
            return out[index]
        }
        guard try refill() else { return nil }
        defer { index += 1 }
        return out[index]
    }

    private func refill() throws(ImportError) -> Bool {
        while true {
            if atEnd { return false }
            out.removeAll(keepingCapacity: true)
            index = 0
            let count: Int
            do { count = try reader.read(into: &raw) } catch {
                throw ImportError("file.unreadable", error.message, at: SourceLocation(file: fileName))
            }
            if count == 0 {
                atEnd = true
                if !carry.isEmpty || pendingHigh != nil { appendUTF8(0xFFFD, to: &out) }
                return !out.isEmpty
            }
            switch encoding {
            case .utf8, .utf8BOM:
                out.append(contentsOf: raw[..<count])
            case .windows1252, .latin1:
                let cp = encoding == .windows1252
                for byte in raw[..<count] {
                    if byte < 0x80 { out.append(byte) } else { appendUTF8(SingleByteDecoding.scalar(byte, windows1252: cp), to: &out) }
                }
            case .utf16LE, .utf16BE:
                var bytes = carry
                bytes.append(contentsOf: raw[..<count])
                let pairs = bytes.count / 2
                carry = bytes.count % 2 == 1 ? [bytes[bytes.count - 1]] : []
                for i in 0..<pairs {
                    let a = UInt16(bytes[2 * i]), b = UInt16(bytes[2 * i + 1])
                    let unit = encoding == .utf16LE ? (b << 8 | a) : (a << 8 | b)
                    if let high = pendingHigh {
                        pendingHigh = nil
                        if unit >= 0xDC00 && unit <= 0xDFFF {
                            appendUTF8(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00), to: &out)
                            continue
                        }
                        appendUTF8(0xFFFD, to: &out)
                    }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        pendingHigh = unit
                    } else if unit >= 0xDC00 && unit <= 0xDFFF {
                        appendUTF8(0xFFFD, to: &out)
                    } else {
                        appendUTF8(UInt32(unit), to: &out)
                    }
                }
            }
            if !out.isEmpty { return true }
        }
    }
}
