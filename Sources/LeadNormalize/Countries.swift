import Foundation
import LeadCore

/// Country names, codes and local spellings to ISO 3166-1 alpha-2.
///
/// The table is built once from the CLDR names that Foundation's Locale carries (in the languages
/// lead lists come in), plus alpha-2 codes, common alpha-3 codes and colloquial names.
public enum Countries {
    static let languages = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "fi", "cs", "tr"]

    static let aliases: [String: String] = [
        "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US", "america": "US",
        "the united states": "US", "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
        "scotland": "GB", "wales": "GB", "northern ireland": "GB", "the uk": "GB", "united kingdom of great britain and northern ireland": "GB",
        "brd": "DE", "holland": "NL", "the netherlands": "NL", "south korea": "KR", "korea": "KR", "republic of korea": "KR",
        "north korea": "KP", "russia": "RU", "russian federation": "RU", "czech republic": "CZ", "czechia": "CZ",
        "ivory coast": "CI", "uae": "AE", "emirates": "AE", "viet nam": "VN", "turkiye": "TR", "turkey": "TR",
        "hong kong sar": "HK", "macau": "MO", "taiwan roc": "TW", "iran islamic republic of": "IR", "vatican": "VA",
        "mainland china": "CN", "prc": "CN", "bosnia": "BA", "macedonia": "MK", "burma": "MM", "swaziland": "SZ",
        "cape verde": "CV", "east timor": "TL", "the bahamas": "BS", "the gambia": "GM", "ksa": "SA",
    ]

    static let alpha3: [String: String] = [
        "usa": "US", "gbr": "GB", "deu": "DE", "fra": "FR", "esp": "ES", "ita": "IT", "nld": "NL", "bel": "BE", "che": "CH",
        "aut": "AT", "swe": "SE", "nor": "NO", "dnk": "DK", "fin": "FI", "irl": "IE", "prt": "PT", "pol": "PL", "cze": "CZ",
        "hun": "HU", "rou": "RO", "grc": "GR", "tur": "TR", "rus": "RU", "ukr": "UA", "can": "CA", "mex": "MX", "bra": "BR",
        "arg": "AR", "chl": "CL", "col": "CO", "per": "PE", "aus": "AU", "nzl": "NZ", "jpn": "JP", "chn": "CN", "kor": "KR",
        "ind": "IN", "sgp": "SG", "hkg": "HK", "twn": "TW", "isr": "IL", "are": "AE", "sau": "SA", "zaf": "ZA", "nga": "NG",
        "egy": "EG", "ken": "KE", "idn": "ID", "mys": "MY", "tha": "TH", "vnm": "VN", "phl": "PH", "lux": "LU", "est": "EE",
        "lva": "LV", "ltu": "LT", "svk": "SK", "svn": "SI", "hrv": "HR", "srb": "RS", "bgr": "BG", "isl": "IS",
    ]

    static let table: [String: String] = {
        var table: [String: String] = [:]
        let regions = Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && $0.allSatisfy(\.isLetter) }
        for code in regions {
            table[code.lowercased()] = code
            for language in languages {
                if let name = Locale(identifier: language).localizedString(forRegionCode: code) {
                    let key = StringSimilarity.fold(name)
                    if !key.isEmpty && table[key] == nil { table[key] = code }
                }
            }
        }
        for (name, code) in aliases { table[StringSimilarity.fold(name)] = code }
        for (name, code) in alpha3 where table[name] == nil { table[name] = code }
        return table
    }()

    /// "Deutschland", "Germany", "DE", "DEU", "Allemagne" → "DE"; nil when unknown.
    public static func code(for name: String) -> String? {
        let key = StringSimilarity.fold(name)
        guard !key.isEmpty else { return nil }
        if let code = table[key] { return code }
        if key.hasPrefix("the "), let code = table[String(key.dropFirst(4))] { return code }
        return nil
    }
}
