import Foundation
import LeadCore
import LeadImport
import LeadNormalize
import LeadPipeline
import LeadStore
import Testing

@testable import LeadScore

let testProfileYAML = """
    persona:
      seniority: {owner: 90, c-level: 100, vp: 90, director: 70, manager: 40, individual: 10, student: 0}
      departments: {marketing: 100, sales: 60, executive: 80}
      include_keywords: ["demand gen"]
      exclude_keywords: ["assistant"]
    firmographics:
      industries: ["Software", "Internet"]
      employees: {min: 50, max: 5000}
      revenue: {min: 5000000, max: 1000000000}
      countries: [US, DE, GB]
    target_accounts:
      domains: [northwind.io]
      boost: 10
    disqualify:
      students: true
      competitor_domains: [rival.com]
      customer_domains: [customer.com]
      free_mail_without_company: true
      excluded_countries: [KP]
    tiers: {A: 75, B: 55, C: 35}
    stages: {dream: 80, prospect: 55}
    """

/// A normalized lead with the given facts.
func scoredLead(
    title: String? = "VP Marketing", company: String? = "Northwind Inc", email: String? = "priya@northwind.io", country: String? = "US",
    employees: String? = "200", industry: String? = "Computer Software", revenue: String? = "$10M-$50M", phone: String? = "+1 415 555 0101",
    extras: [ExtraField] = [], referredBy: String? = nil
) -> Lead {
    var record = makeRecord(given: "Priya", family: "Shah", emails: [], company: company, title: title, country: country)
    if let email { record.emails = [EmailAddress(raw: email)] }
    if let phone { record.phones = [PhoneNumber(raw: phone)] }
    record.referredBy = referredBy
    record.extras = extras
    if let employees { record.attributes["company.employees"] = employees }
    if let industry { record.attributes["company.industry"] = industry }
    if let revenue { record.attributes["company.revenue"] = revenue }
    let normalized = Normalizer().normalize(record).0
    var lead = Lead(record: normalized)
    LeadFacts.accumulate(normalized, into: &lead, seenAt: "2026-11-20T10:00:00Z")
    return lead
}

@Suite("ICP scoring")
struct ScoringTests {
    let profile = try! ICPProfile.parse(testProfileYAML, file: "icp.yml")
    var scorer: Scorer { Scorer(profile: profile) }

    @Test("persona and authority by seniority and department", arguments: [
        ("Chief Marketing Officer", 40.0), ("VP Marketing", 37.5), ("Head of Demand Gen", 37.5), ("Marketing Manager", 25.0),
        ("Sales Director", 26.5), ("Software Engineer", 2.5), ("Executive Assistant to the CEO", 0.0),
    ])
    func persona(title: String, points: Double) {
        let card = scorer.score(scoredLead(title: title))
        #expect(abs(card.persona - points) < 0.01, "\(card.reasons)")
    }

    @Test("firmographic fit: share of the configured criteria met", arguments: [
        ("Computer Software", "US", "200", 30.0), ("Retail", "US", "200", 20.0), ("Computer Software", "FR", "200", 20.0),
        ("Computer Software", "US", "10", 20.0), ("Retail", "FR", "10", 0.0),
    ])
    func firmographic(industry: String, country: String, employees: String, points: Double) {
        let card = scorer.score(scoredLead(country: country, employees: employees, industry: industry))
        #expect(abs(card.firmographic - points) < 0.01)
    }

    @Test("means: revenue in range, else company size as a proxy", arguments: [
        ("$10M-$50M" as String?, "200" as String?, 15.0), ("$1M", "200", 0.0), (nil, "200", 8.0), (nil, "10", 0.0),
    ])
    func means(revenue: String?, employees: String?, points: Double) {
        #expect(scorer.score(scoredLead(employees: employees, revenue: revenue)).means == points)
    }

    @Test("contactability: work e-mail and direct phone", arguments: [
        ("priya@northwind.io" as String?, "+1 415 555 0101" as String?, 15.0), ("priya.shah@gmail.com", nil, 5.0),
        ("info@northwind.io", nil, 0.0), (nil, "+1 415 555 0101", 5.0),
    ])
    func contactability(email: String?, phone: String?, points: Double) {
        #expect(scorer.score(scoredLead(email: email, phone: phone)).contactability == points)
    }

    @Test("disqualifiers, each with its rule", arguments: [
        (scoredLead(title: "Marketing Intern"), "student or intern"),
        (scoredLead(email: "p@rival.com"), "competitor domain rival.com"),
        (scoredLead(email: "p@sales.customer.com"), "existing customer customer.com"),
        (scoredLead(company: nil, email: "priya.shah@gmail.com"), "free-mail address and no company"),
        (scoredLead(country: "KP"), "excluded country KP"),
    ])
    func disqualifiers(lead: Lead, rule: String) {
        let card = scorer.score(lead)
        #expect(card.stage == .disqualified)
        #expect(card.disqualifiedBy == rule)
    }

