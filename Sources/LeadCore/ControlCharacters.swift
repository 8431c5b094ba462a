/// Control and invisible formatting characters in values, messages and logs.
///
/// Real exports carry them by accident (a NUL from a broken converter, a BEL or backspace typed into a
/// web form, ANSI colour codes pasted from a terminal, zero-width spaces from a rich-text editor) or
/// on purpose (a bidi override that makes `moc.evil` read as `live.com`). None of them belongs in a
/// lead's name, title or e-mail, and none may reach a terminal raw.
///
/// Hand-written: the rules are a short list of Unicode ranges; ICU's `[:Cc:]`/`[:Cf:]` sets would also
/// remove the joiners that Persian and Indic names need (kept here next to non-Latin letters).
public enum ControlCharacters {
    /// True for a scalar that is removed from values: C0 controls other than tab and line ends, DEL,
    /// C1 controls, bidi embeddings/overrides/isolates and marks, zero-width spaces, word joiner, BOM,
    /// the Mongolian vowel separator, and interlinear annotation marks.
    @inline(__always)
    static func isRemoved(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F, 0x80...0x9F: true
        case 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x180E: true
        case 0xFFF9...0xFFFB: true
        default: false
        }
    }

    /// Bytes that may start a removed character in UTF-8; a string with none of them is left as is
    /// without decoding (the common case, checked at memory speed).
    @inline(__always)
    private static func mayStartRemoved(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F || byte == 0xC2 || byte == 0xE1
            || byte == 0xE2 || byte == 0xEF
    }

    /// False when `text` surely holds no character ``removing(from:)`` removes (checked on its bytes).
    public static func mayContain(_ text: String) -> Bool { text.utf8.contains(where: mayStartRemoved) }

    /// The text with control characters removed, and how many were removed; nil when there were none.
    /// An ANSI escape sequence (`ESC [ ... m`) goes as a whole; a zero-width joiner or non-joiner stays
    /// between two letters beyond Latin (Persian, Devanagari, emoji sequences) and goes elsewhere.
    public static func removing(from text: String) -> (text: String, removed: Int)? {
        guard text.utf8.contains(where: mayStartRemoved) else { return nil }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var removed = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let value = scalar.value
            if value == 0x1B {
                // ESC: a CSI sequence (ESC [ parameters final) or a two-character escape.
                removed += 1
                index += 1
                if index < scalars.count, scalars[index] == "[" {
                    index += 1
                    while index < scalars.count, !(0x40...0x7E).contains(scalars[index].value) { index += 1 }
                    index += 1
                } else if index < scalars.count, (0x40...0x5F).contains(scalars[index].value) {
                    index += 1
                }
                continue
            }
            if value == 0x200C || value == 0x200D {
                let before = index > 0 ? scalars[index - 1].value : 0
                let after = index + 1 < scalars.count ? scalars[index + 1].value : 0
                if before > 0x24F && after > 0x24F {
                    out.append(scalar)
                } else {
                    removed += 1
                }
                index += 1
                continue
            }
            if isRemoved(value) {
                removed += 1
            } else {
                out.append(scalar)
            }
            index += 1
        }
        return removed == 0 ? nil : (String(out), removed)
    }

    /// The text with every control character shown as an escape (`\u{1B}`), for messages and logs: what
    /// reaches a terminal never moves its cursor, rings, recolours or reverses it. Tab and line ends are
    /// escaped too (a message is one line).
    public static func escaping(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE1 || $0 == 0xE2 || $0 == 0xEF })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || isRemoved(value) || value == 0x200C || value == 0x200D {
                out += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
