import LeadCore
import Foundation

/// One field's contribution to a match decision.
public struct FieldComparison: Codable, Sendable, Hashable {
    public var field: String
    public var level: String
    public var weight: Double
    /// Short, non-identifying detail ("bob ~ robert", "acme vs globex").
    public var detail: String
}

/// The full comparison of a record with a lead: the waterfall of weights and the resulting probability.
public struct Comparison: Codable, Sendable, Hashable {
    public var fields: [FieldComparison]
    public var priorWeight: Double
    public var totalWeight: Double
    public var probability: Double
    /// Why a merge is forbidden whatever the weights say (conflicting names behind a shared inbox...).
    public var veto: String?
    /// The rule that allowed a merge where the weights alone would not be trusted (nil: the weights),
    /// e.g. "rare full name in the same city".
    public var rule: String?

    /// "P=0.998 (+14.2): email +13.1 exact, name +6.5 fuzzy, company -2.0 differ".
    public var summary: String {
        let parts = fields.sorted { abs($0.weight) > abs($1.weight) }.map { item in
            "\(item.field) \(Self.signed(item.weight)) \(item.level)" + (item.detail.isEmpty ? "" : " (\(item.detail))")
        }
        var text = "P=\(Self.fixed(probability, 3)) (\(Self.signed(totalWeight)))"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if let veto { text += "; no merge: \(veto)" }
        if let rule { text += "; linked by \(rule)" }
        return text
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return (value < 0 && whole == 0 ? "-" : "") + "\(whole).\(fractionText)"
    }

    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + fixed(value, 1) }
}

/// How rare a full name is in the store, for the rare-name rule.
public struct NameRarity: Sendable, Hashable {
    /// Leads with the full name (nickname-canonical given name and family name).
    public var leads: Int
    /// Leads expected to bear the full name by chance: leads with the family name × the share of
    /// leads with the given name. A few leads of a family that is common, or that a large store has
    /// many of, make another bearer of the full name likely even when the store has none yet.
    public var expected: Double
    public init(leads: Int, expected: Double) {
        self.leads = leads
        self.expected = expected
    }
}

/// Compares profiles field by field with graded levels.
public struct Comparator: Sendable {
    public var model: MatchModel

    public init(model: MatchModel) { self.model = model }

