public import LeadCore
import Foundation

/// The comparable facts of a record or a lead, computed once per side of a comparison.
///
/// Uses normalization's comparison keys from `derived` where present (documented in the normalizer)
/// and falls back to folding the raw values, so the matcher works on any record.
public struct MatchProfile: Sendable {
    public struct Name: Sendable, Hashable {
        public var given: String
        /// Nickname-canonical given name ("robert" for "bob").
        public var canonicalGiven: String
        public var family: String
        /// The whole given name ("ana maria", "al maridi"): the comparison keeps the first word, a
        /// swap between the columns moves the whole of it.
        public var fullGiven: String = ""
    }

    public var names: [Name] = []
    /// E-mail comparison keys of personal inboxes (role accounts excluded).
    public var emails: Set<String> = []
    public var roleEmails: Set<String> = []
    /// Domains of this side's free-mail addresses (flagged by normalization).
    public var freeMailDomains: Set<String> = []
    /// Local parts of non-role e-mails, when distinctive (4+ characters).
    public var emailLocals: Set<String> = []
    /// Numbers in their comparison form (``phoneForm(_:)``).
    public var phones: Set<String> = []
    /// Numbers this side shows that several people bear (a company's switchboard): weak evidence,
    /// never an identifier. Set by the batch engine from the numbers' bearers in the chunk and store.
    public var sharedPhones: Set<String> = []
    public var companyKeys: Set<String> = []
    public var companyTokens: Set<Substring> = []
    public var acronyms: Set<String> = []
    public var domains: Set<String> = []
    /// Company keys without spaces (four letters or more) and the first labels of the domains, to
    /// see a company named on one side in the other's domain ("acme labs" and acmelabs.co.uk).
    public var squashedCompanies: Set<String> = []
    public var domainLabels: Set<String> = []
    public var title: String?
    public var city: String?
    public var country: String?
    public var socials: Set<String> = []
    /// Identity facts (``IdentityKeys``): dates of birth (YYYYMMDD), national ids, postcodes, and
    /// street addresses ("7 wallaby place"); a lead has every value its records showed.
    public var birthDates: Set<String> = []
    public var nationalIDs: Set<String> = []
    public var postcodes: Set<String> = []
    public var streets: Set<String> = []

    public init(record: LeadRecord) {
        addName(record.name, derived: record.derived)
        addContact(emails: record.emails, phones: record.phones, socials: record.socialProfiles)
        addCompany(record.company, derived: record.derived)
        if let domain = record.domain { domains.insert(domain.lowercased()) }
        title = record.title.map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        city = record.location.city.map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        country = (record.location.countryCode ?? record.location.country).map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        // Normalization's identity keys, or the same keys computed from the attributes.
        let identity = record.derived.keys.contains(where: IdentityKeys.derivedKeys.contains)
            ? record.derived : IdentityKeys.keys(attributes: record.attributes)
        addIdentity(identity)
        indexCompanies()
    }

    mutating func indexCompanies() {
        squashedCompanies = Set(companyKeys.map { $0.filter { $0 != " " } }.filter { $0.count >= 4 })
        domainLabels = Set(domains.compactMap { $0.split(separator: ".").first.map(String.init) })
    }

    public init(lead: Lead) {
        addName(lead.name, derived: lead.derived)
        for alias in lead.aliases { addName(PersonName(display: alias), derived: [:]) }
        addContact(emails: lead.emails, phones: lead.phones, socials: lead.socialProfiles)
        addCompany(lead.company, derived: lead.derived)
        for job in lead.history { addCompany(job.company, derived: [:]) }
        if let domain = lead.domain { domains.insert(domain.lowercased()) }
        // The domains of the lead's work (not free-mail) addresses: its employers', past ones included
        // (the lead's `domain` is its current employer's only).
        for email in lead.emails where !email.flags.contains("free-mail") {
            guard let key = email.key ?? email.normalized, let at = key.firstIndex(of: "@") else { continue }
            let domain = key[key.index(after: at)...]
            if domain.contains("."), !freeMailDomains.contains(String(domain)) { domains.insert(String(domain)) }
        }
        indexCompanies()
        title = lead.title.map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        city = lead.location.city.map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        country = (lead.location.countryCode ?? lead.location.country).map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        addIdentity(lead.derived)
    }

    mutating func addIdentity(_ derived: [String: String]) {
        birthDates.formUnion(IdentityKeys.values(derived[IdentityKeys.birthDate]))
        nationalIDs.formUnion(IdentityKeys.values(derived[IdentityKeys.nationalID]))
        postcodes.formUnion(IdentityKeys.values(derived[IdentityKeys.postcode]))
        streets.formUnion(IdentityKeys.values(derived[IdentityKeys.streetAddress]))
    }