    @Test("stages: dream, prospect, known-but-poor lead, and unknown lead are different")
    func stages() {
        let dream = scorer.score(scoredLead())
        #expect(dream.stage == .dream)
        #expect(dream.fit == 100 && dream.tier == "A")
        let prospect = scorer.score(scoredLead(title: "Marketing Director", email: "p@acme.example", revenue: nil))
        #expect(prospect.stage == .prospect, "\(prospect.fit) \(prospect.reasons)")
        let poor = scorer.score(scoredLead(title: "Software Engineer", email: "p@acme.example", country: "FR", employees: "10", industry: "Retail", revenue: "$1M"))
        #expect(poor.stage == .lead)
        #expect(poor.tier == "D")
        #expect(poor.reasons.contains { $0.text == "known, below the prospect threshold" })
        let unknown = scorer.score(scoredLead(title: nil, company: nil, email: "p@acme.example", country: nil, employees: nil, industry: nil, revenue: nil))
        #expect(unknown.stage == .lead)
        #expect(unknown.missing.contains("title"))
        #expect(unknown.reasons.contains { $0.text.hasPrefix("not enough known to qualify") })
    }

    @Test("engagement is its own score: attendance, minutes, referral, sources")
    func engagement() {
        let lead = scoredLead(extras: [ExtraField(name: "Attended", value: "Yes"), ExtraField(name: "Time in Session (minutes)", value: "64")], referredBy: "Tom Becker")
        let card = scorer.score(lead, now: ISO8601DateFormatter().date(from: "2026-11-22T00:00:00Z")!)
        #expect(card.engagement == 35 + 20 + 25 + 10)
        #expect(card.fit == scorer.score(scoredLead(), now: Date()).fit)  // never mixed into fit
    }

    @Test("company facts roll up from the account")
    func accountRollUp() {
        let lead = scoredLead(employees: nil, industry: nil, revenue: nil)
        let without = scorer.score(lead)
        let with = scorer.score(lead, account: CompanyFacts(employees: "51-200", industry: "Internet", revenue: "20M"))
        #expect(with.fit > without.fit)
        #expect(with.reasons.contains { $0.text == "industry Internet" })
    }

    @Test("number parsing for sizes and revenues", arguments: [
        ("51-200", 125.5), ("1,001-5,000", 3000.5), ("10000+", 10000.0), ("$10M-$50M", 30e6), ("1.5B", 1.5e9), ("250k", 250e3),
    ])
    func numbers(text: String, value: Double) {
        #expect(CompanyFacts.number(text) == value)
    }