    /// - Parameter familyFrequency: share of stored leads with the record's family name (nil: unknown),
    ///   for the term-frequency adjustment of name agreement.
    ///   - nameRarity: how rare the record's full name is in the store (nil: unknown); a full name in
    ///     the same city identifies a person only when it is rare.
    public func compare(_ a: MatchProfile, _ b: MatchProfile, familyFrequency: Double? = nil, nameRarity: NameRarity? = nil) -> Comparison {
        var fields: [FieldComparison] = []
        func add(_ field: String, _ level: String?, _ detail: String = "", weight: Double? = nil) {
            guard let level else { return }
            fields.append(FieldComparison(field: field, level: level, weight: weight ?? model.weight(field, level), detail: detail))
        }
        // Names: the best agreement between any name of one side and any of the other.
        var nameConflict = false
        if var (level, detail) = nameLevel(a, b) {
            // "Ash Sundayakarni" with aishwarya.sundayakarni@: one side's mailbox spells the other
            // side's given and family name, so the first name is a short form of the one in the
            // address, not another person's.
            if level == "family-only" || (level == "differ" && Self.familiesAgree(a, b)), Self.spellsFullName(a, b) || Self.spellsFullName(b, a) {
                (level, detail) = ("fuzzy", "the other given name is in the e-mail")
            }
            var weight = model.weight("name", level)
            if (level == "exact" || level == "fuzzy"), let frequency = familyFrequency, let p = model.level("name", level) {
                // Term-frequency adjustment: a shared rare surname says more than "Smith".
                // u of a full-name agreement ≈ P(same family) × P(same given name) ≈ f × 0.02.
                let uTF = max(frequency * 0.02, 1e-7)
                let adjusted = log2(max(p.m, 1e-9) / uTF)
                weight = min(weight + 2, max(weight - 6, adjusted))
            }
            add("name", level, detail, weight: weight)
            nameConflict = level == "differ" || level == "given-only" || level == "family-only"
        }
        // E-mails.
        if !a.emails.isEmpty || !a.roleEmails.isEmpty, !b.emails.isEmpty || !b.roleEmails.isEmpty {
            if !a.emails.isDisjoint(with: b.emails) {
                add("email", "exact")
            } else if !a.emailLocals.isDisjoint(with: b.emailLocals) {
                let shared = a.emailLocals.intersection(b.emailLocals)
                if shared.allSatisfy({ Self.madeOfName($0, a) || Self.madeOfName($0, b) }) {
                    // "a.kowalski" at two companies: the local part is made of the name, so it says
                    // nothing the name comparison has not said (counting it twice would make every
                    // namesake with a work address look like a job change).
                    add("email", "local", "same local part made of the name, other domain", weight: 0)
                } else {
                    add("email", "local", "same local part, other domain")
                }
            } else if !a.roleEmails.isDisjoint(with: b.roleEmails) {
                add("email", "role", "shared inbox")
            } else if !Self.workDomains(a).isDisjoint(with: Self.workDomains(b)) {
                if !nameConflict, fields.first(where: { $0.field == "name" }).map({ ["exact", "fuzzy", "swapped"].contains($0.level) }) == true,
                   Self.nameMailboxes(a, b)
                {
                    // Two mailboxes at one domain, each made of the (agreeing) name in another pattern
                    // (daniel.nyelholm@ and d.nyelholm@): one person's aliases, or a list that guessed
                    // the company's pattern; not two colleagues, whose names would differ.
                    add("email", "alias", "other mailbox made of the name at the same domain")
                } else if Self.numberedMailboxes(a, b) {
                    // ana.keller@ and ana.keller2@: how a mail server tells two people of one name apart.
                    add("email", "colleague", "one name's mailboxes numbered apart: namesakes at one employer")
                } else {
                    // Different mailboxes at the same company: colleagues, not one person.
                    add("email", "colleague", "different mailboxes at the same domain")
                }
            } else {
                add("email", "differ")
            }
        }
        let colleagues = fields.contains { $0.field == "email" && ($0.level == "colleague" || $0.level == "alias") }
        var phoneAgrees = false
        if !a.phones.isEmpty || !a.sharedPhones.isEmpty, !b.phones.isEmpty || !b.sharedPhones.isEmpty {
            phoneAgrees = MatchProfile.phonesAgree(a.phones, b.phones)
            if phoneAgrees {
                add("phone", "exact")
            } else if MatchProfile.phonesAgree(a.phones.union(a.sharedPhones), b.phones.union(b.sharedPhones)) {
                // A switchboard: colleagues share it, so it says little and identifies no one.
                add("phone", "shared", "a number people with other names share")
            } else {
                add("phone", "differ")
            }
        }
        // One side names the company, the other shows its domain (a work e-mail or website):
        // "Sakuramandor Health Corp" and sakuramandorhealth.de are one employer. A lead names its
        // previous employers too, so this also finds the employer two leads had in common.
        let companyMeetsDomain = Self.companyMeetsDomain(a.companyKeys, b.domainLabels) || Self.companyMeetsDomain(b.companyKeys, a.domainLabels)
        if !a.companyKeys.isEmpty && !b.companyKeys.isEmpty {
            if !a.companyKeys.isDisjoint(with: b.companyKeys) {
                add("company", "exact")
            } else if StringSimilarity.jaccard(a.companyTokens, b.companyTokens) >= 0.5
                || !a.acronyms.isDisjoint(with: b.companyKeys) || !b.acronyms.isDisjoint(with: a.companyKeys)
            {
                add("company", "similar")
            } else if companyMeetsDomain {
                add("company", "domain", "company name matches the domain")
            } else {
                add("company", "differ")
            }
        }
        if !a.domains.isEmpty && !b.domains.isEmpty && !colleagues {
            // (Skipped for colleagues: the shared domain is already in the e-mail comparison; and a
            // differing domain says nothing more when a company already matches the other's domain.)
            if !a.domains.isDisjoint(with: b.domains) {
                add("domain", "exact")
            } else if !companyMeetsDomain {
                add("domain", "differ")
            }
        }
        if !fields.contains(where: { $0.field == "company" }) && companyMeetsDomain {
            add("company", "domain", "company name matches the domain")
        }
        if let ta = a.title, let tb = b.title {
            if ta == tb {
                add("title", "exact")
            } else {
                add("title", StringSimilarity.jaccard(StringSimilarity.tokens(ta), StringSimilarity.tokens(tb)) >= 0.5 ? "similar" : "differ")
            }
        }
        if a.city != nil || a.country != nil, b.city != nil || b.country != nil {
            if let ca = a.city, let cb = b.city, ca == cb, a.country == nil || b.country == nil || a.country == b.country {
                add("location", "city")
            } else if let ca = a.country, let cb = b.country, ca == cb {
                add("location", "country")
            } else if (a.country != nil && b.country != nil) || (a.city != nil && b.city != nil) {
                add("location", "differ")
            }
        }
        var socialAgrees = false
        if !a.socials.isEmpty && !b.socials.isEmpty {
            socialAgrees = !a.socials.isDisjoint(with: b.socials)
            add("social", socialAgrees ? "exact" : "differ")
        }
        // Identity facts, when both sides have them: date of birth, national id, postcode, street address.
        if !a.birthDates.isEmpty && !b.birthDates.isEmpty {
            add("birth-date", Self.best(a.birthDates, b.birthDates, Self.birthDateLevel))
        }
        if !a.nationalIDs.isEmpty && !b.nationalIDs.isEmpty {
            add("national-id", Self.best(a.nationalIDs, b.nationalIDs, Self.idLevel))
        }
        if !a.postcodes.isEmpty && !b.postcodes.isEmpty {
            add("postcode", Self.best(a.postcodes, b.postcodes, Self.idLevel))
        }
        if !a.streets.isEmpty && !b.streets.isEmpty {
            add("street", Self.best(a.streets, b.streets, Self.streetLevel))
        }
        let total = fields.reduce(0) { $0 + $1.weight }
        var comparison = Comparison(
            fields: fields, priorWeight: model.priorWeight, totalWeight: total,
            probability: model.probability(totalWeight: total), veto: nil)
        // Anti-chaining: people whose names conflict are never merged automatically, whatever they
        // share (a role inbox, a switchboard number, an employer); a profile URL is the one exception.
        let corroborated = fields.contains { item in
            item.weight > 0 && ["email", "phone", "social", "company", "domain", "birth-date", "national-id", "street"].contains(item.field)
                && item.level != "role" && item.level != "local" && item.level != "shared"
        }
        let nationalID = fields.first { $0.field == "national-id" }?.level
        let idAgrees = nationalID == "exact" || nationalID == "close"
        let birthDateExact = fields.contains { $0.field == "birth-date" && $0.level == "exact" }
        let exactContact = nationalID == "exact" || fields.contains { ($0.field == "email" || $0.field == "phone") && $0.level == "exact" }
        let partialConflict = fields.contains { $0.field == "name" && ($0.level == "given-only" || $0.level == "family-only") }
        // Identity facts are one person's (unlike an inbox or a switchboard): a national id that agrees
        // (exactly or but for one typo) with a second identity fact identifies the person even when a
        // list garbled or swapped the names; a date of birth does when half the name agrees too (a
        // shared birthday and postcode alone are a coincidence in a large store). Known limit: twins
        // (same family, birthday and address, other given names) look like one person here.
        let identityAgreements = fields.filter { Self.identityFields.contains($0.field) && $0.weight > 0 }.count
        let identified = identityAgreements >= 2 && (idAgrees || (birthDateExact && partialConflict))
        if nameConflict && !socialAgrees && !(partialConflict && exactContact) && !identified {
            // A shared personal e-mail or direct phone outweighs a family-name typo or a married name,
            // never a completely different name (a shared inbox or switchboard).
            comparison.veto = "names conflict"
        } else if fields.contains(where: { $0.field == "email" && $0.detail.hasPrefix("one name's mailboxes numbered apart") }),
                  !socialAgrees, !fields.contains(where: { $0.field == "phone" && $0.level == "exact" }), !identified {
            comparison.veto = "namesakes at one employer (numbered mailboxes)"
        } else if fields.first(where: { $0.field == "social" })?.level == "differ",
                  fields.first(where: { $0.field == "email" })?.level != "exact" {
            comparison.veto = "different profile URLs"
        } else if !corroborated {
            if let rule = rareNameInPlace(fields, rarity: nameRarity) {
                comparison.rule = rule
            } else {
                // A name (with a title or a city) is not an identity: namesakes are common.
                comparison.veto = "only the name agrees"
            }
        }
        return comparison
    }