    /// Moves the numbers whose key (``phoneKey(_:)``) is in `shared` from ``phones`` to ``sharedPhones``.
    public mutating func markShared(_ shared: Set<String>) {
        let moved = phones.filter { shared.contains(Self.phoneKey($0)) }
        guard !moved.isEmpty else { return }
        phones.subtract(moved)
        sharedPhones.formUnion(moved)
    }

    /// The first (primary) name, if any.
    public var primaryName: Name? { names.first }

    mutating func addName(_ name: PersonName, derived: [String: String]) {
        // Normalization's keys also fold look-alike letters from other scripts (ICU skeletons).
        var given = derived["name.given.key"] ?? name.given.map(StringSimilarity.fold) ?? ""
        var family = derived["name.family.key"] ?? name.family.map(StringSimilarity.fold) ?? ""
        if given.isEmpty && family.isEmpty, let display = name.display {
            let parts = StringSimilarity.fold(display).split(separator: " ")
            if parts.count >= 2 {
                given = String(parts.first!)
                family = String(parts.last!)
            } else if let only = parts.first {
                family = String(only)
            }
        }
        if given.isEmpty && family.isEmpty { return }
        // Keep the first given token (middle names vary between lists).
        let firstGiven = given.split(separator: " ").first.map(String.init) ?? ""
        let canonical = derived["name.given.canonical"].map(StringSimilarity.fold) ?? Nicknames.canonical(firstGiven)
        // The whole given name as written, folded (normalization's key keeps the first word).
        let whole = name.given.map(StringSimilarity.fold) ?? given
        let entry = Name(given: firstGiven, canonicalGiven: canonical, family: family, fullGiven: whole.contains(" ") ? whole : given)
        if !names.contains(entry) { names.append(entry) }
        // A display name of three words split as given, middle and family ("Gallaino Ana María",
        // "María José García Herrera"): the middle word may as well open a two-word family name.
        if let middle = name.middle.map(StringSimilarity.fold), !middle.isEmpty, !family.isEmpty, !firstGiven.isEmpty {
            let other = Name(given: firstGiven, canonicalGiven: canonical, family: middle + " " + family, fullGiven: firstGiven)
            if !names.contains(other) { names.append(other) }
        }
    }

    mutating func addContact(emails list: [EmailAddress], phones phoneList: [PhoneNumber], socials socialList: [String]) {
        for email in list {
            guard let key = email.key ?? email.normalized else { continue }
            if email.flags.contains("free-mail"), let at = key.firstIndex(of: "@") {
                freeMailDomains.insert(String(key[key.index(after: at)...]))
            }
            if email.flags.contains("role") || Nicknames.isRoleLocalPart(key) {
                roleEmails.insert(key)
            } else {
                emails.insert(key)
                if let at = key.firstIndex(of: "@") {
                    let local = String(key[..<at])
                    if local.count >= 4 { emailLocals.insert(local) }
                }
            }
        }
        for phone in phoneList {
            if let form = Self.phoneForm(phone) { phones.insert(form) }
            if let written = Self.writtenNationally(phone) { phones.insert(written) }
        }
        for url in socialList { socials.insert(Self.socialKey(url)) }
    }

    mutating func addCompany(_ company: String?, derived: [String: String]) {
        guard let company, !company.isEmpty else { return }
        // A company column that holds the company's domain ("evus.it", "www.acme.co.uk"): a domain.
        if let domain = Self.bareDomain(company) {
            domains.insert(domain)
            return
        }
        let key = derived["company.key"] ?? CompanyKey.key(company)
        guard !key.isEmpty else { return }
        companyKeys.insert(key)
        companyTokens.formUnion(StringSimilarity.tokens(key))
        let words = key.split(separator: " ")
        if words.count >= 2 { acronyms.insert(String(words.compactMap(\.first))) }
        if words.count == 1, key.count <= 5 { acronyms.insert(key) }
    }

