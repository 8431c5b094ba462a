import Confusables
import Foundation
import LeadCore

/// Person names: splitting, proper case, swapped fields and comparison keys.
public enum NameNormalizer {
    static let prefixes: Set<String> = [
        "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "herr", "frau", "mme", "mlle", "m",
        "sr", "sra", "srta", "dott", "dottssa", "ing", "mag", "rev", "hon", "lord", "lady",
    ]
    static let suffixes: Set<String> = [
        "jr", "sr", "ii", "iii", "iv", "v", "phd", "mba", "md", "cpa", "esq", "dds", "msc", "bsc", "ma", "ba", "pe", "rn",
        "cfa", "pmp", "jd", "llm", "dphil", "mphil", "frcs", "obe", "mbe", "cbe", "peng", "ceng",
    ]
    /// Suffixes that are family names as well ("Ma", "Pe", "Ba"), taken as a suffix only when written
    /// as one.
    static let familyLikeSuffixes: Set<String> = ["ma", "ba", "pe", "md", "rn", "v", "ii", "iv", "sr"]
    /// Particles that belong to the family name ("van der Berg", "de la Cruz").
    static let particles: Set<String> = [
        "van", "der", "den", "de", "la", "le", "del", "della", "di", "da", "dos", "das", "du", "von", "zu", "ter", "ten",
        "bin", "ibn", "al", "el", "st", "mac", "y",
    ]

    static func bare(_ token: Substring) -> String { StringSimilarity.fold(String(token)).replacingOccurrences(of: " ", with: "") }

    /// Personal pronouns, as people add them to their display name ("(She/Her)", "he/him").
    static let pronouns: Set<String> = [
        "she", "her", "hers", "he", "him", "his", "they", "them", "theirs", "ze", "zir", "hir", "xe", "xem", "any", "all", "elle",
        "il", "lui", "sie", "ihr", "er", "ihm", "ella",
    ]
    /// Kinds of device that a video-call tool shows as the participant's name when nobody typed one.
    static let deviceWords: Set<String> = [
        "iphone", "ipad", "android", "galaxy", "pixel", "macbook", "desktop", "laptop", "pc", "tablet", "phone", "mobile", "guest",
        "user", "unknown", "anonymous", "admin", "owner", "zoom", "teams",
    ]