    /// Number of stored leads with a full name at or below which it is rare enough, with the same
    /// city, to identify a person who changed jobs without keeping any e-mail, phone or profile (the
    /// lead the record is compared with counts: 1 is a name no other lead has; 2 allows the person's
    /// own second lead, from a record that arrived before anything linked it).
    public static let rareNameCount = 2
    /// Leads expected to bear the full name by chance (``NameRarity/expected``) at or below which it
    /// can be rare: one in ten.
    public static let rareNameExpected = 0.1

    /// A full name that is rare in the store (term frequencies known: few leads bear it, and few
    /// would by chance), in the same city, with no phone number that contradicts it: a person, not
    /// a namesake, even when nothing else is shared (a job change, a record with only name and city).
    /// Returns the rule that applies, or nil.
    func rareNameInPlace(_ fields: [FieldComparison], rarity: NameRarity?) -> String? {
        guard let rarity, rarity.leads <= Self.rareNameCount, rarity.expected <= Self.rareNameExpected else { return nil }
        func level(_ field: String) -> String? { fields.first { $0.field == field }?.level }
        // The family name as written (a nickname or a given-name spelling is fine): a family name one
        // letter off is as often another family as a typo.
        guard let name = fields.first(where: { $0.field == "name" }),
              name.level == "exact" || (name.level == "fuzzy" && name.detail != "family name spelling") else { return nil }
        if level("location") == "city" && level("phone") != "differ" { return "a rare full name in the same city" }
        // A record that shows only the name and the title (a saved title search): the same title, and
        // nothing on either side that disagrees.
        if level("title") == "exact" && !fields.contains(where: { $0.level == "differ" && $0.field != "name" }) {
            return "a rare full name with the same title, nothing disagreeing"
        }
        return nil
    }