    /// The value as a domain when it is one: no spaces, a dot, letters-only last label of 2 to 6
    /// ("evus.it" → "evus.it", "www.Acme.co.uk" → "acme.co.uk"); nil for "Acme Inc." or "S.A.".
    static func bareDomain(_ value: String) -> String? {
        var text = value.trimmingWhitespace().lowercased()
        guard !text.contains(" "), text.contains("."), !text.contains("@") else { return nil }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }),
              let last = labels.last, (2...6).contains(last.count), last.allSatisfy(\.isLetter), labels[0].count >= 2
        else { return nil }
        return text
    }

    /// A number as compared: E.164 (`+442079460958`) when normalization parsed it, so numbers of two
    /// countries never agree by their last digits; else `~` and its digits (no country known); then
    /// `x` and the extension, since a direct line is the main number plus an extension and other
    /// extensions are other lines. Nil for fewer than 7 digits.
    public static func phoneForm(_ phone: PhoneNumber) -> String? {
        let ext = phone.extension.map { $0.filter(\.isNumber) } ?? ""
        let suffix = ext.isEmpty ? "" : "x" + ext
        if let normalized = phone.normalized, normalized.hasPrefix("+") {
            let digits = normalized.filter(\.isNumber)
            return digits.count >= 7 ? "+" + digits + suffix : nil
        }
        let digits = (phone.normalized ?? phone.raw).filter(\.isNumber)
        return digits.count >= 7 ? "~" + digits + suffix : nil
    }

    /// A number written in national form (`07 46 89 03 43`) as `#` and its digits, beside its E.164
    /// form: the country an import reads it in is the record's (where the person lives or works
    /// now), which need not be the number's, so two records that write the same national digits
    /// show the same line even when their countries make two E.164 numbers of it. Nil for a number
    /// written internationally, or of fewer than 8 digits.
    public static func writtenNationally(_ phone: PhoneNumber) -> String? {
        guard let normalized = phone.normalized, normalized.hasPrefix("+") else { return nil }
        let raw = phone.raw.trimmingWhitespace()
        guard !raw.hasPrefix("+"), !raw.hasPrefix("00"), !raw.hasPrefix("'+") else { return nil }
        var digits = raw.filter(\.isNumber)
        let ext = phone.extension.map { $0.filter(\.isNumber) } ?? ""
        if !ext.isEmpty, digits.hasSuffix(ext) { digits.removeLast(ext.count) }
        guard digits.count >= 8 else { return nil }
        return "#" + digits + (ext.isEmpty ? "" : "x" + ext)
    }

    /// The blocking key of a comparison form: its last nine digits and extension, which a national
    /// and an international spelling of one number share.
    public static func phoneKey(_ form: String) -> String {
        let parts = form.split(separator: "x", maxSplits: 1)
        let digits = parts.first.map { $0.filter(\.isNumber) } ?? ""
        return String(digits.suffix(9)) + (parts.count > 1 ? "x" + parts[1] : "")
    }

    /// Whether two comparison forms are one line: equal; or, when one side has no country, the same
    /// last nine digits and the same extension.
    public static func samePhone(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard a.hasPrefix("~") || b.hasPrefix("~") else { return false }
        return phoneKey(a) == phoneKey(b)
    }

    public static func phonesAgree(_ a: Set<String>, _ b: Set<String>) -> Bool {
        if !a.isDisjoint(with: b) { return true }
        guard a.contains(where: { $0.hasPrefix("~") }) || b.contains(where: { $0.hasPrefix("~") }) else { return false }
        return a.contains { x in b.contains { samePhone(x, $0) } }
    }

    /// One key per profile, however the URL was written: `https://www.linkedin.com/in/AnaGarcia/`,
    /// `de.linkedin.com/in/anagarcia/en`, `linkedin.com/in/anagarcia?trk=x` and
    /// `http://linkedin.com/in/anagarcia/details/experience` → `linkedin.com/in/anagarcia`. Case,
    /// scheme, `www.` and country or mobile subdomains, query, fragment, trailing slashes and percent
    /// escapes go; on a network whose profile is one path segment (`/in/NAME`, `/pub/NAME`,
    /// `x.com/NAME`), what follows it (a locale, a sub-page) goes too; `twitter.com` is `x.com`.
    public static func socialKey(_ url: String) -> String {
        var text = Substring((url.removingPercentEncoding ?? url).lowercased().trimmingWhitespace())
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        while text.hasSuffix("/") { text = text.dropLast() }
        var parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard var host = parts.first else { return "" }
        if host.hasPrefix("www.") { host = String(host.dropFirst(4)) }
        for network in ["linkedin.com", "xing.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "github.com"]
        where host.hasSuffix("." + network) { host = network }
        if host == "twitter.com" { host = "x.com" }
        parts[0] = host
        switch host {
        case "linkedin.com" where parts.count >= 3 && ["in", "pub"].contains(parts[1]),
             "xing.com" where parts.count >= 3 && parts[1] == "profile":
            parts = Array(parts.prefix(3))
        case "x.com", "github.com", "instagram.com" where parts.count >= 2:
            parts = Array(parts.prefix(2))
        default: break
        }
        return parts.joined(separator: "/")
    }
}

/// Fallback company key: folded, legal suffixes, "the" and "&"/"and" removed (normalization's
/// `company.key` is used when present).
public enum CompanyKey {
    static let legal: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas",
        "sarl", "bv", "nv", "plc", "srl", "spa", "oy", "ab", "as", "aps", "kg", "pty", "pvt", "sl", "doo", "kk", "llp",
        "lp", "the", "and",
    ]

    public static func key(_ company: String) -> String {
        // "S.A." and "B.V." are one token each: drop dots between letters before folding.
        StringSimilarity.fold(company.replacingOccurrences(of: "&", with: " ").replacingOccurrences(of: ".", with: ""))
            .split(separator: " ").filter { !legal.contains(String($0)) }.joined(separator: " ")
    }
}

