// DIAGNOSE=1 match-accuracy N: classifies the missed true pairs and the false merges of the messy
// lead set by what the generator did to the records and by why the matcher decided as it did.
import Foundation
import LeadCore
import LeadMatch
import LeadStore

/// What the generator applied to one record.
struct RecordVariation {
    /// Job number of the person at this record (0: the first employer; each job change adds one).
    var job: Int
    /// Name variations: nickname, family-typo, accents-dropped, uppercase, swapped, look-alike.
    var tags: Set<String>
    /// A same-name different person (a namesake of an earlier person).
    var namesake: Bool
    /// Kinds of e-mails on the record: work, personal, role.
    var emails: Set<String>
    var phone: String?
    var linkedin: String?
    var emailValues: Set<String>
    /// The record shows the employer (company name, website or work e-mail).
    var companyGiven: Bool
    var city: String?
}

/// True when the generator gave two records of one person something beyond the name to link them
/// by: a shared e-mail (not a role inbox), phone or profile URL, or the same employer shown on both.
func linkable(_ a: RecordVariation, _ b: RecordVariation) -> Bool {
    if !a.emailValues.subtracting(a.emailValues.filter { $0.hasPrefix("info@") }).isDisjoint(with: b.emailValues) { return true }
    if let p = a.phone, p.suffix(9) == b.phone?.suffix(9) { return true }
    if let l = a.linkedin, l == b.linkedin { return true }
    return a.job == b.job && a.companyGiven && b.companyGiven
}

private func bump(_ table: inout [String: Int], _ key: String, _ by: Int = 1) { table[key, default: 0] += by }

private func printTable(_ title: String, _ table: [String: Int], limit: Int = 40) {
    print("  \(title):")
    for (key, count) in table.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(limit) {
        print("    \(String(repeating: " ", count: max(0, 7 - String(count).count)))\(count)  \(key)")
    }
}

/// Why the pipeline's decision for a record came out as it did, from its stored explanation.
private func decisionReason(_ row: SourceRecordRow) -> String {
    let text = row.explanation
    if row.match == "merged" { return "merged (into another lead)" }
    if text.contains("no lead shares a blocking key") { return "new: no candidate shares a key" }
    if text.contains("review against") {
        if let range = text.range(of: "no merge: ") { return "review: veto " + text[range.upperBound...] }
        return "review: weight below merge threshold"
    }
    if text.contains("closest is lead") {
        if let range = text.range(of: "no merge: ") { return "new: closest vetoed, " + text[range.upperBound...] }
        return "new: closest below review threshold"
    }
    return "new: " + text.prefix(40)
}