    /// True when an e-mail local part is only the person's name: given and family name, or an initial
    /// and the other, in either order, with or without separators and trailing digits
    /// ("ana.garcia77", "agarcia", "garcia_a").
    /// - Parameter withFamily: only forms that hold the whole family name (not "ana" or "anag").
    static func madeOfName(_ local: String, _ profile: MatchProfile, withFamily: Bool = false) -> Bool {
        let letters = String(local.unicodeScalars.filter { ("a"..."z").contains($0) })
        guard !letters.isEmpty, local.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-+".unicodeScalars.contains($0) })
        else { return false }
        for name in profile.names where !name.family.isEmpty {
            let family = String(name.family.unicodeScalars.filter { ("a"..."z").contains($0) })
            for given in Set([name.given, name.canonicalGiven]) {
                let g = String(given.unicodeScalars.filter { ("a"..."z").contains($0) })
                guard !family.isEmpty else { continue }
                var forms: Set<String> = [family]
                if !g.isEmpty {
                    forms.formUnion([g + family, String(g.prefix(1)) + family, family + g, family + String(g.prefix(1))])
                    if !withFamily { forms.formUnion([g, g + String(family.prefix(1))]) }
                }
                if forms.contains(letters) { return true }
            }
        }
        return false
    }

    /// True when the two sides have mailboxes at one work domain whose local parts are each made of
    /// the name (``madeOfName(_:_:)``) in two patterns.
    static func nameMailboxes(_ a: MatchProfile, _ b: MatchProfile) -> Bool {
        func byDomain(_ p: MatchProfile) -> [Substring: [Substring]] {
            var result: [Substring: [Substring]] = [:]
            for email in p.emails {
                guard let at = email.firstIndex(of: "@") else { continue }
                let domain = email[email.index(after: at)...]
                if !p.freeMailDomains.contains(String(domain)) { result[domain, default: []].append(email[..<at]) }
            }
            return result
        }
        let x = byDomain(a), y = byDomain(b)
        for (domain, locals) in x {
            guard let others = y[domain] else { continue }
            // Both local parts made of one side's name (the names agree; the other side's may carry
            // a typo), in two patterns, not one pattern numbered: ana.keller@ and ana.keller2@ are
            // how a mail server tells two namesakes apart.
            func letters(_ local: Substring) -> String { String(local.unicodeScalars.filter { ("a"..."z").contains($0) }) }
            // A numbered mailbox (hjensen2@) says the domain has another person of that name: no alias.
            if locals.contains(where: { $0.contains(where: \.isNumber) }) || others.contains(where: { $0.contains(where: \.isNumber) }) {
                continue
            }
            // Forms that hold the family name: a given name alone (william@) is anyone's of that name.
            for side in [a, b] {
                for x in locals where madeOfName(String(x), side, withFamily: true) {
                    if others.contains(where: { madeOfName(String($0), side, withFamily: true) && letters($0) != letters(x) }) { return true }
                }
            }
        }
        return false
    }

