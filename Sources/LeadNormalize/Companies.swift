import Foundation
import LeadCore
import PublicSuffix

/// Company names to comparison keys, and websites/e-mail domains to registrable domains.
public enum CompanyNormalizer {
    /// Legal forms in many countries, as folded token sequences (dots removed: "S.A." → "sa").
    static let legalForms: [[String]] = [
        ["inc"], ["incorporated"], ["llc"], ["l", "l", "c"], ["ltd"], ["limited"], ["corp"], ["corporation"], ["co"],
        ["company"], ["plc"], ["llp"], ["lp"], ["pllc"], ["gmbh"], ["ag"], ["kg"], ["gmbh", "co", "kg"], ["ug"], ["ohg"],
        ["ev"], ["se"], ["sa"], ["sas"], ["sarl"], ["sasu"], ["eurl"], ["sl"], ["slu"], ["srl"], ["spa"], ["snc"],
        ["bv"], ["nv"], ["vof"], ["cv"], ["bvba"], ["sprl"], ["ab"], ["aps"], ["as"], ["asa"], ["oy"], ["oyj"], ["hf"],
        ["sp", "z", "o", "o"], ["sp", "z", "oo"], ["spzoo"], ["sa", "de", "cv"], ["s", "de", "rl"], ["ltda"], ["lda"], ["a", "s"], ["a", "b"], ["eireli"], ["me"],
        ["pvt", "ltd"], ["private", "limited"], ["pte", "ltd"], ["pty", "ltd"], ["pty"], ["pte"], ["sdn", "bhd"], ["bhd"],
        ["kk"], ["kabushiki", "kaisha"], ["doo"], ["d", "o", "o"], ["dd"], ["kft"], ["zrt"], ["sro"], ["as"], ["oao"],
        ["ooo"], ["zao"], ["pao"], ["group"], ["holding"], ["holdings"], ["sau"], ["dac"], ["fze"], ["publ"], ["ab", "publ"],
        ["ltd", "sti"], ["gesmbh"], ["p", "ltd"], ["pty", "limited"], ["s", "de", "rl", "de", "cv"],
        // The same forms written out, as registries and contracts (and some exports) spell them.
        ["limited", "liability", "company"], ["limited", "liability", "partnership"], ["public", "limited", "company"],
        ["company", "limited"], ["private", "limited"], ["proprietary", "limited"], ["designated", "activity", "company"],
        ["free", "zone", "establishment"], ["gesellschaft", "mit", "beschrankter", "haftung"], ["aktiengesellschaft"],
        ["kommanditgesellschaft"], ["aktieselskab"], ["anpartsselskab"], ["aktiebolag"], ["aksjeselskap"],
        ["allmennaksjeselskap"], ["osakeyhtio"], ["julkinen", "osakeyhtio"], ["besloten", "vennootschap"],
        ["naamloze", "vennootschap"], ["commanditaire", "vennootschap"], ["societe", "anonyme"],
        ["societe", "a", "responsabilite", "limitee"], ["societe", "par", "actions", "simplifiee"], ["societas", "europaea"],
        ["sociedad", "anonima"], ["sociedad", "limitada"], ["sociedad", "anonima", "de", "capital", "variable"],
        ["sociedad", "de", "responsabilidad", "limitada", "de", "capital", "variable"], ["sociedade", "anonima"],
        ["sociedade", "limitada"], ["limitada"], ["societa", "per", "azioni"], ["societa", "a", "responsabilita", "limitata"],
        ["spolka", "akcyjna"], ["spolka", "z", "ograniczona", "odpowiedzialnoscia"], ["anonim", "sirketi"],
        ["limited", "sirketi"], ["kabushiki", "gaisha"], ["godo", "kaisha"], ["yugen", "kaisha"],
    ]
    static let maxForm = legalForms.map(\.count).max() ?? 1
    static let formSet = Set(legalForms.map { $0.joined(separator: " ") })

    /// "The Acme Company, Inc." → "acme"; "Müller & Söhne GmbH & Co. KG" → "muller sohne".
    public static func key(_ company: String) -> String {
        let cleaned = company.replacingOccurrences(of: "&", with: " and ").replacingOccurrences(of: ".", with: "")
            .replacingOccurrences(of: "+", with: " and ")
        var tokens = StringSimilarity.fold(cleaned).split(separator: " ").map(String.init)
        if tokens.first == "the", tokens.count > 1 { tokens.removeFirst() }
        tokens.removeAll { $0 == "and" || $0 == "und" || $0 == "et" || $0 == "y" }
        // Strip legal forms from the end, longest first, repeatedly ("GmbH & Co. KG").
        var changed = true
        while changed && tokens.count > 1 {
            changed = false
            for length in stride(from: min(maxForm, tokens.count - 1), through: 1, by: -1) {
                let tail = tokens.suffix(length).joined(separator: " ")
                if formSet.contains(tail) {
                    tokens.removeLast(length)
                    changed = true
                    break
                }
            }
        }
        return tokens.joined(separator: " ")
    }

    /// An acronym for the company when it is written as one ("IBM") or has several words.
    public static func acronym(_ company: String, key: String) -> String? {
        let letters = company.filter(\.isLetter)
        if !letters.isEmpty, letters.count <= 5, letters == letters.uppercased(), !key.contains(" ") { return key }
        let words = key.split(separator: " ")
        return words.count >= 2 ? String(words.compactMap(\.first)) : nil
    }

    /// The host of a URL or bare domain: "https://www.Acme.co.uk/about" → "www.acme.co.uk".
    public static func host(of website: String) -> String? {
        var text = Substring(website.trimmingWhitespace().lowercased())
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        if let at = text.firstIndex(of: "@") { text = text[text.index(after: at)...] }
        if let slash = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = text[..<slash] }
        if let colon = text.lastIndex(of: ":") { text = text[..<colon] }
        while text.hasSuffix(".") { text = text.dropLast() }
        guard text.contains("."), !text.contains(" ") else { return nil }
        return String(text)
    }

    /// The registrable domain (Public Suffix List): "mail.acme.co.uk" → "acme.co.uk".
    public static func registrableDomain(_ host: String) -> String? {
        PublicSuffix.registrableDomain(host)
    }
}
