// Charset detection and conversion with ICU, for 8-bit text that declares no charset.
internal import CICU

public enum Charsets {
    /// ICU's best guess for `bytes` ("windows-1251", "ISO-8859-7", ...) and its confidence (0-100).
    public static func detect(_ bytes: [UInt8]) -> (name: String, confidence: Int)? {
        guard !bytes.isEmpty else { return nil }
        var name = [CChar](repeating: 0, count: 64)
        var confidence: Int32 = 0
        let found = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cicu_detect_charset($0, Int32(buffer.count), &name, 64, &confidence)
            }
        }
        guard found != 0 else { return nil }
        return (String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), Int(confidence))
    }

    /// Converts `bytes` from `charset` to a String; nil if ICU does not know the charset.
    public static func decode(_ bytes: [UInt8], charset: String) -> String? {
        guard !bytes.isEmpty else { return "" }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let written = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { input in
                charset.withCString { cicu_convert_to_utf8($0, input, Int32(buffer.count), &output, Int32(output.count)) }
            }
        }
        guard written >= 0 else { return nil }
        return String(decoding: output.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