    /// True when some family name of one side is the other's, one typo away, or one of its words
    /// (a dropped second family name).
    static func familiesAgree(_ a: MatchProfile, _ b: MatchProfile) -> Bool {
        for x in a.names where !x.family.isEmpty {
            for y in b.names where !y.family.isEmpty {
                if x.family == y.family || oneTypo(x.family, y.family) || familyWithin(x.family, y.family) { return true }
            }
        }
        return false
    }

    /// True when a mailbox of `mail` (not a role inbox) is the given and family name of one of
    /// `names`' names, run together in either order (three letters of given name or more).
    static func spellsFullName(_ mail: MatchProfile, _ names: MatchProfile) -> Bool {
        func letters(_ s: Substring) -> String { String(s.unicodeScalars.filter { ("a"..."z").contains($0) }) }
        let locals = mail.emails.compactMap { email in email.firstIndex(of: "@").map { letters(email[..<$0]) } }
        guard !locals.isEmpty else { return false }
        for name in names.names {
            let g = letters(Substring(name.given)), f = letters(Substring(name.family))
            guard g.count >= 3, f.count >= 2 else { continue }
            if locals.contains(g + f) || locals.contains(f + g) { return true }
        }
        return false
    }

    /// True when the sides have mailboxes at one work domain whose local parts have the same letters
    /// and other digits (ana.keller@ and ana.keller2@), made of the name.
    static func numberedMailboxes(_ a: MatchProfile, _ b: MatchProfile) -> Bool {
        func split(_ email: String) -> (letters: String, digits: String, domain: Substring)? {
            guard let at = email.firstIndex(of: "@") else { return nil }
            let local = email[..<at]
            return (String(local.unicodeScalars.filter { ("a"..."z").contains($0) }),
                    String(local.unicodeScalars.filter { ("0"..."9").contains($0) }), email[email.index(after: at)...])
        }
        let x = a.emails.compactMap(split), y = b.emails.compactMap(split)
        for p in x where !a.freeMailDomains.contains(String(p.domain)) {
            for q in y where q.domain == p.domain && q.letters == p.letters && q.digits != p.digits && !p.letters.isEmpty {
                if madeOfName(p.letters, a) || madeOfName(p.letters, b) { return true }
            }
        }
        return false
    }

    /// Domains of personal (non-role) mailboxes that are not free-mail providers' (ASCII check only:
    /// free-mail flags live on the e-mails, so a domain seen on several people is a company's).
    static func workDomains(_ profile: MatchProfile) -> Set<Substring> {
        Set(profile.emails.compactMap { email in
            guard let at = email.firstIndex(of: "@") else { return nil }
            let domain = email[email.index(after: at)...]
            return profile.freeMailDomains.contains(String(domain)) ? nil : domain
        })
    }

