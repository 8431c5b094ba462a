import Foundation
import LeadCore
import LeadMatch
import LeadNormalize
import Testing

/// The set-based engine against a naive reference (every pair of the chunk compared, the same
/// rules and the same clustering), and its independence of record order and worker count.
@Suite("Set-based batch engine")
struct BatchEngineTests {
    /// A store with nothing in it: the chunk is matched against itself only.
    struct EmptyStore: CandidateSource {
        func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]] { [:] }
        func candidateLeads(ids: [Int64]) throws -> [Candidate] { [] }
        func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int] { [:] }
        func indexedLeadCount() throws -> Int { 0 }
        func rejectedPairs(among ids: [Int64]) throws -> Set<LeadPair> { [] }
        func latestRecordIDs(leadIDs: [Int64]) throws -> [Int64: Int64] { [:] }
    }

    /// A seeded generator (SplitMix64), so every run draws the same set.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `persons` people, 1 to 3 records each, with the damage real lists have: nicknames, a typo,
    /// upper case, a second (personal) e-mail, a job change that keeps the mobile, namesakes at other
    /// companies, colleagues behind one switchboard number and a role inbox. Returns records and truth.
    static func generate(persons: Int, seed: UInt64) -> (records: [LeadRecord], person: [Int]) {
        var rng = Seeded(state: seed)
        let givens = ["Robert", "Katherine", "William", "Ana", "Łukasz", "Mei", "Omar", "Ingrid", "Priya", "José", "Hannah", "Kenji"]
        let nick = ["Robert": "Bob", "Katherine": "Kate", "William": "Bill"]
        let families = ["Kowalczyk", "Okafor", "Lindqvist", "Haddad", "Brandt", "Moreau", "Tanaka", "Novak", "Silva", "Keller", "Rossi", "Dubois", "Nakamura", "Fischer"]
        let companies = ["Acme Robotics Inc", "Globex GmbH", "Initech Ltd", "Umbrella S.A.", "Hooli BV", "Vandelay LLC"]
        let cities = ["Berlin", "Austin", "Lyon", "Kraków", "Osaka", "Porto", "Leeds"]
        var records: [LeadRecord] = []
        var truth: [Int] = []
        func add(_ p: Int, _ record: LeadRecord) {
            var record = record
            record.provenance.record = records.count + 1
            record.provenance.line = records.count + 2
            records.append(record)
            truth.append(p)
        }
        for p in 0..<persons {
            let given = givens.randomElement(using: &rng)!
            let family = families.randomElement(using: &rng)! + ["", "ski", "sen", "ara", "ini", "berg", "ová"][p % 7] + ["", "wald", "ton", "mann"][p / 7 % 4]
            let c = Int.random(in: 0..<companies.count, using: &rng)
            let company = companies[c]
            let domain = company.split(separator: " ")[0].lowercased() + ".example"
            let city = cities.randomElement(using: &rng)!
            let work = "\(given.prefix(1).lowercased()).\(family.lowercased())\(p)@\(domain)"
            let mobile = "+49 151 \(String(format: "%07d", 1_000_000 + p * 37))"
            let switchboard = "+49 30 4417 22\(String(format: "%02d", c))"
            add(p, makeRecord(given: given, family: family, emails: [work], phones: [switchboard], company: company, title: "VP Marketing", city: city))
            let copies = Int.random(in: 0...2, using: &rng)
            for copy in 0..<copies {
                switch (p + copy) % 4 {
                case 0:  // nickname, upper case, same work address
                    add(p, makeRecord(given: (nick[given] ?? given).uppercased(), family: family.uppercased(), emails: [work.uppercased()], company: company, city: city))
                case 1:  // personal address and mobile, plus the work address
                    add(p, makeRecord(given: given, family: family, emails: [work, "\(family.lowercased()).\(p)@gmail.com"], phones: [mobile], city: city))
                case 2:  // job change that keeps the mobile
                    let next = companies[(c + 1) % companies.count]
                    add(p, makeRecord(given: given, family: family, emails: ["\(given.lowercased()).\(p)@\(next.split(separator: " ")[0].lowercased()).example"], phones: [mobile], company: next, city: city))
                    add(p, makeRecord(given: given, family: family, emails: [work], phones: [mobile], company: company, city: city))
                default:  // a typo in the family name, same work address
                    add(p, makeRecord(given: given, family: String(family.dropLast()) + "x", emails: [work], company: company, title: "VP Marketing"))
                }
            }
            if p % 10 == 0 {
                // A namesake at another company and city, and a colleague behind the same switchboard and role inbox.
                add(persons + p, makeRecord(given: given, family: family, emails: ["\(given.lowercased())@other\(p).example"], company: "Other \(p) AG", city: "Leeds"))
                add(2 * persons + p, makeRecord(given: givens[(p + 5) % givens.count], family: families[(p + 3) % families.count], emails: ["info@\(domain)"], phones: [switchboard], company: company, city: city))
            }
        }
        let normalizer = Normalizer()
        return (records.map { normalizer.normalize($0).0 }, truth)
    }

    /// The plan's leads as sets of record ordinals (independent of the records' places in the chunk).
    static func partition(_ plan: ChunkPlan, _ records: [LeadRecord]) -> Set<Set<Int>> {
        var groups: [ChunkPlan.LeadRef: Set<Int>] = [:]
        for link in plan.links { groups[link.lead, default: []].insert(records[link.record].provenance.record) }
        return Set(groups.values)
    }

    static func plan(_ records: [LeadRecord], exhaustive: Bool = false, workers: Int = 2) throws -> ChunkPlan {
        var engine = BatchMatcher(matcher: ProbabilisticMatcher())
        engine.exhaustive = exhaustive
        engine.workers = workers
        return try engine.plan(records, source: EmptyStore(), seenAt: "2026-12-01T00:00:00Z") { _, _ in }
    }

    @Test("blocked pairs give the leads that comparing every pair gives", arguments: [UInt64(1), 2, 3])
    func sameAsReference(seed: UInt64) throws {
        let (records, truth) = Self.generate(persons: 60, seed: seed)
        let blocked = try Self.plan(records)
        let reference = try Self.plan(records, exhaustive: true)
        #expect(Self.partition(blocked, records) == Self.partition(reference, records))
        #expect(reference.pairsScored == records.count * (records.count - 1) / 2)
        #expect(blocked.pairsScored < reference.pairsScored / 10, "blocking prunes most pairs")
        // And the leads are right: pairwise precision and recall against the truth.
        var predicted = 0, correct = 0
        for group in Self.partition(blocked, records) {
            predicted += group.count * (group.count - 1) / 2
            var byPerson: [Int: Int] = [:]
            for ordinal in group { byPerson[truth[ordinal - 1], default: 0] += 1 }
            correct += byPerson.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        }
        var sizes: [Int: Int] = [:]
        for person in truth { sizes[person, default: 0] += 1 }
        let actual = sizes.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        #expect(Double(correct) / Double(max(predicted, 1)) >= 0.97, "precision: \(correct) of \(predicted)")
        #expect(Double(correct) / Double(max(actual, 1)) >= 0.8, "recall: \(correct) of \(actual)")
    }

    @Test("shuffling the records or changing the worker count changes no lead")
    func orderAndThreads() throws {
        let (records, _) = Self.generate(persons: 80, seed: 7)
        let base = Self.partition(try Self.plan(records, workers: 1), records)
        var rng = Seeded(state: 99)
        for workers in [1, 2, 4] {
            let shuffled = records.shuffled(using: &rng)
            #expect(Self.partition(try Self.plan(shuffled, workers: workers), shuffled) == base, "workers \(workers)")
        }
        #expect(Self.partition(try Self.plan(records.reversed(), workers: 2), Array(records.reversed())) == base)
    }

    @Test("a name alone never joins; a switchboard and a role inbox never bridge two people")
    func antiChaining() throws {
        let records = [
            makeRecord(given: "Sofia", family: "Keller", emails: ["s.keller@acme.example"], phones: ["+49 30 44172290"], company: "Acme GmbH", record: 1),
            makeRecord(given: "Sofia", family: "Brandt", emails: ["info@acme.example"], phones: ["+49 30 44172290"], company: "Acme GmbH", record: 2),
            makeRecord(given: "Sofia", family: "Keller", company: "Globex AG", city: "Berlin", record: 3),
            makeRecord(given: "Jonas", family: "Brandt", emails: ["info@acme.example"], company: "Acme GmbH", record: 4),
        ].map { Normalizer().normalize($0).0 }
        let plan = try Self.plan(records)
        #expect(Self.partition(plan, records) == [[1], [2], [3], [4]])
    }
}
