public import LeadCore

/// Record linkage with a Fellegi-Sunter model: several blocking keys per lead, graded field
/// comparisons, term-frequency adjusted names, thresholds for merge and review, and anti-chaining
/// (a record is compared with the lead as a whole, and conflicting names veto a merge).
public struct ProbabilisticMatcher: Matcher {
    public let id = "fellegi-sunter"
    /// Change when `keys(for:)` makes new kinds of keys (2026-12: full-name and given-name counters;
    /// 2026-12b: a phone's extension is part of its key; 2026-12c: one profile-URL key per profile,
    /// locale paths and subdomains aside; 2026-12d: family name with the employer's brand, the first
    /// word of a two-word family name, given name and family initials with the brand).
    public let keyVersion = "fellegi-sunter/2026-12d"
    public var model: MatchModel
    /// How sure two existing leads must be of each other, with a bridging record merged in, before
    /// the record merges them: far above the merge threshold, since a wrong merge joins two people's
    /// whole histories.
    static let sameAsThreshold = 0.999

    /// Leads compared per record at most (largest blocks are cut; keeps matching near-linear).
    public var maxCandidates = 200

    public init(model: MatchModel = .builtIn) { self.model = model.completed() }

    public var mergeThreshold: Double { model.mergeThreshold }
    public var reviewThreshold: Double { model.reviewThreshold }

    public func compare(_ a: MatchProfile, _ b: MatchProfile, frequency: NameFrequency) -> Comparison {
        Comparator(model: model).compare(a, b, familyFrequency: frequency.family, nameRarity: frequency.rarity)
    }

    public func keys(for lead: Lead) -> [MatchKey] {
        let profile = MatchProfile(lead: lead)
        var keys: [MatchKey] = []
        var seen = Set<MatchKey>()
        func add(_ kind: String, _ value: String) {
            guard !value.isEmpty else { return }
            let key = MatchKey(kind, value)
            if seen.insert(key).inserted { keys.append(key) }
        }
        for email in profile.emails { add("email", email) }
        for local in profile.emailLocals where local.count >= 6 { add("email-local", local) }
        for phone in profile.phones { add("phone", MatchProfile.phoneKey(phone)) }
        for social in profile.socials { add("social", social) }
        let brands = Self.brands(profile)
        for name in profile.names where !name.family.isEmpty {
            let initial = name.canonicalGiven.first.map(String.init) ?? ""
            // A family name of two words (García Rodríguez, Gomes Silva) is often written with the
            // first alone: the keys of both forms.
            var families = [name.family]
            if let first = Self.firstFamilyWord(name.family) { families.append(first) }
            for family in families {
                add("name-phonetic", StringSimilarity.soundex(family) + "|" + initial)
                for company in profile.companyKeys { add("name-company", family + "|" + company) }
                // The employer's brand, however a list wrote it: the company name run together, its
                // first word, or the first label of a work domain ("Paxlight Properties", "Paxlight",
                // paxlight.com), so a record naming the company meets one showing only the domain.
                for brand in brands { add("name-brand", family + "|" + brand) }
            }
            for domain in profile.domains { add("name-domain", name.family + "|" + domain) }
            if !name.given.isEmpty {
                add("name-swapped", [name.fullGiven.isEmpty ? name.given : name.fullGiven, name.family].sorted().joined(separator: "|"))
                // Survives a typo in the family name that changes its phonetic code.
                add("name-given-prefix", name.canonicalGiven + "|" + String(name.family.prefix(2)))
                // The same with the employer's brand: selective enough to read a stored lead on its
                // own, for a typo past the family name's second letter ("Haarinfing" at Corara).
                for brand in brands { add("name-initials-brand", name.canonicalGiven + "|" + String(name.family.prefix(2)) + "|" + brand) }
                // (The given-name + employer keys of 2026-11, for a typo in the first letters of the
                // family name at one employer, are gone: on 2026-12-03 they added 0.0006 recall on the
                // 5,000-person set, 0.0002 on gen-bench-leads 20,000 and nothing on FEBRL, for two
                // index rows per lead and employer.)
            }
            add("tf-family", name.family)
            if !name.canonicalGiven.isEmpty {
                add("tf-name", name.canonicalGiven + "|" + name.family)
                add("tf-given", name.canonicalGiven)
            }
        }
        // Identity facts: a national id or a date of birth blocks on its own (a date shared by too
        // many leads is skipped by the index); postcode with street number or birth year survives
        // typos in the names and the date.
        for id in profile.nationalIDs where id.count >= 4 { add("national-id", id) }
        for date in profile.birthDates { add("birth-date", date) }
        for postcode in profile.postcodes {
            for street in profile.streets {
                if let number = street.split(separator: " ").first, number.contains(where: \.isNumber) {
                    add("postcode-number", postcode + "|" + number)
                }
            }
            for date in profile.birthDates where date.count == 8 { add("postcode-year", postcode + "|" + date.prefix(4)) }
        }
        return keys
    }

