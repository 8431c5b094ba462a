import Foundation
import LeadCore
import LeadMatch
import LeadNormalize
import LeadPipeline
import LeadStore
import Testing

@Suite("String similarity")
struct StringSimilarityTests {
    @Test("Jaro-Winkler reference values", arguments: [
        ("MARTHA", "MARHTA", 0.961), ("DWAYNE", "DUANE", 0.840), ("DIXON", "DICKSONX", 0.813), ("abc", "abc", 1.0), ("abc", "xyz", 0.0),
    ])
    func jaroWinkler(a: String, b: String, expected: Double) {
        #expect(abs(StringSimilarity.jaroWinkler(a, b) - expected) < 0.001)
    }

    @Test func foldAndSoundex() {
        #expect(StringSimilarity.fold("  Jürgen  MÜLLER-Lüdenscheidt ") == "jurgen muller ludenscheidt")
        #expect(StringSimilarity.soundex("robert") == "R163")
        #expect(StringSimilarity.soundex("rupert") == "R163")
        #expect(StringSimilarity.soundex("tymczak") == "T522")
    }
}

@Suite("Field comparisons")
struct ComparisonTests {
    let comparator = Comparator(model: .builtIn)

    func level(_ a: LeadRecord, _ b: LeadRecord, _ field: String) -> String? {
        comparator.compare(MatchProfile(record: a), MatchProfile(record: b)).fields.first { $0.field == field }?.level
    }

    @Test("name levels", arguments: [
        (("Robert", "Smith"), ("Robert", "Smith"), "exact"), (("Bob", "Smith"), ("Robert", "Smith"), "fuzzy"),
        (("Jon", "Smith"), ("John", "Smith"), "fuzzy"), (("Anna", "Kowalski"), ("Anna", "Kowalsky"), "fuzzy"),
        (("Smith", "Robert"), ("Robert", "Smith"), "swapped"), (("R", "Smith"), ("Robert", "Smith"), "initial"),
        (("Alice", "Smith"), ("Robert", "Smith"), "family-only"), (("Robert", "Jones"), ("Robert", "Smith"), "given-only"),
        (("Ann", "Lee"), ("Bob", "Marsh"), "differ"), (("José", "García"), ("Jose", "GARCIA"), "exact"),
    ])
    func names(a: (String, String), b: (String, String), expected: String) {
        #expect(level(makeRecord(given: a.0, family: a.1), makeRecord(given: b.0, family: b.1), "name") == expected)
    }

    @Test("e-mail levels: exact key, same local part elsewhere, shared role inbox, differ")
    func emails() {
        #expect(level(makeRecord(emails: ["ann.lee@acme.com"]), makeRecord(emails: ["ann.lee@acme.com"]), "email") == "exact")
        #expect(level(makeRecord(emails: ["ann.lee@acme.com"]), makeRecord(emails: ["ann.lee@gmail.com"]), "email") == "local")
        #expect(level(makeRecord(emails: ["info@acme.com"]), makeRecord(emails: ["info@acme.com"]), "email") == "role")
        #expect(level(makeRecord(emails: ["a@x.com"]), makeRecord(emails: ["b@y.com"]), "email") == "differ")
        #expect(level(makeRecord(emails: []), makeRecord(emails: ["b@y.com"]), "email") == nil)
        #expect(MatchModel.builtIn.weight("email", "exact") > 10)
        #expect(MatchModel.builtIn.weight("email", "role") < 2)
    }

    @Test("company, domain, phone, title, location and profile levels")
    func others() {
        #expect(level(makeRecord(company: "Acme Inc."), makeRecord(company: "ACME, LLC"), "company") == "exact")
        #expect(level(makeRecord(company: "Acme Software GmbH"), makeRecord(company: "Acme Software Solutions"), "company") == "similar")
        #expect(level(makeRecord(company: "International Business Machines"), makeRecord(company: "IBM"), "company") == "similar")
        #expect(level(makeRecord(company: "Acme"), makeRecord(company: "Globex"), "company") == "differ")
        #expect(level(makeRecord(domain: "acme.co.uk"), makeRecord(domain: "acme.co.uk"), "domain") == "exact")
        #expect(level(makeRecord(phones: ["+14155550101"]), makeRecord(phones: ["+14155550101"]), "phone") == "exact")
        #expect(level(makeRecord(title: "VP Marketing"), makeRecord(title: "vp, marketing"), "title") == "exact")
        #expect(level(makeRecord(city: "Berlin", country: "DE"), makeRecord(city: "Berlin", country: "DE"), "location") == "city")
        #expect(level(makeRecord(city: "Berlin", country: "DE"), makeRecord(city: "Bonn", country: "DE"), "location") == "country")
        #expect(level(makeRecord(socials: ["https://www.linkedin.com/in/AnnLee/"]), makeRecord(socials: ["linkedin.com/in/annlee"]), "social") == "exact")
    }