    /// True when a company key, without spaces, is the first label of one of the registrable domains
    /// ("acme labs" and acmelabs.co.uk), for names of four letters or more.
    public static func companyMatchesDomain(_ keys: Set<String>, _ domains: Set<String>) -> Bool {
        guard !domains.isEmpty else { return false }
        let labels = Set(domains.compactMap { $0.split(separator: ".").first.map(String.init) })
        return keys.contains { key in
            let squashed = key.filter { $0 != " " }
            return squashed.count >= 4 && labels.contains(squashed)
        }
    }

    /// A company named on one side is the other side's domain: the name run together is the
    /// domain's first label ("acme labs", acmelabs.co.uk); or the label is the name's first words run
    /// together (paxlight.com for "Paxlight Properties", larceeraprieto.es for "Larceera & Prieto
    /// Sistemas"); or the label is the name and a word more (delssonholdings.ie for "Delsson", its
    /// key without the legal form "Holdings"). Five letters or more, and whole words: "Firm 11" is
    /// not firm1.example.
    static func companyMeetsDomain(_ companies: Set<String>, _ labels: Set<String>) -> Bool {
        guard !companies.isEmpty, !labels.isEmpty else { return false }
        for company in companies {
            let words = company.split(separator: " ")
            let squashed = words.joined()
            if labels.contains(squashed) && squashed.count >= 4 { return true }
            var prefix = ""
            for word in words.dropLast() {
                prefix += word
                if prefix.count >= 5 && labels.contains(prefix) { return true }
            }
            guard squashed.count >= 5 else { continue }
            for label in labels where label.hasPrefix(squashed) {
                let rest = label.dropFirst(squashed.count)
                if rest.count >= 3 && rest.allSatisfy({ $0.isLetter }) { return true }
            }
        }
        return false
    }

    static let identityFields: Set<String> = ["birth-date", "national-id", "postcode", "street"]
    private static let levelRank = ["exact": 0, "close": 1, "similar": 1, "same-street": 2, "differ": 3]

    /// The best level between any value of one side and any of the other.
    static func best(_ a: Set<String>, _ b: Set<String>, _ level: (String, String) -> String) -> String {
        if !a.isDisjoint(with: b) { return "exact" }
        var result = "differ"
        for x in a {
            for y in b {
                let candidate = level(x, y)
                if levelRank[candidate, default: 3] < levelRank[result, default: 3] { result = candidate }
            }
        }
        return result
    }

    /// YYYYMMDD dates: exact; close (one digit wrong, two adjacent digits swapped, or day and month
    /// swapped: typing errors); differ.
    static func birthDateLevel(_ a: String, _ b: String) -> String {
        if a == b { return "exact" }
        if a.count == 8 && b.count == 8 {
            let x = Array(a), y = Array(b)
            if x[0..<4] == y[0..<4] && x[4..<6] == y[6..<8] && x[6..<8] == y[4..<6] { return "close" }
        }
        return StringSimilarity.damerauDistance(a, b, limit: 1) <= 1 && a.count == b.count ? "close" : "differ"
    }

    /// Ids and postcodes: exact; close (one character inserted, dropped, changed, or two swapped; ids of
    /// 4+ characters); differ.
    static func idLevel(_ a: String, _ b: String) -> String {
        if a == b { return "exact" }
        guard min(a.count, b.count) >= 4 else { return "differ" }
        return StringSimilarity.damerauDistance(a, b, limit: 1) <= 1 ? "close" : "differ"
    }