    @Test("profile validation names the file, the key and what was expected", arguments: [
        ("persona:\n  seniority: {vp: high}\n", "icp.yml: persona.seniority.vp: expected a number, found \"high\""),
        ("persona:\n  seniority: {vp: 120}\n", "icp.yml: persona.seniority.vp: expected a number from 0 to 100, found 120.0"),
        ("persona:\n  seniority: {boss: 50}\n", "icp.yml: persona.seniority.boss: unknown seniority; expected one of: c-level, director, individual, manager, owner, student, vp"),
        ("firmographic:\n  industries: []\n", "icp.yml: firmographic: unknown key; expected one of: disqualify, firmographics, persona, stages, target_accounts, tiers"),
        ("firmographics:\n  countries: [Germany]\n", "icp.yml: firmographics.countries[0]: expected an ISO 3166 alpha-2 code such as DE, found \"GERMANY\""),
        ("firmographics:\n  employees: {min: 500, max: 50}\n", "icp.yml: firmographics.employees: min (500.0) is above max (50.0)"),
        ("stages: {dream: 40, prospect: 60}\n", "icp.yml: stages: expected dream ≥ prospect"),
        ("disqualify:\n  students: maybe\n", "icp.yml: disqualify.students: expected true or false, found \"maybe\""),
    ])
    func validation(yaml: String, message: String) {
        #expect(throws: ProfileError.self) { try ICPProfile.parse(yaml, file: "icp.yml") }
        do {
            _ = try ICPProfile.parse(yaml, file: "icp.yml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the shipped example profile loads")
    func shippedProfile() throws {
        let profile = try ICPProfile.load(path: Paths.root + "/config/icp.yml")
        #expect(profile.persona.seniority["c-level"] == 100)
        #expect(profile.version.count == 64)
    }

    @Test("fit ranks true prospects above the rest: ROC AUC ≥ 0.95 on a labelled set")
    func auc() {
        // Leads whose true fit follows the profile: a true prospect has authority in a targeted
        // department (title) at a targeted company (country, size, industry, revenue); either half
        // alone is not a prospect. Facts are missing at random (a title 10%, size and industry 25%,
        // revenue 33%), and 20% of the e-mails are free-mail.
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let goodTitles = ["CMO", "VP Marketing", "Head of Demand Gen", "Marketing Director", "Chief Executive Officer"]
        let badTitles = ["Software Engineer", "Marketing Intern", "Accountant", "Sales Assistant", "Support Agent"]
        var scored: [(score: Double, positive: Bool)] = []
        for _ in 0..<400 {
            let goodTitle = next(2) == 0
            let fitsCompany = next(2) == 0
            let positive = goodTitle && fitsCompany
            let title = goodTitle ? goodTitles[next(goodTitles.count)] : badTitles[next(badTitles.count)]
            let lead = scoredLead(
                title: next(10) == 0 ? nil : title, email: next(5) == 0 ? "x\(next(1000))@gmail.com" : "a@firm\(next(100)).com",
                country: fitsCompany ? ["US", "DE", "GB"][next(3)] : ["FR", "BR", "JP"][next(3)],
                employees: next(4) == 0 ? nil : (fitsCompany ? "\(100 + next(2000))" : "\(1 + next(30))"),
                industry: next(4) == 0 ? nil : (fitsCompany ? "Software" : "Retail"),
                revenue: next(3) == 0 ? nil : (fitsCompany ? "$20M" : "$500k"))
            scored.append((Double(scorer.score(lead).fit), positive))
        }
        let positives = scored.filter(\.positive), negatives = scored.filter { !$0.positive }
        var wins = 0.0
        for p in positives {
            for n in negatives { wins += p.score > n.score ? 1 : p.score == n.score ? 0.5 : 0 }
        }
        let auc = wins / Double(positives.count * negatives.count)
        print("ICP fit ROC AUC on the labelled set: \(auc)")
        #expect(auc >= 0.95)
    }
}

@Suite("Scoring in the store")
struct StoreScoringTests {
    let dir = TempDir()

    @Test("imports score what they touch; rescore after a profile change; the source report's arithmetic", arguments: Backend.available)
    func rescoreAndReport(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let profile = try ICPProfile.parse(testProfileYAML, file: "icp.yml")
        let file = dir.write("webinar.csv", """
            First Name,Last Name,Email,Company,Title,Country,Employees,Industry,Revenue
            Priya,Shah,priya@northwind.io,Northwind,VP Marketing,US,200,Software,$20M
            Marc,Dubois,marc@lumiere.fr,Lumière,Marketing Intern,FR,,,
            Kenji,Tanaka,kenji@sakura.jp,Sakura,CTO,JP,10,Retail,
            """)
        let report = try Pipeline(options: ImportOptions(sourceName: "Q3 webinar", sourceKind: .webinar), scorer: Scorer(profile: profile))
            .run(paths: [file], store: store, dryRun: false)
        #expect(report.files[0].stages == ["dream": 1, "disqualified": 1, "lead": 1])
        #expect(try store.scoreCard(leadID: 1)?.stage == .dream)
        // A colleague's record gives the account's facts to a lead without them.
        let colleague = dir.write("colleague.csv", "First Name,Last Name,Email,Title\nAnn,Lee,ann@northwind.io,CMO\n")
        _ = try Pipeline(scorer: Scorer(profile: profile)).run(paths: [colleague], store: store, dryRun: false)
        let ann = try #require(try store.scoreCard(leadID: 4))
        #expect(ann.reasons.contains { $0.text == "industry Software" })
        // Nothing to rescore with the same profile; everything after it changes.
        #expect(try store.rescore(force: false, profileVersion: profile.version) { lead, account in Scorer(profile: profile).score(lead, account: account) } == 0)
        let stricter = try ICPProfile.parse(testProfileYAML.replacingOccurrences(of: "dream: 80", with: "dream: 100"), file: "icp.yml")
        #expect(stricter.version != profile.version)
        let count = try store.rescore(force: false, profileVersion: stricter.version) { lead, account in Scorer(profile: stricter).score(lead, account: account) }
        #expect(count == 4)
        #expect(try store.scoreCard(leadID: 1)?.profileVersion == stricter.version)
        let yield = try #require(try store.sourceYield().first { $0.name == "Q3 webinar" })
        #expect(yield.records == 3 && yield.newLeads == 3 && yield.alreadyKnown == 0)
        #expect(yield.stages["disqualified"] == 1 && yield.leads == 3)
        #expect(yield.sourceKind == "webinar")
    }

    @Test("source definitions: costs load, mistakes are named")
    func sourceDefinitions() throws {
        let good = dir.write("sources.yml", "sources:\n  - name: Q3 webinar\n    kind: webinar\n    cost: 1200\n")
        #expect(try SourceDefinitions.load(path: good) == [SourceDefinition(name: "Q3 webinar", kind: .webinar, owner: nil, cost: 1200)])
        let bad = dir.write("bad.yml", "sources:\n  - name: X\n    kind: radio\n")
        #expect(throws: ProfileError(file: bad, key: "sources[0].kind", message: "expected one of webinar, title-search, purchased-list, referral, partner, event, contacts-export, other")) {
            try SourceDefinitions.load(path: bad)
        }
    }
}
