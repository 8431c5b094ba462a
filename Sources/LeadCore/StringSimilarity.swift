import Foundation

/// String comparison functions for matching. Hand-written: no package on this machine offers
/// Jaro-Winkler or a phonetic code for Swift, and both are short, well-specified algorithms.
public enum StringSimilarity {
    /// Jaro-Winkler similarity in 0...1 (prefix scale 0.1, up to 4 characters), on Unicode scalars.
    public static func jaroWinkler(_ a: String, _ b: String) -> Double {
        if a == b { return a.isEmpty ? 0 : 1 }
        let s1 = Array(a.unicodeScalars), s2 = Array(b.unicodeScalars)
        if s1.isEmpty || s2.isEmpty { return 0 }
        let window = max(0, max(s1.count, s2.count) / 2 - 1)
        var matched1 = [Bool](repeating: false, count: s1.count)
        var matched2 = [Bool](repeating: false, count: s2.count)
        var matches = 0
        for i in 0..<s1.count {
            let lo = max(0, i - window), hi = min(s2.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !matched2[j] && s1[i] == s2[j] {
                matched1[i] = true
                matched2[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<s1.count where matched1[i] {
            while !matched2[k] { k += 1 }
            if s1[i] != s2[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s1.count) + m / Double(s2.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, s1.count, s2.count) && s1[prefix] == s2[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Latin letters that Unicode gives no decomposition, so diacritic folding leaves them: "Łódź"
    /// would stay "łodz" and never meet "Lodz" (after case folding, so lower case only).
    static let undecomposable: [Character: String] = [
        "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
        "ŧ": "t", "ƒ": "f",
    ]

    /// Lower-cased, accents removed, only letters, digits and single spaces.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var space = false
        for ch in folded {
            if ch.isLetter || ch.isNumber {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                if ch.isASCII {
                    out.append(ch)
                } else if let plain = Self.undecomposable[ch] {
                    out.append(contentsOf: plain)
                } else {
                    out.append(ch)
                }
            } else {
                space = true
            }
        }
        return out
    }

    /// Tokens of a folded string.
    public static func tokens(_ folded: String) -> Set<Substring> { Set(folded.split(separator: " ")) }

    /// Jaccard similarity of two token sets.
    public static func jaccard(_ a: Set<Substring>, _ b: Set<Substring>) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    /// American Soundex of the first word (letters only; "" when none). Used as the phonetic
    /// blocking key when normalization has not provided one.
    public static func soundex(_ folded: String) -> String {
        let codes: [Character: Character] = [
            "b": "1", "f": "1", "p": "1", "v": "1", "c": "2", "g": "2", "j": "2", "k": "2", "q": "2", "s": "2", "x": "2",
            "z": "2", "d": "3", "t": "3", "l": "4", "m": "5", "n": "5", "r": "6",
        ]
        let letters = folded.filter { $0.isASCII && $0.isLetter }
        guard let first = letters.first else { return "" }
        var out = String(first).uppercased()
        var last = codes[first]
        for ch in letters.dropFirst() {
            let code = codes[ch]
            if let code, code != last { out.append(code) }
            if ch != "h" && ch != "w" { last = code }
            if out.count == 4 { break }
        }
        return out.padding(toLength: 4, withPad: "0", startingAt: 0)
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions, adjacent
    /// transpositions) on characters; stops early and returns `limit + 1` once it exceeds `limit`.
    public static func damerauDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let s = Array(a), t = Array(b)
        if abs(s.count - t.count) > limit { return limit + 1 }
        if s.isEmpty || t.isEmpty { return max(s.count, t.count) }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }
}