func diagnose(store: SQLiteStore, truth: [Int], predicted: [Int64], variations: [RecordVariation], namesakeOf: [Int: Int]) throws {
    var rows = [SourceRecordRow?](repeating: nil, count: truth.count)
    for lead in Set(predicted) {
        for row in try store.sourceRecords(leadID: lead) { rows[row.record - 1] = row }
    }
    let matcher = ProbabilisticMatcher()
    let comparator = Comparator(model: matcher.model)
    var byPerson: [Int: [Int]] = [:]
    for (index, person) in truth.enumerated() { byPerson[person, default: []].append(index) }

    // Missed true pairs.
    var missedBy: [String: Int] = [:], pairwise: [String: Int] = [:], tagTable: [String: Int] = [:], shared: [String: Int] = [:]
    var cross: [String: Int] = [:]
    var missed = 0
    var examples: [String: [String]] = [:]
    for (_, records) in byPerson where records.count > 1 {
        for x in 0..<records.count {
            for y in (x + 1)..<records.count {
                let i = records[x], j = records[y]
                guard predicted[i] != predicted[j], let a = rows[i]?.data, let b = rows[j]?.data else { continue }
                missed += 1
                let va = variations[i], vb = variations[j]
                var ids: [String] = []
                if !va.emailValues.isDisjoint(with: vb.emailValues) {
                    let kinds = va.emailValues.intersection(vb.emailValues).map { $0.hasPrefix("info@") ? "role" : $0.contains("gmail") ? "personal" : "work" }
                    ids.append("email(" + Set(kinds).sorted().joined(separator: "+") + ")")
                }
                if let p = va.phone, p.suffix(9) == vb.phone?.suffix(9) { ids.append("phone") }
                if let l = va.linkedin, l == vb.linkedin { ids.append("linkedin") }
                let job = va.job != vb.job ? "job change" : "same job"
                let identifiers = ids.isEmpty ? "no shared identifier" : ids.joined(separator: "+")
                bump(&shared, "\(job), \(identifiers)")
                let tags = va.tags.union(vb.tags)
                bump(&tagTable, tags.isEmpty ? "(no name variation)" : tags.sorted().joined(separator: "+"))
                let ka = Set(matcher.lookupKeys(for: Lead(record: a))), kb = Set(matcher.lookupKeys(for: Lead(record: b)))
                let c = comparator.compare(MatchProfile(record: a), MatchProfile(record: b))
                let outcome: String
                if ka.isDisjoint(with: kb) {
                    outcome = "no shared blocking key"
                } else if let veto = c.veto {
                    outcome = "veto: \(veto)" + (c.probability >= matcher.model.mergeThreshold ? " (weight would merge)" : " (weight below merge too)")
                } else if c.probability >= matcher.model.mergeThreshold {
                    outcome = "pairwise would merge"
                } else if c.probability >= matcher.model.reviewThreshold {
                    outcome = "pairwise review (weight)"
                } else {
                    outcome = "pairwise below review"
                }
                bump(&pairwise, outcome)
                bump(&cross, "\(job), \(identifiers) | \(outcome)")
                // The later record's decision in the run (records were matched in file order).
                let later = i > j ? rows[i]! : rows[j]!
                bump(&missedBy, decisionReason(later))
                if examples["\(job), \(identifiers) | \(outcome)", default: []].count < 4 {
                    examples["\(job), \(identifiers) | \(outcome)", default: []].append(
                        "\(a.name.given ?? "") \(a.name.family ?? "") | \(a.emails.map(\.raw)) \(a.phones.map(\.raw)) \(a.company ?? "") \(a.socialProfiles)\n"
                        + "        \(b.name.given ?? "") \(b.name.family ?? "") | \(b.emails.map(\.raw)) \(b.phones.map(\.raw)) \(b.company ?? "") \(b.socialProfiles)\n"
                        + "        [\(tags.sorted().joined(separator: ","))] \(c.summary)\n"
                        + "        leads \(predicted[i]) and \(predicted[j]); later record (lead \(later.match == "merged" ? "joined" : "new")): \(later.explanation)")
                }
            }
        }
    }
    // Oracle: records of a person connected (transitively) by linkable evidence; pairs across
    // components can only be linked on the name (with title and city).
    var nameOnly = 0, nameOnlyMissed = 0, nameOnlyCity = 0, allPairs = 0
    for (_, records) in byPerson where records.count > 1 {
        var component = Array(0..<records.count)
        func find(_ x: Int) -> Int { component[x] == x ? x : find(component[x]) }
        for x in 0..<records.count {
            for y in (x + 1)..<records.count where linkable(variations[records[x]], variations[records[y]]) {
                component[find(x)] = find(y)
            }
        }
        for x in 0..<records.count {
            for y in (x + 1)..<records.count {
                allPairs += 1
                guard find(x) != find(y) else { continue }
                nameOnly += 1
                if predicted[records[x]] != predicted[records[y]] { nameOnlyMissed += 1 }
                // Same city shown on both sides of the two components?
                let cx = Set(records.indices.filter { find($0) == find(x) }.compactMap { variations[records[$0]].city })
                let cy = Set(records.indices.filter { find($0) == find(y) }.compactMap { variations[records[$0]].city })
                if !cx.isDisjoint(with: cy) { nameOnlyCity += 1 }
            }
        }
    }
    // Missed pairs the generator gave something to link by (directly or through other records).
    var linkableShown = 0
    for (_, records) in byPerson where records.count > 1 {
        for x in 0..<records.count {
            for y in (x + 1)..<records.count where linkable(variations[records[x]], variations[records[y]]) {
                let i = records[x], j = records[y]
                guard predicted[i] != predicted[j], linkableShown < 12, let a = rows[i]?.data, let b = rows[j]?.data else { continue }
                linkableShown += 1
                let c = comparator.compare(MatchProfile(record: a), MatchProfile(record: b))
                var leadLevel = ""
                if let la = try store.lead(id: predicted[i]), let lb = try store.lead(id: predicted[j]) {
                    leadLevel = comparator.compare(MatchProfile(lead: la.lead), MatchProfile(lead: lb.lead)).summary
                }
                print("LINKABLE MISS: \(a.name.given ?? "") \(a.name.family ?? "") | \(a.emails.map(\.raw)) \(a.phones.map(\.raw)) \(a.company ?? "") | \(rows[i]!.explanation)")
                print("               \(b.name.given ?? "") \(b.name.family ?? "") | \(b.emails.map(\.raw)) \(b.phones.map(\.raw)) \(b.company ?? "") | \(rows[j]!.explanation)")
                print("               pair: \(c.summary)")
                print("               leads \(predicted[i]) and \(predicted[j]): \(leadLevel)")
            }
        }
    }
    print("DIAGNOSIS: \(allPairs) true pairs, \(nameOnly) link only through the name (no shared e-mail, phone, profile or shown employer, even transitively), \(nameOnlyMissed) of them missed; \(nameOnlyCity) of them with the same city shown somewhere on both sides")
    // Split persons: pairs of leads of one person that some record of one would join pairwise
    // (no veto, probability at or above the merge threshold) with a record of the other.
    var bridgeable = 0, splitPairs = 0
    var bridgeExamples: [String] = []
    for (_, records) in byPerson where records.count > 1 {
        let leads = Array(Set(records.map { predicted[$0] }))
        guard leads.count > 1 else { continue }
        var merged = Dictionary(uniqueKeysWithValues: leads.map { ($0, $0) })
        func root(_ x: Int64) -> Int64 { merged[x]! == x ? x : root(merged[x]!) }
        for x in 0..<records.count {
            for y in (x + 1)..<records.count where predicted[records[x]] != predicted[records[y]] {
                guard let a = rows[records[x]]?.data, let b = rows[records[y]]?.data else { continue }
                let c = comparator.compare(MatchProfile(record: a), MatchProfile(record: b))
                if c.veto == nil && c.probability >= matcher.model.mergeThreshold {
                    merged[root(predicted[records[x]])] = root(predicted[records[y]])
                }
            }
        }
        for x in 0..<records.count {
            for y in (x + 1)..<records.count where predicted[records[x]] != predicted[records[y]] {
                splitPairs += 1
                if root(predicted[records[x]]) == root(predicted[records[y]]) {
                    bridgeable += 1
                    if bridgeExamples.count < 10, let a = try store.lead(id: predicted[records[x]]), let b = try store.lead(id: predicted[records[y]]) {
                        bridgeExamples.append("leads \(a.id) and \(b.id): " + comparator.compare(MatchProfile(lead: a.lead), MatchProfile(lead: b.lead)).summary)
                    }
                }
            }
        }
    }
    print("DIAGNOSIS: \(splitPairs) missed pairs, \(bridgeable) of them between leads that a record-to-record link would join")
    for line in bridgeExamples { print("    " + line) }
    print("DIAGNOSIS: \(missed) missed true pairs")
    printTable("by shared generator identifiers", shared)
    printTable("by name variation (either record)", tagTable)
    printTable("pairwise comparison of the two records", pairwise)
    printTable("identifiers × pairwise", cross)
    printTable("decision of the later record in the run", missedBy)
    for (outcome, list) in examples.sorted(by: { $0.key < $1.key }) {
        print("  examples, \(outcome):")
        for line in list { print("      " + line) }
    }

    // False merges: records of different persons in one lead.
    var byLead: [Int64: [Int]] = [:]
    for (index, lead) in predicted.enumerated() { byLead[lead, default: []].append(index) }
    var falsePairs = 0
    var falseBy: [String: Int] = [:], falseKinds: [String: Int] = [:], falseRules: [String: Int] = [:]
    var mergeReasons: [String: Int] = [:]
    var mergeExamples: [String] = []
    for (_, records) in byLead where Set(records.map { truth[$0] }).count > 1 {
        var counts: [Int: Int] = [:]
        for i in records { counts[truth[i], default: 0] += 1 }
        let main = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
        for x in 0..<records.count {
            for y in (x + 1)..<records.count where truth[records[x]] != truth[records[y]] { falsePairs += 1 }
        }
        for i in records where truth[i] != main {
            let v = variations[i], w = variations[records.first { truth[$0] == main }!]
            let mainRecords = records.filter { truth[$0] == main }
            let sharesEmail = mainRecords.contains { !variations[$0].emailValues.isDisjoint(with: v.emailValues.filter { !$0.hasPrefix("info@") }) }
            let sharesPhone = mainRecords.contains { variations[$0].phone.map { $0.suffix(9) } == v.phone.map { $0.suffix(9) } && v.phone != nil }
            let namesake = (v.namesake || w.namesake ? "namesake" : "different names")
                + (sharesEmail ? ", same e-mail address" : "") + (sharesPhone ? ", same phone" : "")
            let role = v.emails.contains("role") || w.emails.contains("role") ? ", role inbox" : ""
            bump(&falseKinds, namesake + role)
            let summary = rows[i]?.comparison?.summary ?? rows[i]?.explanation ?? ""
            let top = summary.split(separator: ":").dropFirst().joined(separator: ":").split(separator: ",").prefix(3).joined(separator: ",")
            bump(&falseBy, "\(rows[i]?.match ?? "?"):\(top)")
            bump(&falseRules, rows[i]?.comparison?.rule.map { "\(rows[i]?.match ?? "?") by \($0)" } ?? "\(rows[i]?.match ?? "?") by the weights")
        }
    }
    for (lead, records) in byLead where Set(records.map { truth[$0] }).count > 1 {
        for merge in try store.merges(leadID: lead) {
            bump(&mergeReasons, merge.reason.contains("match as wholes") ? "leads compared as wholes after the file" : "a record joined both")
            if mergeExamples.count < 12 { mergeExamples.append(merge.reason) }
        }
    }
    print("DIAGNOSIS: \(falsePairs) false pairs")
    try leadPairs(store: store, truth: truth, predicted: predicted, namesakeOf: namesakeOf, byPerson: byPerson, comparator: comparator)
    printTable("wrongly joined records by kind", falseKinds)
    printTable("wrongly joined records by rule", falseRules)
    printTable("lead merges inside mixed leads", mergeReasons)
    for line in mergeExamples { print("      " + line) }
    printTable("wrongly joined records by decision", falseBy, limit: 20)
}