    /// "7 wallaby place" vs "7 walaby place": exact; similar (the same street, spelled differently or
    /// run together, and the same number or one side without one); same-street (another number);
    /// differ.
    static func streetLevel(_ a: String, _ b: String) -> String {
        if a == b { return "exact" }
        func split(_ s: String) -> (number: Substring?, street: String) {
            let parts = s.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].contains(where: \.isNumber) { return (parts[0], parts[1].filter { $0 != " " }) }
            return (nil, s.filter { $0 != " " })
        }
        let x = split(a), y = split(b)
        guard !x.street.isEmpty, !y.street.isEmpty else { return "differ" }
        let sameStreet = x.street == y.street || StringSimilarity.jaroWinkler(x.street, y.street) >= 0.9
        guard sameStreet else { return "differ" }
        if x.number == nil || y.number == nil || x.number == y.number { return "similar" }
        return "same-street"
    }

    private static let rank = ["exact": 0, "fuzzy": 1, "swapped": 2, "initial": 3, "family-only": 4, "given-only": 5, "differ": 6]

    func nameLevel(_ a: MatchProfile, _ b: MatchProfile) -> (String, String)? {
        var best: (String, String)?
        var givenConflict: (String, String)?
        for x in a.names {
            for y in b.names {
                let candidate = Self.nameLevel(x, y)
                if best == nil || Self.rank[candidate.0]! < Self.rank[best!.0]! { best = candidate }
                if candidate.0 == "family-only", !x.given.isEmpty, !y.given.isEmpty { givenConflict = candidate }
            }
        }
        // A lead that also holds a record without a given name ("Sharma") agrees with every given
        // name through it; when the given names both sides do show differ, that is the answer.
        if let conflict = givenConflict, let found = best, found.0 == "initial", found.1 == "given name missing on one side" {
            return conflict
        }
        return best
    }

    /// One typing error: a letter dropped, added or changed (names of five letters or more: "Hall" and
    /// "Hill" are two names), or two neighbours swapped (four or more). Jaro-Winkler under-rates an
    /// early error in a short name: "Jones" and "Joues" score 0.89, "Skiver" and "Suiver" 0.91, "Vero"
    /// and "eVro" 0.82.
    public static func oneTypo(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard min(x.count, y.count) >= 4, abs(x.count - y.count) <= 1, x != y else { return false }
        // Linear check: skip the common prefix and suffix, then at most one edit may remain.
        var start = 0
        while start < x.count && start < y.count && x[start] == y[start] { start += 1 }
        var endX = x.count, endY = y.count
        while endX > start && endY > start && x[endX - 1] == y[endY - 1] { endX -= 1; endY -= 1 }
        let restX = endX - start, restY = endY - start
        if max(x.count, y.count) >= 5 && (restX + restY <= 1 || (restX == 1 && restY == 1)) { return true }  // dropped, added, changed
        return restX == 2 && restY == 2 && x[start] == y[start + 1] && x[start + 1] == y[start]  // neighbours swapped
    }

    static func nameLevel(_ a: MatchProfile.Name, _ b: MatchProfile.Name) -> (String, String) {
        // A given name of two words swapped whole with the family name ("Al-Maridi Nasser", "Gallaino
        // Ana María"): the first-word comparison below cannot see it.
        if a.fullGiven.contains(" ") || b.fullGiven.contains(" "), !a.family.isEmpty, !b.family.isEmpty,
           a.fullGiven == b.family || b.fullGiven == a.family
        {
            if (a.fullGiven == b.family && a.family == (b.fullGiven.isEmpty ? b.given : b.fullGiven))
                || (b.fullGiven == a.family && b.family == (a.fullGiven.isEmpty ? a.given : a.fullGiven))
            {
                return ("swapped", "given and family swapped")
            }
        }
        let direct = nameLevel(a, b, swappedCheck: true)
        guard ["family-only", "given-only", "differ"].contains(direct.0), !a.given.isEmpty, !b.given.isEmpty, !a.family.isEmpty, !b.family.isEmpty
        else { return direct }
        // Given and family swapped in one list, and one of them also abbreviated or misspelled
        // ("Kamigashima T." and "Takashi Kamigashima"): the levels of the swapped comparison.
        // An initial in the family column ("Kamigashima T."): the given name written last, abbreviated.
        if (a.given == b.family && a.family.count == 1 && b.given.hasPrefix(a.family))
            || (b.given == a.family && b.family.count == 1 && a.given.hasPrefix(b.family))
        {
            return ("swapped", "given and family swapped, initial")
        }
        let turned = MatchProfile.Name(given: b.family, canonicalGiven: Nicknames.canonical(b.family), family: b.given)
        let swapped = nameLevel(a, turned, swappedCheck: false)
        if ["exact", "fuzzy", "initial"].contains(swapped.0), swapped.1 != "given name missing on one side", swapped.1 != "family name missing on one side" {
            return ("swapped", "given and family swapped" + (swapped.1.isEmpty ? "" : ", " + swapped.1))
        }
        return direct
    }

    /// A family name of several words whose words include all of the other's: a second family name
    /// one list dropped ("rojas garcia" and "rojas", "reserela freitas" and "reserela").
    static func familyWithin(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        let longWords = long.split(separator: " "), shortWords = short.split(separator: " ")
        guard longWords.count > shortWords.count, short.count >= 3 else { return false }
        let words = Set(longWords)
        return shortWords.allSatisfy(words.contains)
    }

    static func nameLevel(_ a: MatchProfile.Name, _ b: MatchProfile.Name, swappedCheck: Bool) -> (String, String) {
        let familyEqual = !a.family.isEmpty && a.family == b.family
        // A dropped second family name counts only beside a given name that agrees: "Silva" alone is
        // not "Santos Silva".
        let familyWords = !familyEqual && !a.family.isEmpty && !b.family.isEmpty && !a.given.isEmpty && !b.given.isEmpty
            && familyWithin(a.family, b.family)
        let familyClose = familyEqual || (!a.family.isEmpty && !b.family.isEmpty
            && (StringSimilarity.jaroWinkler(a.family, b.family) >= 0.92 || oneTypo(a.family, b.family)))
        let givenEqual = !a.given.isEmpty && a.given == b.given
        let givenNick = !a.given.isEmpty && !b.given.isEmpty && a.canonicalGiven == b.canonicalGiven
        let givenClose = givenEqual || givenNick
            || (!a.given.isEmpty && !b.given.isEmpty && a.given.count > 1 && b.given.count > 1
                && (StringSimilarity.jaroWinkler(a.given, b.given) >= 0.9 || oneTypo(a.given, b.given)))
        if familyEqual && givenEqual { return ("exact", "") }
        if (familyClose || familyWords) && givenClose {
            // The family name's spelling is named first: a nickname with a family name one letter off
            // is not the full name as written (the rare-name rule needs that).
            if familyWords { return ("fuzzy", "second family name missing") }
            return ("fuzzy", !familyEqual ? "family name spelling" : givenNick && !givenEqual ? "nickname" : "given name spelling")
        }
        if swappedCheck && !a.given.isEmpty && !b.given.isEmpty && !a.family.isEmpty && !b.family.isEmpty {
            if a.given == b.family && a.family == b.given { return ("swapped", "given and family swapped") }
            // Swapped, and one of the two misspelled.
            if (a.given == b.family || a.family == b.given) && StringSimilarity.jaroWinkler(a.given, b.family) >= 0.9
                && StringSimilarity.jaroWinkler(a.family, b.given) >= 0.9
            {
                return ("swapped", "given and family swapped, spelled differently")
            }
        }
        if familyClose {
            if a.given.isEmpty || b.given.isEmpty { return ("initial", "given name missing on one side") }
            if (a.given.count == 1 && b.given.hasPrefix(a.given)) || (b.given.count == 1 && a.given.hasPrefix(b.given)) {
                return ("initial", "initial")
            }
            if (a.given.count < b.given.count && b.given.hasPrefix(a.given)) || (b.given.count < a.given.count && a.given.hasPrefix(b.given)) {
                return ("initial", "abbreviated given name")
            }
            return ("family-only", "given names differ")
        }
        if givenClose && !a.family.isEmpty && !b.family.isEmpty { return ("given-only", "family names differ") }
        if givenClose { return ("initial", "family name missing on one side") }
        return ("differ", "")
    }
}