    /// The first word of a family name of several words, when it is a name (not a particle such as
    /// "van" or "de") of three letters or more.
    static func firstFamilyWord(_ family: String) -> String? {
        let words = family.split(separator: " ")
        guard words.count >= 2, let first = words.first, first.count >= 3, !Self.particles.contains(String(first)) else { return nil }
        return String(first)
    }
    static let particles: Set<String> = ["van", "von", "der", "den", "del", "della", "dos", "das", "ter", "ten", "bin", "ibn", "mac", "san", "santa"]

    static func brands(_ profile: MatchProfile) -> Set<String> {
        var result = profile.squashedCompanies.union(profile.domainLabels.filter { $0.count >= 4 })
        for key in profile.companyKeys {
            if let first = key.split(separator: " ").first, first.count >= 5 { result.insert(String(first)) }
        }
        return result
    }

    /// Term frequencies of the profile's name, once the index is large enough for them to mean
    /// something: the share of indexed leads with its family name, and the name's rarity for the
    /// rare-name rule.
    func familyFrequency(_ profile: MatchProfile, index: any LeadIndex) throws -> (Double?, NameRarity?) {
        guard let name = profile.primaryName, !name.family.isEmpty else { return (nil, nil) }
        let total = try index.indexedLeadCount()
        guard total >= 200 else { return (nil, nil) }
        let family = try index.keyCount(MatchKey("tf-family", name.family))
        var rarity: NameRarity?
        if !name.canonicalGiven.isEmpty {
            let full = try index.keyCount(MatchKey("tf-name", name.canonicalGiven + "|" + name.family))
            let given = try index.keyCount(MatchKey("tf-given", name.canonicalGiven))
            rarity = NameRarity(leads: full, expected: Double(family) * Double(given) / Double(total))
        }
        return (Double(family) / Double(total), rarity)
    }

    public func decide(_ record: LeadRecord, candidates: [Candidate], index: any LeadIndex) throws -> MatchDecision {
        let profile = MatchProfile(record: record)
        guard !candidates.isEmpty else {
            return MatchDecision(outcome: .new, explanation: "new lead: no lead shares a blocking key")
        }
        let (frequency, nameRarity) = try familyFrequency(profile, index: index)
        let comparator = Comparator(model: model)
        var best: (candidate: Candidate, comparison: Comparison)?
        var sure: [(candidate: Candidate, comparison: Comparison)] = []
        for candidate in candidates.prefix(maxCandidates) {
            let comparison = comparator.compare(profile, candidate.profile, familyFrequency: frequency, nameRarity: nameRarity)
            if comparison.veto == nil, comparison.probability >= model.mergeThreshold { sure.append((candidate, comparison)) }
            let better: Bool
            if let current = best {
                // A candidate without a veto beats one with; then the higher probability; then the older lead.
                if (current.comparison.veto == nil) != (comparison.veto == nil) {
                    better = comparison.veto == nil
                } else if comparison.totalWeight != current.comparison.totalWeight {
                    better = comparison.totalWeight > current.comparison.totalWeight
                } else {
                    better = candidate.id < current.candidate.id
                }
            } else {
                better = true
            }
            if better { best = (candidate, comparison) }
        }
        guard let best else { return MatchDecision(outcome: .new, explanation: "new lead") }
        let p = best.comparison.probability
        let id = best.candidate.id
        if p >= model.mergeThreshold && best.comparison.veto == nil {
            var decision = MatchDecision(
                outcome: .merge(into: id), explanation: "joins lead \(id): \(best.comparison.summary)", score: p,
                comparison: best.comparison)
            // One person split over two leads (their records shared nothing but a name) is joined
            // when a record surely matches both; to resist chaining, the other lead must also match
            // the chosen lead with this record merged in, as a whole, and no person may have
            // rejected the pair.
            if sure.count > 1 {
                var joined = best.candidate.lead
                LeadMerger.merge(record, into: &joined)
                let whole = MatchProfile(lead: joined)
                for other in sure where other.candidate.id != id {
                    let between = comparator.compare(
                        other.candidate.profile, whole, familyFrequency: frequency, nameRarity: nameRarity)
                    guard between.veto == nil, between.probability >= Self.sameAsThreshold,
                          try !index.isRejectedPair(other.candidate.id, id)
                    else { continue }
                    decision.sameAs.append((other.candidate.id, between))
                }
            }
            return decision
        }
        if p >= model.reviewThreshold || (best.comparison.veto != nil && p >= model.mergeThreshold) {
            return MatchDecision(
                outcome: .review(with: id), explanation: "new lead, review against lead \(id): \(best.comparison.summary)",
                score: p, comparison: best.comparison)
        }
        return MatchDecision(
            outcome: .new, explanation: "new lead: closest is lead \(id), \(best.comparison.summary)", score: p,
            comparison: best.comparison)
    }
}
