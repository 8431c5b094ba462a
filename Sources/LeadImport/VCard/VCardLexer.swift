import LeadCore
import Confusables
import Foundation

/// One vCard property: `[group.]NAME;PARAM=VALUE...:value`, with its value still encoded.
public struct VCardProperty: Sendable {
    public var group: String?
    /// Upper-cased name ("TEL", "X-SOCIALPROFILE").
    public var name: String
    /// Parameters, names upper-cased; bare 2.1 types (`TEL;CELL;VOICE`) are collected under "TYPE".
    public var parameters: [String: [String]]
    /// The value bytes as written (after unfolding and quoted-printable soft breaks).
    public var rawValue: [UInt8]
    public var line: Int
    /// Bytes of the value when a line or the unfolded value was longer than the line limit (the lexer
    /// kept only the limit's worth); nil for an ordinary property.
    public var oversizedBytes: Int?
    /// The property's lines as written (with its folded continuations), at most 4 KiB of them: the
    /// text of a rejected card in an error file.
    public var sourceText: [UInt8] = []

    public func parameter(_ name: String) -> String? { parameters[name]?.first }

    /// TYPE values, lower-cased, split on commas (`TYPE="work,voice"` and `type=WORK;type=pref`).
    public var types: [String] {
        (parameters["TYPE"] ?? []).flatMap { $0.split(separator: ",") }.map { $0.lowercased().trimmingWhitespace() }
    }
}

/// Reads logical vCard lines from a byte stream: unfolds continuation lines, joins 2.1
/// quoted-printable soft line breaks (including Android's unindented continuations), and skips
/// embedded binary values (PHOTO, LOGO, SOUND, KEY) without keeping their bytes.
///
/// Hand-written: no package on this machine parses vCard, and a streaming, byte-level reader is what
/// per-property charsets and multi-megabyte photos need.
final class VCardLexer {
    private let stream: UTF8Stream
    private var pending: (bytes: [UInt8], line: Int)?
    private var pushbackByte: UInt8?
    private var line = 0
    private let maxLineBytes: Int
    /// True bytes of the last physical line read when it was longer than the limit.
    private var lastOverflow: Int?
    static let binaryProperties: Set<String> = ["PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE"]
    static let sourceTextLimit = 4096

    init(stream: UTF8Stream, maxLineBytes: Int = ImportLimits.default.maxLineBytes) {
        self.stream = stream
        self.maxLineBytes = maxLineBytes
    }

    var bytesRead: Int64 { stream.bytesRead }

    @inline(__always)
    private func byte() throws(ImportError) -> UInt8? {
        if let byte = pushbackByte {
            pushbackByte = nil
            return byte
        }
        return try stream.next()
    }

    /// The next physical line without its line end (CR, LF or CRLF), or nil at the end. Keeps at most
    /// the line limit's bytes (an inline photo of megabytes is skipped, not held); `lastOverflow` says
    /// how long a longer line was.
    private func readPhysical() throws(ImportError) -> (bytes: [UInt8], line: Int)? {
        if let pending {
            self.pending = nil
            return pending
        }
        var bytes: [UInt8] = []
        var count = 0
        var sawAny = false
        lastOverflow = nil
        func finish() -> (bytes: [UInt8], line: Int) {
            line += 1
            if count > maxLineBytes { lastOverflow = count }
            return (bytes, line)
        }
        while let b = try byte() {
            sawAny = true
            if b == 0x0A { return finish() }
            if b == 0x0D {
                if let next = try byte(), next != 0x0A { pushbackByte = next }
                return finish()
            }
            count += 1
            if count <= maxLineBytes { bytes.append(b) }
        }
        guard sawAny else { return nil }
        return finish()
    }

    /// A logical property line, or nil at the end. Blank lines are skipped.
    func next() throws(ImportError) -> VCardProperty? {
        while true {
            guard let physical = try readPhysical() else { return nil }
            var oversized = lastOverflow
            let startLine = physical.line
            // Drop leading whitespace ("BEGIN:VCARD" indented, whitespace after BEGIN).
            guard let start = physical.bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            let bytes = Array(physical.bytes[start...])
            guard let colon = Self.valueColon(bytes) else {
                return VCardProperty(group: nil, name: "", parameters: [:], rawValue: bytes, line: startLine)
            }
            var property = Self.header(Array(bytes[..<colon]), line: startLine)
            var source = Array(physical.bytes.prefix(Self.sourceTextLimit))
            var value = Array(bytes[(colon + 1)...])
            let quotedPrintable = (property.parameter("ENCODING")?.uppercased() == "QUOTED-PRINTABLE")
                || property.types.contains("quoted-printable")
            let binary = Self.binaryProperties.contains(property.name)
            // Continuations.
            var valueBytes = oversized ?? value.count
            func append(_ more: ArraySlice<UInt8>, trueCount: Int) {
                valueBytes += trueCount
                if valueBytes > maxLineBytes { oversized = valueBytes }
                if value.count + more.count <= maxLineBytes { value.append(contentsOf: more) }
            }
            func keepSource(_ line: [UInt8]) {
                guard source.count < Self.sourceTextLimit else { return }
                source.append(0x0A)
                source += line.prefix(Self.sourceTextLimit - source.count)
            }
            while let next = try readPhysical() {
                let kept = source.count
                if !binary || Self.valueColon(next.bytes) != nil { keepSource(next.bytes) }
                if let first = next.bytes.first, first == 0x20 || first == 0x09 {
                    if !binary { append(next.bytes.dropFirst(), trueCount: lastOverflow.map { $0 - 1 } ?? next.bytes.count - 1) }
                    continue
                }
                if quotedPrintable, value.last == UInt8(ascii: "=") {
                    value.removeLast()
                    append(next.bytes[...], trueCount: lastOverflow ?? next.bytes.count)
                    continue
                }
                if binary, !next.bytes.isEmpty, Self.valueColon(next.bytes) == nil,
                   next.bytes.allSatisfy({ Self.isBase64($0) })
                {
                    continue  // an unindented base64 line of a photo
                }
                if binary, next.bytes.isEmpty { continue }  // 2.1 base64 ends with a blank line
                source.removeLast(source.count - kept)  // the next property's line is not this one's
                pushBack(next)
                break
            }
            if binary { value = [] } else { property.oversizedBytes = oversized }
            property.sourceText = source
            property.rawValue = value
            return property
        }
    }

