import LeadCore
import PhoneNumbers
import Synchronization

/// Phone numbers to E.164 with libphonenumber, after repairing what spreadsheets do to them.
///
/// Region order: the number's own (+44...), else the record's country, else the source's default
/// country, else the run's default. Results are cached by (text, region): libphonenumber costs
/// about 60 µs a call and lead lists repeat switchboard numbers.
public final class PhoneNormalizer: Sendable {
    public struct Outcome: Sendable, Hashable {
        public var e164: String?
        public var `extension`: String?
        public var region: String?
        public var lineType: PhoneLineType?
        /// "repaired-apostrophe", "repaired-plus", "repaired-zero", "excel-scientific", "invalid", "unparsable"
        public var flags: Set<String>
    }

    private let cache = Mutex<[String: Outcome]>([:])
    private let cacheLimit = 100_000

    public init() {}

    public func normalize(_ raw: String, region: String?) -> Outcome {
        let region = region ?? "ZZ"
        let cacheKey = region + "\u{1}" + raw
        if let hit = cache.withLock({ $0[cacheKey] }) { return hit }
        let outcome = compute(raw, region: region)
        cache.withLock { entries in
            if entries.count >= cacheLimit { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = outcome
        }
        return outcome
    }

    private func compute(_ raw: String, region: String) -> Outcome {
        var flags = Set<String>()
        var text = raw.trimmingWhitespace()
        if text.hasPrefix("'") {
            // Apollo and others prefix an apostrophe so Excel keeps the text.
            text.removeFirst()
            flags.insert("repaired-apostrophe")
        }
        if Self.isScientific(text) {
            // "4.47712E+11": Excel turned the number into a float and lost digits. Not repairable.
            flags.insert("excel-scientific")
            flags.insert("invalid")
            return Outcome(e164: nil, extension: nil, region: nil, lineType: nil, flags: flags)
        }
        var attempt = PhoneNumbers.parse(text, region: region)
        let digits = text.filter(\.isNumber)
        if case .failure(.invalidCountryCode) = attempt, text.trimmingWhitespace().hasPrefix("00") {
            // "0048 601 234 567" with no country to read it in: 00 is the international prefix of
            // most of the world (ITU-T E.164 recommends it), so the digits after it are E.164.
            let international = PhoneNumbers.parse("+" + digits.dropFirst(2), region: "ZZ")
            if case .success(let parsed) = international, parsed.isValid {
                attempt = international
                flags.insert("international-prefix")
            }
        }
        if !text.hasPrefix("+") && !text.hasPrefix("00") && digits.count >= 10 {
            // A lost leading "+": "447700900123" read as a national number is invalid, "+44..." valid.
            let plus = PhoneNumbers.parse("+" + digits, region: "ZZ")
            let nationalValid = (try? attempt.get())?.isValid ?? false
            if !nationalValid, case .success(let parsed) = plus, parsed.isValid {
                attempt = plus
                flags.insert("repaired-plus")
            }
        }
        if case .success(let parsed) = attempt, !parsed.isValid, !text.hasPrefix("+"), !text.hasPrefix("0"), region != "ZZ" {
            // A lost leading zero of a national number ("7700 900123" for "07700 900123").
            if case .success(let zero) = PhoneNumbers.parse("0" + text, region: region), zero.isValid {
                attempt = .success(zero)
                flags.insert("repaired-zero")
            }
        }
        switch attempt {
        case .success(let parsed):
            if !parsed.isValid { flags.insert("invalid") }
            return Outcome(
                e164: parsed.isValid ? parsed.e164 : nil, extension: parsed.extension, region: parsed.region,
                lineType: parsed.lineType, flags: flags)
        case .failure(let failure):
            flags.insert(failure == .invalidCountryCode ? "no-region" : "unparsable")
            flags.insert("invalid")
            return Outcome(e164: nil, extension: nil, region: nil, lineType: nil, flags: flags)
        }
    }

    static func isScientific(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard let e = upper.firstIndex(of: "E") else { return false }
        let mantissa = upper[..<e], exponent = upper[upper.index(after: e)...]
        return mantissa.contains(".") && mantissa.allSatisfy { $0.isNumber || $0 == "." }
            && !exponent.isEmpty && exponent.allSatisfy { $0.isNumber || $0 == "+" }
    }
}