    /// A name field as a person's name: emoji and pictographs out, pronouns out ("Ana (she/her)"),
    /// a nickname in parentheses out ("Katherine (Kate) Lee") or, when the parentheses hold the
    /// whole name ("Kate (Katherine Lee)"), that name; nil when what is left is not a name at all
    /// (a device or account label such as "DESKTOP-8Q2M1X" or "iPhone": a token with a digit, a
    /// product's camel case, or only words for a kind of device or user). Those labels are looked
    /// for only when `whole`: the value is all the name there is (a display name, a given name with
    /// no family name); beside another part of a name, "zÖtürk" is a typo, not a product.
    static func personal(_ value: String, whole: Bool = true) -> String? {
        // Emoji and other pictographs, with their joiners, variation selectors and skin tones (none
        // in plain ASCII, the common case, which skips the scan).
        var text = value
        if !value.utf8.allSatisfy({ $0 < 0x80 }) {
            text = String(String.UnicodeScalarView(value.unicodeScalars.filter { scalar in
                let p = scalar.properties
                if scalar.value == 0x200D || p.isVariationSelector || p.isEmojiModifier { return false }
                return p.generalCategory != .otherSymbol
            }))
        }
        func isPronouns(_ part: Substring) -> Bool {
            // Lower case is enough: the pronouns are plain letters (a full fold per word cost more
            // than the rest of the name's normalization).
            let words = part.split(whereSeparator: { $0 == "/" || $0 == "," || $0 == " " || $0 == "|" }).map { $0.lowercased() }
            return !words.isEmpty && words.allSatisfy(pronouns.contains) && (words.count >= 2 || part.contains("/"))
        }
        // Parenthesized or bracketed segments.
        var wholeName: String?
        while text.utf8.contains(where: { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") }), let open = text.firstIndex(where: { $0 == "(" || $0 == "[" }),
              let close = text[open...].firstIndex(where: { $0 == ")" || $0 == "]" }) {
            let inside = String(text[text.index(after: open)..<close]).trimmingWhitespace()
            let words = inside.split(separator: " ")
            if !isPronouns(Substring(inside)), words.count >= 2, words.allSatisfy({ $0.first?.isLetter == true }), wholeName == nil {
                wholeName = inside
            }
            text.replaceSubrange(open...close, with: " ")
        }
        if let wholeName { text = wholeName }
        // Pronouns written without parentheses: "Ana Ruiz she/her", "Ana Ruiz | she/her".
        var tokens = text.split(whereSeparator: \.isWhitespace)
        while let last = tokens.last, last == "|" || last == "-" || (last.contains("/") && isPronouns(last)) || (tokens.count > 2 && isPronouns(last)) {
            tokens.removeLast()
        }
        text = tokens.joined(separator: " ").trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        guard whole else { return text }
        // Not a person's name: a token with a digit, a product's camel case ("iPhone"), or only
        // words for a kind of device or user ("Samsung Galaxy" aside: brand names are names too).
        let words = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0 == "'" || $0 == "’" })
        if words.contains(where: { $0.contains(where: \.isNumber) }) { return nil }
        if words.contains(where: { word in
            let letters = Array(word)
            return letters.count >= 3 && letters[0].isLowercase && letters[1].isUppercase
        }) { return nil }
        if words.allSatisfy({ deviceWords.contains($0.lowercased()) }) { return nil }
        return text
    }

    /// A name folded for comparison: a letter from another script that looks like a Latin one (a
    /// Greek capital Mu in "Μinh", a Cyrillic "а") becomes its UTS #39 skeleton, in its own case
    /// (folding first would turn "Μ" into "μ", which looks like no Latin letter); then case and
    /// accents are folded. Whole-string skeletons are not used: they also map "m" to "rn".
    static func comparable(_ value: String) -> String {
        var deconfused = ""
        for character in value {
            if character.isASCII || StringSimilarity.fold(String(character)).allSatisfy(\.isASCII) {
                deconfused.append(character)
            } else {
                deconfused += Confusables.shared.skeleton(String(character))
            }
        }
        return StringSimilarity.fold(deconfused)
    }

    /// Fills missing name parts from the display name and cleans every part; returns flags
    /// ("split-display", "last-first", "proper-cased", "swapped", "mixed-script").
    public static func normalize(_ name: inout PersonName) -> Set<String> {
        var flags = Set<String>()
        func clean(_ value: String?, whole: Bool = false) -> String? {
            guard let value, let personal = personal(value, whole: whole) else {
                if value.map({ !$0.trimmingWhitespace().isEmpty }) == true { flags.insert("not-a-name") }
                return nil
            }
            if personal != value.trimmingWhitespace() { flags.insert("cleaned") }
            let text = personal.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return text.isEmpty ? nil : text.precomposedStringWithCanonicalMapping
        }
        let hasGiven = name.given.map { !$0.trimmingWhitespace().isEmpty } ?? false
        let hasFamily = name.family.map { !$0.trimmingWhitespace().isEmpty } ?? false
        name.prefix = clean(name.prefix)
        name.given = clean(name.given, whole: !hasFamily)
        name.middle = clean(name.middle)
        name.family = clean(name.family, whole: !hasGiven)
        name.suffix = clean(name.suffix)
        name.display = clean(name.display, whole: !hasGiven && !hasFamily)
        // A title typed into the given-name column: "Dr Emre" → prefix "Dr", given "Emre".
        if let given = name.given, name.prefix == nil {
            let tokens = given.split(separator: " ")
            // (Two letters at least: "M Ali" is an initial, not "M." for Monsieur.)
            if tokens.count >= 2, tokens[0].count >= 2, prefixes.contains(bare(tokens[0]).replacingOccurrences(of: ".", with: "")) {
                name.prefix = String(tokens[0])
                name.given = tokens.dropFirst().joined(separator: " ")
                flags.insert("prefix-in-given")
            }
        }

        if name.given == nil && name.family == nil, let display = name.display {
            split(display, into: &name)
            flags.insert(display.contains(",") ? "last-first" : "split-display")
        } else if let given = name.given, name.family == nil, given.contains(" ") {
            // "First Last" in a single first-name column.
            var parts = PersonName(display: given)
            split(given, into: &parts)
            name.given = parts.given
            name.middle = name.middle ?? parts.middle
            name.family = parts.family
            name.prefix = name.prefix ?? parts.prefix
            name.suffix = name.suffix ?? parts.suffix
            flags.insert("split-display")
        }
        // Credentials typed into the family name: "Caporossi, MBA" → family "Caporossi", suffix "MBA".
        if let family = name.family, let comma = family.firstIndex(of: ",") {
            let tail = family[family.index(after: comma)...].split(whereSeparator: { $0 == " " || $0 == "," })
            if !tail.isEmpty, tail.allSatisfy({ suffixes.contains(bare($0)) }) {
                name.family = String(family[..<comma]).trimmingWhitespace()
                name.suffix = name.suffix ?? tail.joined(separator: " ")
                flags.insert("suffix-in-family")
            }
        }
        // Without the comma: "Díaz Rodríguez MBA", "Cooper Jr.". Only a token written as a credential
        // (with a dot, or in capitals in a name that is not all capitals), after another word: "Ma"
        // and "Pe" are family names too.
        if let family = name.family, !family.contains(",") {
            var words = family.split(separator: " ")
            var tail: [Substring] = []
            let allCaps = family == family.uppercased()
            while words.count > 1, let last = words.last, suffixes.contains(bare(last)),
                  last.contains(".") || !Self.familyLikeSuffixes.contains(bare(last))
                    || (!allCaps && last.count >= 2 && last == last.uppercased() && last != last.lowercased())
            {
                tail.insert(last, at: 0)
                words.removeLast()
            }
            if !tail.isEmpty {
                name.family = words.joined(separator: " ")
                name.suffix = name.suffix ?? tail.joined(separator: " ")
                flags.insert("suffix-in-family")
            }
        }
        // A first and last name swapped between columns: the given column holds a family name
        // and the family column a known given name.
        if let given = name.given, let family = name.family {
            let g = comparable(given), f = comparable(family)
            if Nicknames.isKnownGivenName(f) && !Nicknames.isKnownGivenName(g) {
                name.given = family
                name.family = given
                flags.insert("swapped")
            }
        }
        for keyPath in [\PersonName.given, \PersonName.middle, \PersonName.family] {
            if let value = name[keyPath: keyPath], needsCase(value) {
                name[keyPath: keyPath] = properCase(value, isFamily: keyPath == \PersonName.family)
                flags.insert("proper-cased")
            }
        }
        if let display = name.display, needsCase(display) {
            name.display = [name.prefix, name.given, name.middle, name.family, name.suffix].compactMap { $0 }.joined(separator: " ")
        }
        if name.display == nil, let best = name.best { name.display = best }
        let all = [name.given, name.family].compactMap { $0 }.joined(separator: " ")
        if !all.isEmpty && Confusables.shared.isSuspicious(all) { flags.insert("mixed-script") }
        return flags
    }

    /// Splits "Dr. Ann van der Berg PhD" or "Berg, Ann" into parts.
    static func split(_ display: String, into name: inout PersonName) {
        var segments = display.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        // Trailing ", PhD", ", Jr., MBA" segments are suffixes.
        var suffixSegments: [String] = []
        while segments.count > 1, let last = segments.last,
              last.split(separator: " ").allSatisfy({ suffixes.contains(bare($0)) })
        {
            suffixSegments.insert(last, at: 0)
            segments.removeLast()
        }
        if !suffixSegments.isEmpty { name.suffix = suffixSegments.joined(separator: ", ") }
        var text = segments.first ?? ""
        var commaGiven: String?
        if segments.count >= 2 {
            // "Last, First Middle"
            commaGiven = segments[1...].joined(separator: " ")
        } else {
            text = segments.first ?? display
        }
        var tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        var prefixParts: [String] = []
        while let first = tokens.first, tokens.count > 1, prefixes.contains(bare(Substring(first))) {
            prefixParts.append(first)
            tokens.removeFirst()
        }
        var suffixParts: [String] = []
        while let last = tokens.last, tokens.count > 1, suffixes.contains(bare(Substring(last))) {
            suffixParts.insert(last, at: 0)
            tokens.removeLast()
        }
        if !prefixParts.isEmpty { name.prefix = name.prefix ?? prefixParts.joined(separator: " ") }
        if !suffixParts.isEmpty { name.suffix = name.suffix ?? suffixParts.joined(separator: " ") }
        if let commaGiven {
            name.family = tokens.joined(separator: " ")
            var givenTokens = commaGiven.split(separator: " ").map(String.init)
            while let first = givenTokens.first, givenTokens.count > 1, prefixes.contains(bare(Substring(first))) {
                name.prefix = name.prefix ?? first
                givenTokens.removeFirst()
            }
            name.given = givenTokens.first
            if givenTokens.count > 1 { name.middle = givenTokens.dropFirst().joined(separator: " ") }
            return
        }
        guard !tokens.isEmpty else { return }
        if tokens.count == 1 {
            name.given = tokens[0]
            return
        }
        // The family name starts at the first particle after the given name, else is the last token.
        var familyStart = tokens.count - 1
        for index in 1..<tokens.count where particles.contains(bare(Substring(tokens[index]))) && index < tokens.count - 1 {
            familyStart = index
            break
        }
        name.given = tokens[0]
        if familyStart > 1 { name.middle = tokens[1..<familyStart].joined(separator: " ") }
        name.family = tokens[familyStart...].joined(separator: " ")
    }

    /// ALL CAPS or all lower case (and more than one letter) needs proper casing.
    static func needsCase(_ text: String) -> Bool {
        let letters = text.filter(\.isLetter)
        guard letters.count > 1 else { return false }
        return letters == letters.uppercased() || letters == letters.lowercased()
    }

    /// "MCDONALD" → "McDonald", "o'brien" → "O'Brien", "jean-luc" → "Jean-Luc", "VAN DER BERG" → "van der Berg".
    public static func properCase(_ text: String, isFamily: Bool) -> String {
        let words = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        return words.enumerated().map { index, word -> String in
            if isFamily && words.count > 1 && index < words.count - 1 && particles.contains(String(word)) {
                return String(word)
            }
            return word.split(separator: "-", omittingEmptySubsequences: false).map { part -> String in
                var result = capitalize(part)
                for marker in ["'", "’"] where result.contains(marker) {
                    result = result.split(separator: Character(marker), omittingEmptySubsequences: false)
                        .map(capitalize).joined(separator: marker)
                }
                if result.count > 3, result.hasPrefix("Mc") {
                    result = "Mc" + capitalize(result.dropFirst(2))
                }
                return result
            }.joined(separator: "-")
        }.joined(separator: " ")
    }

    static func capitalize(_ word: Substring) -> String {
        guard let first = word.first else { return "" }
        return String(first).uppercased() + word.dropFirst()
    }

    /// Comparison keys of a name (derived keys documented on ``Normalizer``).
    public static func keys(_ name: PersonName) -> [String: String] {
        var keys: [String: String] = [:]
        func key(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            let folded = comparable(value)
            return folded.isEmpty ? nil : folded
        }
        if let given = key(name.given) {
            let first = given.split(separator: " ").first.map(String.init) ?? given
            keys["name.given.key"] = first
            keys["name.given.canonical"] = Nicknames.canonical(first)
        }
        if let family = key(name.family) {
            keys["name.family.key"] = family
            keys["name.phonetic"] = StringSimilarity.soundex(family.replacingOccurrences(of: " ", with: ""))
        }
        return keys
    }
}
