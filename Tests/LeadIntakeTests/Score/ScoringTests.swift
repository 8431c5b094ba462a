import Foundation
import LeadCore
import LeadImport
import LeadNormalize
import LeadPipeline
import LeadStore
import Testing

@testable import LeadScore

let testProfileYAML = """
    name: Test profile
    define:
      decision_maker: {all: [{seniority: [owner, c-level, vp, director, head]}, {department: [marketing, sales, executive]}]}
      target_industry: {industry: [software, internet-publishing]}
      target_size: {employees: {min: 50, max: 5000}}
      target_country: {company_country: [US, DE, GB]}
      target_firm: {all: [{is: target_industry}, {is: target_size}, {is: target_country}]}
    stages:
      - stage: disqualified
        when: {any: [{seniority: [student]}, {company_domain: [rival.com]}, {free_mail_without_company: true}]}
      - stage: dream
        when: {all: [{is: decision_maker}, {is: target_firm}]}
      - stage: prospect
        when:
          any:
            - all: [{is: decision_maker}, {at_least: 2, of: [{is: target_industry}, {is: target_size}, {is: target_country}]}]
            - all: [{seniority: [manager]}, {department: [marketing, sales]}, {is: target_firm}]
      - stage: lead
        when: otherwise
    tiers: {A: 80, B: 55, C: 25}
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

    @Test("stages by rule: the first stage whose rule is true wins, each in its fit band")
    func stages() {
        let dream = scorer.score(scoredLead())
        #expect(dream.stage == .dream)
        #expect(Stage.dream.band.contains(dream.fit))
        // A decision maker meeting two of the three firmographics: prospect.
        let prospect = scorer.score(scoredLead(employees: "20000"))
        #expect(prospect.stage == .prospect)
        #expect(Stage.prospect.band.contains(prospect.fit))
        // A manager at a target firm: prospect by the second branch.
        #expect(scorer.score(scoredLead(title: "Marketing Manager")).stage == .prospect)
        // An individual contributor at a target firm: a lead.
        let lead = scorer.score(scoredLead(title: "Software Engineer"))
        #expect(lead.stage == .lead)
        #expect(Stage.lead.band.contains(lead.fit))
        // Disqualifiers, each named.
        let student = scorer.score(scoredLead(title: "Marketing Student"))
        #expect(student.stage == .disqualified)
        #expect(Stage.disqualified.band.contains(student.fit))
        #expect(scorer.score(scoredLead(email: "ann@rival.com")).stage == .disqualified)
        #expect(scorer.score(scoredLead(company: nil, email: "ann@gmail.com", employees: nil, industry: nil, revenue: nil)).stage == .disqualified)
        // Within the lead band, more of the better rule holding ranks higher.
        let nearMiss = scorer.score(scoredLead(title: "Software Engineer", employees: "20000"))
        #expect(nearMiss.stage == .lead && nearMiss.fit <= lead.fit)
    }

    @Test("unknown is not false: a missing industry keeps a decision maker from dream, but not every stage")
    func threeValued() {
        let card = scorer.score(scoredLead(industry: nil))
        // Industry unknown: dream's rule is unknown (not true), prospect's at_least 2 holds with size and country.
        #expect(card.stage == .prospect)
        #expect(card.missing.contains { $0.contains("industry") })
        // Nothing known about the company: the at_least is unknown, the stage falls to lead.
        let bare = scorer.score(scoredLead(company: "Acme", email: "ann@acme.example", country: nil, employees: nil, industry: nil, revenue: nil))
        #expect(bare.stage == .lead)
    }

    @Test("Kleene logic of the combinators")
    func kleene() {
        let t = Truth.yes, f = Truth.no, u = Truth.unknown
        #expect(Truth.all([t, u]) == u && Truth.all([f, u]) == f && Truth.all([t, t]) == t)
        #expect(Truth.any([f, u]) == u && Truth.any([t, u]) == t && Truth.any([f, f]) == f)
        #expect(u.negated == u && t.negated == f)
        #expect(Truth.atLeast(2, [t, u, f]) == u && Truth.atLeast(2, [t, t, u]) == t && Truth.atLeast(2, [t, f, f]) == f)
    }

    @Test("the stage's rule trace says why, atom by atom")
    func trace() throws {
        let card = scorer.score(scoredLead(employees: "20000"))
        let rules = try #require(card.rules)
        #expect(rules.map(\.stage) == [.disqualified, .dream, .prospect])
        let text = rules[1].trace.lines().joined(separator: "\n")
        #expect(text.contains("✗ employees 50-5000"))
        #expect(text.contains("✓ seniority in"))
        #expect(card.topReasons.hasPrefix("prospect:"))
    }

    @Test("head-of titles have their own seniority, in several languages", arguments: [
        ("Head of Marketing", "head", "marketing"), ("Leiterin Marketing", "head", "marketing"), ("Responsable marketing", "head", "marketing"),
        ("Jefe de Ventas", "head", "sales"), ("VP Sales", "vp", "sales"), ("Marketing Manager", "manager", "marketing"),
        ("Fondateur", "owner", "executive"), ("Co-Founder", "owner", "executive"), ("Founder, Head of Growth", "owner", "marketing"),
    ])
    func headSeniority(title: String, seniority: String, department: String) throws {
        let result = try #require(TitleClassifier.classify(title))
        #expect(result.seniority.rawValue == seniority)
        #expect(result.department == department)
    }

    @Test("industry labels from every source family map to one LinkedIn V2 industry", arguments: [
        "Computer Software", "computer software", "COMPUTER_SOFTWARE", "Software Development", "SaaS",
        "Software & Internet > Software Development", "Software Publishers", "511210", "Enterprise Software",
    ])
    func industryFamilies(label: String) throws {
        let industry = try #require(Industries.canonical(label), "\(label)")
        let software = try #require(Industries.ids(forProfileValue: "software"))
        #expect(software.contains { Industries.isWithin(industry.id, $0) }, "\(label) → \(industry.name)")
    }

    @Test("labels outside the profile's industries are not within them", arguments: ["Hospital & Health Care", "Retail", "Banking", "Construction"])
    func otherIndustries(label: String) throws {
        let industry = try #require(Industries.canonical(label), "\(label)")
        let software = try #require(Industries.ids(forProfileValue: "software"))
        #expect(!software.contains { Industries.isWithin(industry.id, $0) })
        #expect(Industries.canonical("Underwater basket weaving") == nil)
    }

    @Test("the company's country: its own column, then the domain's ccTLD, then a legal form, then the person's")
    func companyCountry() {
        // A German company's US-based rep: the person is in the US, the company in Germany.
        var lead = scoredLead(company: "Bauwerk GmbH & Co. KG", email: "ann@bauwerk.com", country: "US")
        #expect(CompanyCountry.resolve(lead: lead, facts: CompanyFacts(lead: lead))?.code == "DE")
        lead = scoredLead(company: "Bauwerk", email: "ann@bauwerk.de", country: "US")
        #expect(CompanyCountry.resolve(lead: lead, facts: CompanyFacts(lead: lead))?.code == "DE")
        lead = scoredLead(company: "Bauwerk", email: "ann@bauwerk.io", country: "US")
        #expect(CompanyCountry.resolve(lead: lead, facts: CompanyFacts(lead: lead))?.code == "US")
        lead = scoredLead(company: "Bauwerk", email: "ann@bauwerk.co.uk", country: "US")
        #expect(CompanyCountry.resolve(lead: lead, facts: CompanyFacts(lead: lead))?.code == "GB")
        // A column beats everything.
        lead = scoredLead(company: "Bauwerk GmbH", email: "ann@bauwerk.de", country: "US", extras: [ExtraField(name: "Company HQ Country", value: "France")])
        let facts = CompanyFacts(lead: lead)
        #expect(CompanyCountry.resolve(lead: lead, facts: facts)?.code == "FR")
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
        let with = scorer.score(lead, account: CompanyFacts(employees: "51-200", industry: "Computer Software", revenue: "20M"))
        #expect(without.stage == .lead)
        #expect(with.stage == .dream)
    }

    @Test("number parsing for sizes and revenues", arguments: [
        ("51-200", 125.5), ("1,001-5,000", 3000.5), ("10000+", 10000.0), ("$10M-$50M", 30e6), ("1.5B", 1.5e9), ("250k", 250e3),
    ])
    func numbers(text: String, value: Double) {
        #expect(CompanyFacts.number(text) == value)
    }

    @Test("profile mistakes name the file, the line, the key and what was expected", arguments: [
        ("stages:\n  - stage: dream\n    when: {seniority: [boss]}\n", "icp.yml:3:", "boss"),
        ("stages:\n  - stage: dream\n    when: {shoe_size: [9]}\n", "icp.yml:3:", "shoe_size"),
        ("stages:\n  - stage: dream\n    when: {company_country: [Germany]}\n", "icp.yml:3:", "ISO"),
        ("stages:\n  - stage: dream\n    when: {industry: [basket-weaving]}\n", "icp.yml:3:", "basket-weaving"),
        ("stages:\n  - stage: dream\n    when: {is: nowhere}\n", "icp.yml:3:", "nowhere"),
        ("define:\n  a: {is: b}\n  b: {seniority: [vp]}\nstages:\n  - stage: dream\n    when: {is: a}\n", "icp.yml:2:", "b"),
        ("define:\n  a: {is: a}\nstages:\n  - stage: dream\n    when: {is: a}\n", "icp.yml:2:", "a"),
        ("stages:\n  - stage: dream\n    when: {at_least: 3, of: [{seniority: [vp]}]}\n", "icp.yml:3:", "at_least"),
        ("stages:\n  - stage: dream\n    when: {employees: {min: 500, max: 50}}\n", "icp.yml:3:", "min"),
        ("stages:\n  - stage: champion\n    when: otherwise\n", "icp.yml:2:", "champion"),
        ("persona:\n  seniority: {vp: 90}\n", "icp.yml:1:", "leadintake profile convert"),
    ])
    func validation(yaml: String, location: String, mentions: String) {
        do {
            _ = try ICPProfile.parse(yaml, file: "icp.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.hasPrefix(location), "\(error.description)")
            #expect(error.description.contains(mentions), "\(error.description)")
        }
    }

    @Test("a points-format profile converts to rules that load and rank as the points meant")
    func convertLegacy() throws {
        let legacy = """
            persona:
              seniority: {owner: 90, c-level: 100, vp: 90, director: 70, manager: 40, individual: 10, student: 0}
              departments: {marketing: 100, sales: 60, executive: 80}
            firmographics:
              industries: ["Computer Software", "Internet"]
              employees: {min: 50, max: 5000}
              countries: [US, DE, GB]
            disqualify:
              students: true
              competitor_domains: [rival.com]
              free_mail_without_company: true
            stages: {dream: 80, prospect: 55}
            """
        let converted = try LegacyProfile.convert(legacy, file: "old.yml")
        let profile = try ICPProfile.parse(converted, file: "converted.yml")
        let scorer = Scorer(profile: profile)
        #expect(scorer.score(scoredLead()).stage == .dream)
        #expect(scorer.score(scoredLead(title: "Marketing Student")).stage == .disqualified)
        #expect(scorer.score(scoredLead(email: "ann@rival.com")).stage == .disqualified)
        #expect(scorer.score(scoredLead(title: "Software Engineer")).stage == .lead)
    }

    @Test("the shipped example profile loads")
    func shippedProfile() throws {
        let profile = try ICPProfile.load(path: Paths.root + "/config/icp.yml")
        #expect(profile.stages.map(\.stage) == [.disqualified, .dream, .prospect, .lead])
        #expect(profile.version.count == 64)
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
        // Industry and size come from Priya's record; the account's country is not known (a .io domain,
        // no column), so Ann meets two of three firmographics: prospect, not dream.
        #expect(ann.stage == .prospect)
        #expect(ann.missing.contains { $0.contains("country") })
        // Nothing to rescore with the same profile; everything after it changes.
        #expect(try store.rescore(force: false, profileVersion: profile.version) { lead, account in Scorer(profile: profile).score(lead, account: account) } == 0)
        let stricter = try ICPProfile.parse(testProfileYAML.replacingOccurrences(of: "max: 5000", with: "max: 100"), file: "icp.yml")
        #expect(stricter.version != profile.version)
        let count = try store.rescore(force: false, profileVersion: stricter.version) { lead, account in Scorer(profile: stricter).score(lead, account: account) }
        #expect(count == 4)
        #expect(try store.scoreCard(leadID: 1)?.profileVersion == stricter.version)
        let yield = try #require(try store.sourceYield().first { $0.name == "Q3 webinar" })
        #expect(yield.records == 3 && yield.newLeads == 3 && yield.alreadyKnown == 0)
        #expect(yield.stages["disqualified"] == 1 && yield.leads == 3)
        #expect(yield.sourceKind == "webinar")
    }

    @Test("an industry label the table cannot place is reported once per file, at its first record")
    func unplacedIndustry() throws {
        let store = try Backend.sqlite.open(try Backend.sqlite.makeURL(in: dir.path))
        let file = dir.write("industries.csv", """
            First Name,Last Name,Email,Company,Title,Industry
            Priya,Shah,priya@northwind.io,Northwind,VP Marketing,Computer Software
            Marc,Dubois,marc@lumiere.fr,Lumière,CMO,Underwater Basket Weaving
            Kenji,Tanaka,kenji@sakura.jp,Sakura,CTO,underwater basket weaving
            Ann,Lee,ann@acme.example,Acme,CEO,Quantum Gardening
            """)
        let report = try Pipeline(scorer: Scorer(profile: try ICPProfile.parse(testProfileYAML, file: "icp.yml")))
            .run(paths: [file], store: store, dryRun: false)
        let unknown = report.files[0].notes.filter { $0.code == "industry.unknown" }
        #expect(unknown.map(\.location.line) == [3, 5])
        #expect(unknown.first?.location.field == "Industry")
        #expect(unknown.first?.message.contains("Underwater Basket Weaving") == true)
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