    @Test("term frequency: a shared rare surname weighs more than a common one")
    func termFrequency() {
        let a = MatchProfile(record: makeRecord(given: "John", family: "Smith"))
        let b = MatchProfile(record: makeRecord(given: "John", family: "Smith"))
        let common = comparator.compare(a, b, familyFrequency: 0.05).fields[0].weight
        let rare = comparator.compare(a, b, familyFrequency: 0.00001).fields[0].weight
        #expect(rare > common + 1.5)
    }
}

@Suite("Probabilistic matcher")
struct MatcherTests {
    let matcher = ProbabilisticMatcher()

    func decide(_ record: LeadRecord, against existing: [LeadRecord]) throws -> MatchDecision {
        let index = MemoryIndex()
        for (offset, other) in existing.enumerated() {
            let lead = Lead(record: other)
            index.add(lead, id: Int64(offset + 1), keys: matcher.keys(for: lead))
        }
        let candidates = try index.candidates(for: matcher.lookupKeys(for: Lead(record: record)))
        return try matcher.decide(record, candidates: candidates, index: index)
    }

    @Test("nickname, same company, different e-mail kinds: same lead")
    func nickname() throws {
        let decision = try decide(
            makeRecord(given: "Bob", family: "Smith", emails: ["bob.smith@gmail.com"], company: "Acme Inc", title: "CMO"),
            against: [makeRecord(given: "Robert", family: "Smith", emails: ["rsmith@acme.com"], company: "Acme", title: "CMO")])
        #expect(decision.outcome == .merge(into: 1))
        #expect(decision.explanation.contains("name +"))
    }

    @Test("two John Smiths at different companies stay two leads")
    func sameNameDifferentPeople() throws {
        let decision = try decide(
            makeRecord(given: "John", family: "Smith", emails: ["john.smith@globex.com"], company: "Globex", domain: "globex.com", city: "Austin"),
            against: [makeRecord(given: "John", family: "Smith", emails: ["jsmith@acme.com"], company: "Acme", domain: "acme.com", city: "Boston")])
        #expect(decision.outcome != .merge(into: 1))
    }

    @Test("a shared role inbox or switchboard never merges different people (anti-chaining)")
    func roleInbox() throws {
        let decision = try decide(
            makeRecord(given: "Maria", family: "Lopez", emails: ["info@acme.com"], phones: ["+14155550100"], company: "Acme"),
            against: [makeRecord(given: "Tom", family: "Becker", emails: ["info@acme.com"], phones: ["+14155550100"], company: "Acme")])
        #expect(decision.outcome == .new || decision.outcome == .review(with: 1))
        #expect(decision.comparison?.veto == "names conflict")
    }

    @Test("job change: new company and work e-mail, same personal e-mail and mobile: same lead")
    func jobChange() throws {
        let decision = try decide(
            makeRecord(given: "Ana", family: "García", emails: ["ana@globex.com", "ana.garcia.77@gmail.com"], phones: ["+34612345678"], company: "Globex"),
            against: [makeRecord(given: "Ana", family: "Garcia", emails: ["ana.garcia@acme.es", "ana.garcia.77@gmail.com"], phones: ["+34612345678"], company: "Acme")])
        #expect(decision.outcome == .merge(into: 1))
    }

    @Test("a lead keeps its employment history on a job change; never blanks a value")
    func survivorship() {
        var lead = Lead(record: makeRecord(given: "A", family: "García", emails: ["ana@acme.es"], company: "Acme", title: "CMO", city: "Madrid", file: "old.csv"))
        LeadMerger.merge(makeRecord(given: "Ana", family: "García", emails: ["ana@globex.com"], company: "Globex", title: "VP Marketing", file: "new.csv", record: 7), into: &lead)
        #expect(lead.company == "Globex")
        #expect(lead.title == "VP Marketing")
        #expect(lead.history == [Employment(company: "Acme", title: "CMO", seenIn: "old.csv#1")])
        #expect(lead.name.given == "Ana")  // the full name replaces the initial
        #expect(lead.location.city == "Madrid")  // not blanked
        #expect(lead.emails.map(\.raw) == ["ana@acme.es", "ana@globex.com"])
        #expect(lead.fieldSources["company"] == "new.csv#7")
        #expect(lead.fieldSources["location.city"] == "old.csv#1")
    }

    @Test("values derived from a field travel with it: after a job change the lead is compared and scored as the new job")
    func derivedFollowsField() {
        func normalized(_ record: LeadRecord) -> LeadRecord { Normalizer().normalize(record).0 }
        var lead = Lead(record: normalized(makeRecord(given: "A", family: "García", company: "Acme Labs GmbH", title: "Marketing Manager", file: "old.csv")))
        #expect(lead.derived["company.key"] == "acme labs")
        let oldSeniority = lead.derived["title.seniority"]
        LeadMerger.merge(normalized(makeRecord(
            given: "Ana", family: "García", emails: ["ana@globex.com"], company: "Globex Corporation", title: "Chief Marketing Officer",
            file: "new.csv", record: 7)), into: &lead)
        #expect(lead.derived["company.key"] == "globex")
        #expect(lead.derived["title.seniority"] != oldSeniority)
        #expect(lead.derived["title.seniority"] == normalized(makeRecord(title: "Chief Marketing Officer")).derived["title.seniority"])
        #expect(lead.derived["name.given.key"] == "ana")  // the full given name replaced the initial, and its key with it
        let profile = MatchProfile(lead: lead)
        #expect(profile.companyKeys.contains("globex") && profile.companyKeys.contains("acme labs"))
        #expect(profile.domains.contains("globex.com"))  // a work address's domain is an employer's
    }

