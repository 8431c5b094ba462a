// ICP accuracy (`match-accuracy icp PROFILE [PEOPLE]`): people with known true attributes (seniority,
// department, the company's industry, size and headquarters country) are written as a sales-tool
// export would show them: titles in several languages and forms ("Head of", "Leiter", "VP,"), the
// industry in one of the label families real sources use (LinkedIn V2 and V1 names, Apollo's lower
// case, HubSpot's enums, ZoomInfo-style hierarchies, NAICS codes) or missing, sizes as LinkedIn ranges,
// exact counts or missing, the company's country in its own column, only in a ccTLD or a legal form,
// or nowhere, and a person's country that is often not the company's. The true stage comes from
// rules on the TRUE attributes written here in Swift (never from values the product parsed, never
// from the profile under test); the file goes through the real pipeline and the store's score cards
// are compared with it: ROC AUC of fit_score (dream+prospect vs the rest) and stage accuracy.
import Foundation
import LeadCore
import LeadPipeline
import LeadScore
import LeadStore

struct ICPPerson {
    var seniority: String, department: String
    var industry: String?, employees: Int, country: String
    var freeMailOnly: Bool, competitor: Bool
}

enum TrueStage: String, CaseIterable { case disqualified, dream, prospect, lead }

/// The team's ICP on true attributes (the same intent as config/icp.yml, written independently).
func trueStage(_ p: ICPPerson) -> TrueStage {
    if p.seniority == "student" || p.competitor || p.freeMailOnly { return .disqualified }
    let decisionMaker = ["owner", "c-level", "vp", "director", "head"].contains(p.seniority) && ["marketing", "sales", "executive"].contains(p.department)
    let industry = ["software", "marketing-services", "it-services"].contains(p.industry ?? "")
    let size = (50...5000).contains(p.employees)
    let country = ["US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "NL"].contains(p.country)
    let met = [industry, size, country].filter { $0 }.count
    if decisionMaker && met == 3 { return .dream }
    if decisionMaker && met >= 2 { return .prospect }
    if p.seniority == "manager" && ["marketing", "sales"].contains(p.department) && met == 3 { return .prospect }
    return .lead
}

/// Titles by true seniority and department, as lists write them (several languages).
let icpTitles: [String: [String: [String]]] = [
    "owner": ["executive": ["Founder", "Co-Founder", "Founder & CEO", "Owner", "Inhaber", "Fondateur", "Co-founder and Managing Partner"]],
    "c-level": [
        "executive": ["CEO", "Chief Executive Officer", "Geschäftsführer", "Managing Director", "Président-directeur général", "President & CEO"],
        "marketing": ["CMO", "Chief Marketing Officer", "Chief Growth Officer"],
        "sales": ["CRO", "Chief Revenue Officer", "Chief Sales Officer", "Chief Commercial Officer"],
        "engineering": ["CTO", "Chief Technology Officer"], "finance": ["CFO", "Chief Financial Officer"], "hr": ["CHRO", "Chief People Officer"],
    ],
    "vp": [
        "marketing": ["VP Marketing", "Vice President, Marketing", "SVP Marketing", "VP of Demand Generation", "VP, Growth Marketing"],
        "sales": ["VP Sales", "Vice President of Sales", "SVP, Global Sales", "VP Business Development", "EVP Sales"],
        "engineering": ["VP Engineering", "Vice President, Engineering"], "finance": ["VP Finance"], "operations": ["VP Operations"],
    ],
    "director": [
        "marketing": ["Director of Marketing", "Marketing Director", "Directeur Marketing", "Directora de Marketing", "Senior Director, Product Marketing"],
        "sales": ["Sales Director", "Director of Sales", "Directeur commercial", "Director de Ventas", "Regional Sales Director"],
        "engineering": ["Director of Engineering", "Engineering Director"], "finance": ["Finance Director"], "hr": ["HR Director"],
    ],
    "head": [
        "marketing": ["Head of Marketing", "Head of Demand Gen", "Leiter Marketing", "Leiterin Marketing", "Responsable marketing", "Head of Growth"],
        "sales": ["Head of Sales", "Leiter Vertrieb", "Responsable commercial", "Jefe de Ventas", "Head of Business Development"],
        "engineering": ["Head of Engineering", "Leiter Entwicklung"], "hr": ["Head of People", "Responsable des ressources humaines"],
        "product": ["Head of Product"],
    ],
    "manager": [
        "marketing": ["Marketing Manager", "Senior Marketing Manager", "Content Marketing Manager", "Gerente de Marketing", "Campaign Manager"],
        "sales": ["Sales Manager", "Regional Sales Manager", "Key Account Manager", "Teamleiter Vertrieb", "Inside Sales Manager"],
        "engineering": ["Engineering Manager"], "operations": ["Operations Manager"], "finance": ["Finance Manager"], "hr": ["HR Manager"],
    ],
    "individual": [
        "marketing": ["Marketing Specialist", "Content Marketer", "SEO Specialist", "Marketing Coordinator Assistant", "Brand Specialist"],
        "sales": ["Account Executive", "Sales Representative", "Business Development Representative", "Sales Development Representative"],
        "engineering": ["Software Engineer", "Senior Developer", "Data Engineer"], "finance": ["Accountant", "Financial Analyst"],
        "operations": ["Logistics Specialist"], "product": ["UX Designer"],
    ],
    "student": ["marketing": ["Marketing Intern", "Werkstudent Marketing", "Stagiaire marketing"], "sales": ["Sales Intern", "Praktikant Vertrieb"],
                "engineering": ["Engineering Intern", "Working Student Software"]],
]

/// Industry labels by true industry, one per source family: V2, V1, Apollo, HubSpot, ZoomInfo-style, NAICS.
let icpIndustryLabels: [String: [String]] = [
    "software": ["Software Development", "Computer Software", "computer software", "COMPUTER_SOFTWARE", "Software & Internet > Software Development", "511210", "SaaS"],
    "marketing-services": ["Advertising Services", "Marketing and Advertising", "marketing & advertising", "MARKETING_AND_ADVERTISING", "Business Services > Advertising & Marketing", "541810"],
    "it-services": ["IT Services and IT Consulting", "Information Technology and Services", "information technology & services", "INFORMATION_TECHNOLOGY_AND_SERVICES", "Software & Internet > IT Services", "541512"],
    "financial-services": ["Financial Services", "Financial Services", "financial services", "FINANCIAL_SERVICES", "Finance > Financial Services", "523"],
    "manufacturing": ["Machinery Manufacturing", "Machinery", "machinery", "MACHINERY", "Manufacturing > Industrial Machinery & Equipment", "333"],
    "higher-education": ["Higher Education", "Higher Education", "higher education", "HIGHER_EDUCATION", "Education > Colleges & Universities", "611310"],
    "retail": ["Retail", "Retail", "retail", "RETAIL", "Retail > Department Stores", "44"],
    "healthcare": ["Hospitals and Health Care", "Hospital & Health Care", "hospital & health care", "HOSPITAL_HEALTH_CARE", "Hospitals & Physicians Clinics > Hospitals", "622"],
]

let icpCountries: [(code: String, name: String, tld: String?, legalForm: String?)] = [
    ("US", "United States", nil, "Inc."), ("GB", "United Kingdom", "co.uk", "Ltd"), ("DE", "Germany", "de", "GmbH & Co. KG"),
    ("CA", "Canada", "ca", nil), ("FR", "France", "fr", "SAS"), ("NL", "Netherlands", "nl", "B.V."), ("IE", "Ireland", "ie", nil),
    ("ES", "Spain", "es", "S.L."), ("IT", "Italy", "it", "S.p.A."), ("JP", "Japan", "jp", "K.K."), ("BR", "Brazil", "com.br", "Ltda."),
    ("IN", "India", "in", "Pvt. Ltd."), ("PL", "Poland", "pl", "Sp. z o.o."), ("AU", "Australia", "com.au", "Pty Ltd"), ("SG", "Singapore", "sg", "Pte. Ltd."),
]

func runICPAccuracy(profilePath: String, persons: Int) throws {
    let profile = try ICPProfile.load(path: profilePath)
    var r = Random(state: 20261203)
    let seniorityWeights: [(String, Int)] = [("owner", 5), ("c-level", 9), ("vp", 10), ("director", 13), ("head", 11), ("manager", 20), ("individual", 26), ("student", 6)]
    let total = seniorityWeights.map(\.1).reduce(0, +)
    let industries = Array(icpIndustryLabels.keys).sorted()
    let sizes = [3, 8, 25, 45, 60, 120, 180, 350, 700, 1500, 3000, 4800, 6500, 12000, 40000]
    let header = "First Name,Last Name,Email,Company,Title,Country,Industry,Employees,Company HQ Country"
    var lines = [header], people: [ICPPerson] = []
    let syllables = ["ber", "kow", "al", "son", "man", "ski", "lin", "dor", "ver", "ga", "ro", "ni", "ta", "mel", "har", "qui"]
    for index in 0..<persons {
        var roll = r.int(total), seniority = "individual"
        for (name, weight) in seniorityWeights { if roll < weight { seniority = name; break }; roll -= weight }
        let byDepartment = icpTitles[seniority]!
        let department = r.pick(byDepartment.keys.sorted())
        let title = r.pick(byDepartment[department]!)
        let industry = r.pick(industries)
        let employees = r.pick(sizes)
        let country = r.chance(0.6) ? r.pick(Array(icpCountries.prefix(7))) : r.pick(icpCountries)
        let competitor = r.chance(0.01)
        let freeMailOnly = r.chance(0.06)
        let base = (0..<3).map { _ in r.pick(syllables) }.joined()
        let company = base.prefix(1).uppercased() + base.dropFirst() + (country.legalForm.map { r.chance(0.5) ? " " + $0 : "" } ?? "")
        // The company's domain: a ccTLD for half the non-US companies, else .com or a vanity .io.
        let tld = country.tld.map { r.chance(0.5) ? $0 : (r.chance(0.7) ? "com" : "io") } ?? (r.chance(0.8) ? "com" : "io")
        let domain = competitor ? "rival-intake.com" : "\(base)\(index).\(tld)"
        let given = "P\(index)", family = base.capitalized
        let email = freeMailOnly ? "\(base).\(index)@gmail.com" : "p\(index)@\(domain)"
        // What the list shows: facts are missing or only in the list's own forms.
        let shownIndustry = r.chance(0.12) ? "" : r.pick(icpIndustryLabels[industry]!)
        let ranges = [(1, 10), (11, 50), (51, 200), (201, 500), (501, 1000), (1001, 5000), (5001, 10000)]
        let shownSize: String
        if r.chance(0.15) {
            shownSize = ""
        } else if r.chance(0.3) {
            shownSize = String(employees)
        } else if let range = ranges.first(where: { employees >= $0.0 && employees <= $0.1 }) {
            shownSize = "\(range.0.formatted(.number.grouping(.automatic)))-\(range.1.formatted(.number.grouping(.automatic)))".replacingOccurrences(of: "\u{202F}", with: ",")
        } else {
            shownSize = "10,001+"
        }
        let shownHQ = r.chance(0.35) ? (r.chance(0.5) ? country.name : country.code) : ""
        // A rep often lives elsewhere than the company's headquarters.
        let personCountry = r.chance(0.7) ? country.code : r.pick(icpCountries).code
        let shownPersonCountry = r.chance(0.8) ? personCountry : ""
        let person = ICPPerson(seniority: seniority, department: department, industry: freeMailOnly ? nil : industry, employees: employees,
                               country: country.code, freeMailOnly: freeMailOnly, competitor: competitor)
        people.append(person)
        let row = [given, family, email, freeMailOnly ? "" : company, title, shownPersonCountry,
                   freeMailOnly ? "" : shownIndustry, freeMailOnly ? "" : shownSize, freeMailOnly ? "" : shownHQ]
        lines.append(row.map(csvField).joined(separator: ","))
    }
    let dir = NSTemporaryDirectory() + "leadintake-icp-accuracy-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let csv = dir + "/icp-leads.csv"
    try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
    let store = try SQLiteStore(path: dir + "/leads.sqlite")
    let report = try Pipeline(scorer: Scorer(profile: profile)).run(paths: [csv], store: store, dryRun: false)
    var leadOf = [Int64](repeating: -1, count: persons)
    try store.forEachProvenance { row in leadOf[row.record - 1] = row.leadID }

    var confusion: [TrueStage: [String: Int]] = [:]
    var scored: [(fit: Int, positive: Bool)] = []
    var correct = 0
    for (index, person) in people.enumerated() {
        let truth = trueStage(person)
        guard leadOf[index] >= 0, let card = try store.scoreCard(leadID: leadOf[index]) else { continue }
        confusion[truth, default: [:]][card.stage.rawValue, default: 0] += 1
        if card.stage.rawValue == truth.rawValue { correct += 1 } else if ProcessInfo.processInfo.environment["SHOW_ERRORS"] != nil {
            print("true \(truth.rawValue), got \(card.stage.rawValue): \(lines[index + 1]) | \(person) | unknown: \(card.missing.joined(separator: "; "))")
        }
        scored.append((card.fit, truth == .dream || truth == .prospect))
    }
    // ROC AUC by ranks (ties count half): the chance that a true dream/prospect outranks a true lead.
    let positives = scored.filter(\.positive).map(\.fit), negatives = scored.filter { !$0.positive }.map(\.fit).sorted()
    var wins = 0.0
    for p in positives {
        var lo = 0, hi = negatives.count
        while lo < hi { let mid = (lo + hi) / 2; if negatives[mid] < p { lo = mid + 1 } else { hi = mid } }
        var eq = lo
        while eq < negatives.count && negatives[eq] == p { eq += 1 }
        wins += Double(lo) + Double(eq - lo) / 2
    }
    let auc = positives.isEmpty || negatives.isEmpty ? 0 : wins / Double(positives.count * negatives.count)
    print("ICP accuracy: \(persons) people, profile \(profilePath), \(report.recordsRead) records read, \(scored.count) scored")
    print("true stages: " + TrueStage.allCases.map { "\($0.rawValue) \(confusion[$0]?.values.reduce(0, +) ?? 0)" }.joined(separator: ", "))
    for truth in TrueStage.allCases {
        let row = confusion[truth] ?? [:]
        print("  true \(truth.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) → " + TrueStage.allCases.map { "\($0.rawValue) \(row[$0.rawValue] ?? 0)" }.joined(separator: ", "))
    }
    print(String(format: "ROC AUC (dream+prospect vs the rest) %.4f  stage accuracy %.4f", auc, Double(correct) / Double(max(1, scored.count))))
}
