// Swift face of ICU's spoof checker (UTS #39) and IDNA (UTS #46). No Foundation here: Foundation's
// own ICU module clashes with the system ICU headers (c-libraries.md §0).
// `internal import` still let clients that import Foundation see the system ICU headers (and clash
// with Foundation's ICU); implementation-only hides them. Safe here: no stored property has a CICU type.
@_implementationOnly import CICU

/// Look-alike letters from other scripts ("Аlice" with a Cyrillic А) and their skeletons.
///
/// ICU's checker may be used from several threads for checks once configured; it is created once.
public final class Confusables: @unchecked Sendable {
    public static let shared = Confusables()
    private let checker: OpaquePointer?
    private let idna: OpaquePointer?

    private init() {
        var status = U_ZERO_ERROR
        let checker = cicu_spoof_open(&status)
        if cicu_failure(status) == 0 {
            cicu_spoof_set_checks(checker, cicu_all_checks(), &status)
            self.checker = checker
        } else {
            self.checker = nil
        }
        var idnaStatus = U_ZERO_ERROR
        let idna = cicu_idna_open(&idnaStatus)
        self.idna = cicu_failure(idnaStatus) == 0 ? idna : nil
    }

    /// The UTS #39 skeleton: equal skeletons look alike ("Аlice" and "Alice"). Case-sensitive: fold
    /// case first. A comparison and blocking key, never a display value.
    public func skeleton(_ text: String) -> String {
        guard let checker else { return text }
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { input -> String in
            var capacity = Int32(input.count * 3 + 16)
            while true {
                var status = U_ZERO_ERROR
                var output = [CChar](repeating: 0, count: Int(capacity) + 1)
                let length = input.baseAddress!.withMemoryRebound(to: CChar.self, capacity: input.count) { pointer in
                    cicu_spoof_skeleton_utf8(checker, pointer, Int32(input.count), &output, capacity, &status)
                }
                if status == U_BUFFER_OVERFLOW_ERROR {
                    capacity = length + 1
                    continue
                }
                guard cicu_failure(status) == 0 else { return text }
                return String(decoding: output.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    /// True when the text mixes scripts in a way UTS #39 flags (a Cyrillic letter in a Latin name).
    public func isSuspicious(_ text: String) -> Bool {
        guard let checker else { return false }
        var status = U_ZERO_ERROR
        let result = text.withCString { cicu_spoof_check_utf8(checker, $0, -1, &status) }
        guard cicu_failure(status) == 0 else { return false }
        let flags = result & (cicu_check_restriction_level() | cicu_check_mixed_script())
        return flags != 0
    }

    /// A domain name in ASCII (IDNA 2008 / UTS #46): "münchen.de" → "xn--mnchen-3ya.de"; nil if invalid.
    public func domainToASCII(_ domain: String) -> String? {
        guard let idna else { return nil }
        var status = U_ZERO_ERROR
        var errors: UInt32 = 0
        var output = [CChar](repeating: 0, count: 512)
        let length = domain.withCString { cicu_idna_to_ascii_utf8(idna, $0, -1, &output, 511, &errors, &status) }
        guard cicu_failure(status) == 0, errors == 0, length > 0 else { return nil }
        return String(decoding: output.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