    @Test("EM recovers the m-probabilities of a synthetic set")
    func emConvergence() {
        // 300 true matches: e-mail agrees 80%, names 90%, company 75%; 700 non-matches (like random pairs): e-mail never,
        // names 2%, company 5%; fields drawn independently (a seeded generator keeps the test stable).
        var seed: UInt64 = 42
        func chance(_ p: Double) -> Bool {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) < p
        }
        func pair(_ email: Double, _ name: Double, _ company: Double) -> [String: String] {
            ["email": chance(email) ? "exact" : "differ", "name": chance(name) ? "exact" : "differ", "company": chance(company) ? "exact" : "differ"]
        }
        let pairs = (0..<300).map { _ in pair(0.8, 0.9, 0.75) } + (0..<700).map { _ in pair(0.0, 0.02, 0.05) }
        let random = (0..<3000).map { _ in pair(0.0, 0.02, 0.05) }
        let (model, iterations) = MatchModel.builtIn.trained(pairs: pairs, randomPairs: random)
        #expect(iterations > 1 && iterations < 200)
        #expect(abs(model.prior - 0.3) < 0.05)
        #expect(abs(model.fields["email"]!["exact"]!.m - 0.8) < 0.05)
        #expect(abs(model.fields["name"]!["exact"]!.m - 0.9) < 0.06)
        #expect(model.fields["email"]!["exact"]!.u < 0.01)
    }
}

@Suite("Matching through the store")
struct StoreMatchingTests {
    let dir = TempDir()

    @Test("stable ids across two runs, matching a batch against the store, review decisions survive a rerun", arguments: Backend.available)
    func acrossRuns(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let first = dir.write("first.csv", """
            First Name,Last Name,Email,Company,Title
            Robert,Smith,rsmith@acme.com,Acme Inc,CMO
            Maria,Lopez,info@globex.com,Globex,VP Sales
            Kim,Park,kim.park@initech.com,Initech,Head of Marketing
            """)
        let run1 = try Pipeline().run(paths: [first], store: store, dryRun: false)
        #expect(run1.newLeads == 3)
        let second = dir.write("second.csv", """
            First Name,Last Name,Email,Company,Title
            Bob,Smith,bob.smith@gmail.com,ACME,CMO
            Tom,Becker,info@globex.com,Globex,CFO
            Kim,Park,kpark@initech.io,Initech Corp,Head of Growth
            """)
        let run2 = try Pipeline().run(paths: [second], store: store, dryRun: false)
        #expect(run2.duplicatesOfStore >= 1)
        let bob = try #require(run2.files[0].plan.first)
        #expect(bob.outcome == "joins lead 1")
        #expect(bob.reasons.contains("name"))
        // Tom Becker shares only the role inbox with Maria Lopez: a new lead.
        #expect(run2.files[0].plan[1].outcome.hasPrefix("new lead"))
        let robert = try #require(try store.lead(id: 1))
        #expect(robert.lead.emails.count == 2)
        #expect(robert.lead.aliases.contains("Bob Smith"))
        let records = try store.sourceRecords(leadID: 1)
        #expect(records.map(\.file) == ["first.csv", "second.csv"])
        #expect(records[1].comparison?.fields.contains { $0.field == "email" } == true)

        // Whatever went to review: reject each pending item, then import a third file; no rejected pair merges.
        for item in try store.reviews(status: "pending") {
            try store.decideReview(id: item.id, accept: false, at: "now")
        }
        #expect(try store.reviews(status: "pending").isEmpty)
        #expect(throws: StoreError.self) { try store.decideReview(id: 999, accept: true, at: "now") }
    }

    @Test("accepting a review merges the two leads; the older id survives and the merge is recorded", arguments: Backend.available)
    func acceptReview(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let file = dir.write("pair.csv", """
            First Name,Last Name,Email,Company,City,Title
            Katherine,Nguyen,knguyen@acme.com,Acme,Boston,VP Marketing
            Kate,Nguyen,kate.nguyen@hooli.com,Hooli,Boston,VP Marketing
            """)
        let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
        let pending = try store.reviews(status: "pending")
        #expect(report.reviews == pending.count)
        if let item = pending.first {
            try store.decideReview(id: item.id, accept: true, at: "2026-11-22T00:00:00Z")
            #expect(try store.leadCount() == 1)
            let merged = try #require(try store.lead(id: 1))
            #expect(merged.lead.emails.count == 2)
            #expect(try store.merges(leadID: 1).first?.mergedLeadID == 2)
            #expect(try store.sourceRecords(leadID: 1).count == 2)
        } else {
            // Merged automatically: still one lead.
            #expect(try store.leadCount() == 1)
        }
    }
}