/// Lead-to-lead evidence at the end of the run: for each person split over two leads, and for each
/// person and their namesake, the comparison of the two leads as wholes (with end-of-run family-name
/// counts), tabulated by name, location, phone, title levels and family-name count.
private func leadPairs(store: SQLiteStore, truth: [Int], predicted: [Int64], namesakeOf: [Int: Int], byPerson: [Int: [Int]], comparator: LeadMatch.Comparator) throws {
    var leads: [Int64: Lead] = [:]
    var familyCounts: [String: Int] = [:]
    try store.forEachLead { stored in
        leads[stored.id] = stored.lead
        if let name = MatchProfile(lead: stored.lead).primaryName, !name.family.isEmpty { familyCounts[name.canonicalGiven + "|" + name.family, default: 0] += 1 }
    }
    func describe(_ a: Int64, _ b: Int64) -> String {
        guard let x = leads[a], let y = leads[b] else { return "?" }
        let pa = MatchProfile(lead: x), pb = MatchProfile(lead: y)
        let count = pa.primaryName.map { familyCounts[$0.canonicalGiven + "|" + $0.family, default: 0] } ?? 0
        let c = comparator.compare(pa, pb, nameRarity: NameRarity(leads: count, expected: 0))
        func level(_ field: String) -> String { c.fields.first { $0.field == field }?.level ?? "-" }
        return "name \(level("name")) loc \(level("location")) phone \(level("phone")) title \(level("title")) name×\(min(count, 4))"
            + (c.veto == nil ? (c.probability >= 0.999 ? " MERGE" : "") : "")
    }
    var split: [String: Int] = [:], namesakes: [String: Int] = [:]
    for (_, records) in byPerson {
        let ids = Array(Set(records.map { predicted[$0] })).sorted()
        guard ids.count > 1 else { continue }
        for x in 0..<ids.count { for y in (x + 1)..<ids.count { bump(&split, describe(ids[x], ids[y])) } }
    }
    for (namesake, original) in namesakeOf {
        guard let a = byPerson[namesake], let b = byPerson[original] else { continue }
        for i in Set(a.map { predicted[$0] }) {
            for j in Set(b.map { predicted[$0] }) where i != j { bump(&namesakes, describe(i, j)) }
        }
    }
    printTable("split persons: lead pairs of one person", split, limit: 30)
    printTable("namesakes: lead pairs of a person and their namesake", namesakes, limit: 30)
}