    private func pushBack(_ line: (bytes: [UInt8], line: Int)) { pending = line }

    static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2B || byte == 0x2F || byte == 0x3D
    }

    /// The colon that ends the property header (outside double-quoted parameter values).
    static func valueColon(_ bytes: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in bytes.enumerated() {
            if byte == 0x22 { quoted.toggle() } else if byte == 0x3A && !quoted { return index }
        }
        return nil
    }

    /// Parses `[group.]NAME;PARAMS` (ASCII by the grammar; decoded leniently).
    static func header(_ bytes: [UInt8], line: Int) -> VCardProperty {
        let text = String(decoding: bytes, as: UTF8.self)
        var parts: [String] = []
        var current = ""
        var quoted = false
        for ch in text {
            if ch == "\"" { quoted.toggle(); continue }
            if ch == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        var nameText = parts.removeFirst().trimmingWhitespace()
        var group: String?
        if let dot = nameText.lastIndex(of: ".") {
            group = String(nameText[..<dot])
            nameText = String(nameText[nameText.index(after: dot)...])
        }
        var parameters: [String: [String]] = [:]
        for part in parts where !part.isEmpty {
            if let equals = part.firstIndex(of: "=") {
                let key = String(part[..<equals]).trimmingWhitespace().uppercased()
                let value = String(part[part.index(after: equals)...]).trimmingWhitespace()
                parameters[key, default: []].append(value)
            } else {
                // vCard 2.1 bare parameter: a type or an encoding.
                let bare = part.trimmingWhitespace()
                let upper = bare.uppercased()
                if ["QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"].contains(upper) {
                    parameters["ENCODING", default: []].append(upper)
                } else {
                    parameters["TYPE", default: []].append(bare)
                }
            }
        }
        return VCardProperty(group: group, name: nameText.uppercased(), parameters: parameters, rawValue: [], line: line)
    }
}

/// Value decoding: quoted-printable, base64, charsets, escapes, structured components.
enum VCardValue {
    /// Decodes `=XX` sequences (soft breaks were joined by the lexer).
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x3D, index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// Text from bytes in a declared charset (any charset ICU knows); an unknown or missing charset
    /// falls back to the file's default: UTF-8, or the charset guessed for the file's 8-bit text.
    /// Returns the text and the charset actually used.
    static func decode(_ bytes: [UInt8], charset: String?, fileDefault: String?) -> (String, String) {
        if bytes.allSatisfy({ $0 < 0x80 }) { return (String(decoding: bytes, as: UTF8.self), "US-ASCII") }
        let name = charset?.uppercased().replacingOccurrences(of: "_", with: "-")
        switch name {
        case "UTF-8", "UTF8":
            if let text = String(validating: bytes, as: UTF8.self) { return (text, "UTF-8") }
            // Declared UTF-8 but broken (a multi-byte character cut in two): keep what is valid.
            return (String(decoding: bytes, as: UTF8.self), "UTF-8 (invalid bytes replaced)")
        case "WINDOWS-1252", "CP1252", "ANSI":
            return (SingleByteDecoding.decode(bytes, windows1252: true), "Windows-1252")
        case "ISO-8859-1", "LATIN1", "ISO8859-1":
            return (SingleByteDecoding.decode(bytes, windows1252: false), "ISO-8859-1")
        case .some(let declared):
            if let text = Charsets.decode(bytes, charset: declared) { return (text, declared) }
        case .none:
            break
        }
        if let fallback = fileDefault {
            if fallback == "UTF-8", let text = String(validating: bytes, as: UTF8.self) { return (text, "UTF-8") }
            if fallback != "UTF-8", let text = Charsets.decode(bytes, charset: fallback) { return (text, fallback) }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, "UTF-8") }
        return (SingleByteDecoding.decode(bytes), "Windows-1252")
    }

    /// Splits on unescaped `separator` and unescapes each part (`\,` `\;` `\n` `\\`).
    static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for ch in text {
            if escaped {
                switch ch {
                case "n", "N": current.append("\n")
                default: current.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if escaped { current.append("\\") }
        parts.append(current)
        return parts
    }

    static func unescape(_ text: String) -> String { split(text, on: "\u{0}").joined() }
}
