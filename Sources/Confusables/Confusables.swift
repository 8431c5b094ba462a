// Swift face of ICU's spoof checker (UTS #39) and IDNA (UTS #46), through CICU's plain-C header
// (the ICU headers themselves would clash with Foundation's ICU module, c-libraries.md §0).
internal import CICU

/// Look-alike letters from other scripts ("Аlice" with a Cyrillic А) and their skeletons.
///
/// ICU's checker may be used from several threads for checks once configured; it is created once.
public final class Confusables: @unchecked Sendable {
    public static let shared = Confusables()
    private let checker: UnsafeMutableRawPointer?
    private let idna: UnsafeMutableRawPointer?

    private init() {
        checker = cicu_spoof_open()
        idna = cicu_idna_open()
    }

    /// The UTS #39 skeleton: equal skeletons look alike ("Аlice" and "Alice"). Case-sensitive: fold
    /// case first. A comparison and blocking key, never a display value.
    public func skeleton(_ text: String) -> String {
        guard let checker else { return text }
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { input -> String in
            var capacity = Int32(input.count * 3 + 16)
            while true {
                var status: Int32 = 0
                var output = [CChar](repeating: 0, count: Int(capacity) + 1)
                let length = input.baseAddress!.withMemoryRebound(to: CChar.self, capacity: input.count) { pointer in
                    cicu_spoof_skeleton_utf8(checker, pointer, Int32(input.count), &output, capacity, &status)
                }
                if status == 1 {
                    capacity = length + 1
                    continue
                }
                guard status == 0 else { return text }
                return String(decoding: output.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    /// True when the text mixes scripts in a way UTS #39 flags (a Cyrillic letter in a Latin name).
    public func isSuspicious(_ text: String) -> Bool {
        guard let checker else { return false }
        let flags = text.withCString { cicu_spoof_flags_utf8(checker, $0, -1) }
        return flags > 0
    }

    /// A domain name in ASCII (IDNA 2008 / UTS #46): "münchen.de" → "xn--mnchen-3ya.de"; nil if invalid.
    public func domainToASCII(_ domain: String) -> String? {
        guard let idna else { return nil }
        var output = [CChar](repeating: 0, count: 512)
        let length = domain.withCString { cicu_idna_to_ascii_utf8(idna, $0, -1, &output, 511) }
        guard length > 0 else { return nil }
        return String(decoding: output.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
