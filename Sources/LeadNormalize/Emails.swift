import Confusables
import Foundation
import LeadCore

/// E-mail syntax: the practical subset of RFC 5322 addr-spec that real lists contain.
public enum EmailSyntax {
    static let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")

    /// Trimmed, `mailto:` and angle brackets removed, lower-cased, domain in ASCII (IDNA); nil when
    /// not an address.
    public static func normalize(_ raw: String) -> String? {
        var text = raw.trimmingWhitespace()
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        let lower = text.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return nil }
        let local = lower[..<at]
        var domain = String(lower[lower.index(after: at)...])
        guard !local.isEmpty, local.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.allSatisfy({ localAllowed.contains($0) || !$0.isASCII })
        else { return nil }
        if !domain.allSatisfy(\.isASCII) {
            guard let ascii = Confusables.shared.domainToASCII(domain) else { return nil }
            domain = ascii
        }
        guard domain.count >= 3, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }),
              let tld = domain.split(separator: ".").last, tld.count >= 2, !tld.allSatisfy(\.isNumber)
        else { return nil }
        return local + "@" + domain
    }
}

/// Provider rules and domain lists for e-mail comparison keys and flags.
public enum EmailRules {
    /// Providers that ignore dots in the local part (and +tags).
    static let dotInsensitive: Set<String> = ["gmail.com", "googlemail.com"]
    /// Free-mail providers: an address there belongs to a person, not to their employer.
    public static let freeMail: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "ymail.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "outlook.com", "outlook.de", "live.com",
        "live.fr", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch",
        "web.de", "t-online.de", "freenet.de", "posteo.de", "mail.ru", "yandex.ru", "yandex.com", "protonmail.com",
        "proton.me", "zoho.com", "fastmail.com", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it",
        "virgilio.it", "tiscali.it", "qq.com", "163.com", "126.com", "naver.com", "hanmail.net", "rediffmail.com",
        "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "bluewin.ch", "telenet.be", "skynet.be", "btinternet.com",
        "sky.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bigpond.com", "uol.com.br", "bol.com.br",
        "terra.com.br", "gmx.com", "mail.com", "tutanota.com", "hey.com",
    ]
    /// Disposable-address services: such an address is no way to reach a lead.
    public static let disposable: Set<String> = [
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "10minutemail.com", "tempmail.com", "temp-mail.org",
        "yopmail.com", "yopmail.fr", "trashmail.com", "trashmail.de", "sharklasers.com", "getnada.com", "dispostable.com",
        "maildrop.cc", "throwawaymail.com", "fakeinbox.com", "mohmal.com", "emailondeck.com", "mintemail.com",
        "spamgourmet.com", "mytemp.email", "tempail.com", "burnermail.io", "33mail.com", "mailnesia.com", "moakt.com",
    ]

    /// The comparison key: lower case; a `+tag` removed (RFC 5233 sub-addressing: `name+tag@` reaches
    /// `name@` at Google, Microsoft 365, Apple, Fastmail, Proton and most company mail servers, and lists
    /// pick the tags up from sign-up forms); dots removed where the provider ignores them.
    public static func key(_ normalized: String) -> String {
        guard let at = normalized.lastIndex(of: "@") else { return normalized }
        var local = String(normalized[..<at])
        let domain = String(normalized[normalized.index(after: at)...])
        let canonicalDomain = domain == "googlemail.com" ? "gmail.com" : domain
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if dotInsensitive.contains(domain) { local.removeAll { $0 == "." } }
        return local + "@" + canonicalDomain
    }
}
