public import LeadCore
import Foundation
import LeadNormalize

/// One reason behind a score, so a person can read why.
public struct ScoreReason: Codable, Sendable, Hashable {
    /// rule (a fact that made the stage's rule hold), unknown (a fact the rule could not see), engagement
    public var part: String
    public var points: Double
    public var text: String
}

/// Qualification stage of a lead, best first.
public enum Stage: String, Codable, Sendable, CaseIterable {
    case dream, prospect, lead, disqualified

    /// The fit band of the stage: every dream above every prospect above every lead above every disqualified.
    public var band: ClosedRange<Int> {
        switch self {
        case .dream: 80...100
        case .prospect: 55...79
        case .lead: 25...54
        case .disqualified: 0...24
        }
    }
    var rank: Int { Stage.allCases.firstIndex(of: self)! }
}

/// One stage rule evaluated for a lead: the tree `explain` prints.
public struct StageTrace: Codable, Sendable, Hashable {
    public var stage: Stage
    /// Line of the rule in the profile file.
    public var line: Int
    public var trace: RuleTrace
}

/// The score of a lead against a profile: stage by rule, fit (0-100) within the stage's band, tier,
/// engagement apart.
public struct ScoreCard: Codable, Sendable, Hashable {
    public var fit: Int
    /// A-D from the fit.
    public var tier: String
    public var stage: Stage
    /// The facts that made the disqualifying rule hold, when one did.
    public var disqualifiedBy: String?
    /// Facts the rules could not see (a lead with missing facts is "lead", not a poor fit).
    public var missing: [String]
    public var reasons: [ScoreReason]
    /// Engagement (0-100), never mixed into fit.
    public var engagement: Int
    public var engagementReasons: [ScoreReason]
    /// SHA-256 of the profile that made this card.
    public var profileVersion: String
    /// The stage rules tried, top to bottom, up to the one that held.
    public var rules: [StageTrace]?

    /// The strongest reasons, for exports: "dream: seniority vp; industry software-development; ...".
    public var topReasons: String {
        let texts = reasons.filter { $0.part == "rule" }.prefix(5).map(\.text)
        if texts.isEmpty, !missing.isEmpty {  // a lead by `otherwise`: say what would decide it
            return "\(stage.rawValue): not known: " + missing.prefix(5).joined(separator: "; ")
        }
        return "\(stage.rawValue)" + (texts.isEmpty ? "" : ": " + texts.joined(separator: "; "))
    }
}

/// Company facts (from sales-tool exports) for a lead or rolled up to its account.
public struct CompanyFacts: Codable, Sendable, Hashable {
    public var employees: String?
    public var industry: String?
    public var revenue: String?
    /// The headquarters country the list gives (ISO alpha-2), and the column it came from.
    public var country: String?
    public var countrySource: String?
    public init(employees: String? = nil, industry: String? = nil, revenue: String? = nil, country: String? = nil, countrySource: String? = nil) {
        self.employees = employees
        self.industry = industry
        self.revenue = revenue
        self.country = country
        self.countrySource = countrySource
    }
    public var isEmpty: Bool { employees == nil && industry == nil && revenue == nil && country == nil }

    /// Facts of a lead (normalized keys in `derived`).
    public init(lead: Lead) {
        employees = lead.derived["company.employees"]
        industry = lead.derived["company.industry"]
        revenue = lead.derived["company.revenue"]
        country = lead.derived["company.country"]
        countrySource = lead.derived["company.country.source"]
    }

    /// Fills what this value lacks from `other`.
    public func filled(from other: CompanyFacts?) -> CompanyFacts {
        let country = country ?? other?.country
        return CompanyFacts(
            employees: employees ?? other?.employees, industry: industry ?? other?.industry, revenue: revenue ?? other?.revenue,
            country: country, countrySource: self.country != nil ? countrySource : other?.countrySource)
    }

    /// "51-200" → 125, "1,001-5,000" → 3000, "10000+" → 10000, "120" → 120.
    public static func number(_ text: String) -> Double? {
        // Words such as "employees" or "USD" go first; "k", "m", "b" suffixes stay.
        let words = text.lowercased().split(separator: " ").filter { !($0.count > 2 && $0.allSatisfy(\.isLetter)) }
        var cleaned = ""
        for word in words { cleaned += word }
        for symbol in [",", "$", "€", "+"] { cleaned = cleaned.replacingOccurrences(of: symbol, with: "") }
        func value(_ part: Substring) -> Double? {
            var digits = String(part)
            var multiplier = 1.0
            let suffixes: [(String, Double)] = [("bn", 1e9), ("mm", 1e6), ("k", 1e3), ("m", 1e6), ("b", 1e9)]
            for (suffix, factor) in suffixes where digits.hasSuffix(suffix) {
                digits.removeLast(suffix.count)
                multiplier = factor
                break
            }
            return Double(digits).map { $0 * multiplier }
        }
        let parts = cleaned.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == "—" }).filter { !$0.isEmpty }
        let values = parts.compactMap(value)
        guard !values.isEmpty, values.count == parts.count else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }
}

/// Scores leads against an ``ICPProfile``. Pure: the same lead, facts and profile give the same card.
public struct Scorer: Sendable {
    public var profile: ICPProfile

    public init(profile: ICPProfile) { self.profile = profile }

    public func score(_ lead: Lead, account: CompanyFacts? = nil, now: Date = Date()) -> ScoreCard {
        let (engagement, engagementReasons) = Self.engagement(lead, now: now)
        let facts = RuleFacts(lead: lead, facts: CompanyFacts(lead: lead).filled(from: account), engagement: engagement)

        // Every rule is evaluated (cheap), so a lead's place within its stage can look at the stages above it.
        let traces = profile.stages.map { StageTrace(stage: $0.stage, line: $0.line, trace: $0.condition.evaluate(facts)) }
        let winner = traces.firstIndex { $0.trace.value == .yes }
        let stage = winner.map { traces[$0].stage } ?? .lead

        // Within the band: how much of the best stage's rule is known to hold. A stage's own rule counts
        // with the better stages' rules (a prospect that nearly is a dream ranks first among prospects);
        // `otherwise` and a disqualifying rule say nothing about fit, so only the better stages count.
        func degree(of indices: [Int]) -> Double? { indices.map { traces[$0].trace.degree }.max() }
        let better = traces.indices.filter {
            traces[$0].stage.rank < stage.rank && traces[$0].stage != .disqualified && profile.stages[$0].condition != .otherwise
        }
        let positive = traces.indices.filter { traces[$0].stage != .disqualified && profile.stages[$0].condition != .otherwise }
        var within: Double
        switch stage {
        case .disqualified: within = degree(of: positive) ?? 0
        default:
            let own = winner.flatMap { profile.stages[$0].condition == .otherwise ? nil : traces[$0].trace.degree }
            switch (own, degree(of: better)) {
            case let (own?, above?): within = (own + above) / 2
            case let (own?, nil): within = own
            case let (nil, above?): within = above
            case (nil, nil): within = 0
            }
        }
        within = min(1, max(0, within))
        let band = stage.band
        let fit = band.lowerBound + Int((Double(band.upperBound - band.lowerBound) * within).rounded())
        let value = Double(fit)
        let tier = value >= (profile.tiers["A"] ?? 80) ? "A" : value >= (profile.tiers["B"] ?? 55) ? "B" : value >= (profile.tiers["C"] ?? 25) ? "C" : "D"

        let tried = Array(traces.prefix((winner ?? traces.count - 1) + 1))
        var reasons: [ScoreReason] = []
        if let winner {
            for atom in traces[winner].trace.trueAtoms { reasons.append(ScoreReason(part: "rule", points: 0, text: atom.label + ": " + (atom.fact ?? ""))) }
        }
        var missing: [String] = []
        for trace in tried {
            for atom in trace.trace.unknownAtoms where !missing.contains(atom.fact ?? "") { missing.append(atom.fact ?? "") }
        }
        for fact in missing { reasons.append(ScoreReason(part: "unknown", points: 0, text: fact)) }
        let disqualifiedBy = stage == .disqualified
            ? winner.map { traces[$0].trace.trueAtoms.map { $0.label + ": " + ($0.fact ?? "") }.joined(separator: "; ") } : nil
        return ScoreCard(
            fit: fit, tier: tier, stage: stage, disqualifiedBy: disqualifiedBy, missing: missing, reasons: reasons,
            engagement: engagement, engagementReasons: engagementReasons, profileVersion: profile.version, rules: tried)
    }

    /// Engagement, kept apart from fit: attendance, time in session, referral, sources, recency.
    static func engagement(_ lead: Lead, now: Date) -> (Int, [ScoreReason]) {
        var points = 0.0
        var reasons: [ScoreReason] = []
        func add(_ value: Double, _ text: String) {
            points += value
            reasons.append(ScoreReason(part: "engagement", points: value, text: text))
        }
        switch lead.derived["engagement.attended"] {
        case "yes": add(35, "attended a webinar or event")
        case "no": add(10, "registered, did not attend")
        default: break
        }
        if let minutes = lead.derived["engagement.minutes"].flatMap(Double.init) {
            if minutes >= 60 { add(20, "\(Int(minutes)) minutes in session") } else if minutes >= 30 { add(10, "\(Int(minutes)) minutes in session") }
        }
        if lead.referredBy != nil || lead.sources.contains(where: { $0.kind == .referral || $0.kind == .partner }) {
            add(25, "referred" + (lead.referredBy.map { " by \($0)" } ?? " by a partner"))
        }
        let sources = Set(lead.sources.map(\.name)).count
        if sources > 1 { add(Double(min(20, (sources - 1) * 10)), "seen in \(sources) sources") }
        if let seen = lead.derived["last.seen"], let date = try? Date(seen, strategy: .iso8601) {
            let days = now.timeIntervalSince(date) / 86_400
            if days <= 30 { add(10, "seen in the last 30 days") } else if days <= 90 { add(5, "seen in the last 90 days") }
        }
        return (Int(min(100, points)), reasons)
    }
}

/// Facts importers leave on records (attributes, or columns kept as extras) folded into a lead.
public enum LeadFacts {
    static let employeeKeys: Set<String> = ["companyemployees", "employees", "numberofemployees", "companysize", "employeecount", "headcount", "size", "estimatednumemployees"]
    static let industryKeys: Set<String> = ["companyindustry", "industry", "sector"]
    static let revenueKeys: Set<String> = ["companyrevenue", "revenue", "annualrevenue", "revenuerange"]
    /// The company's headquarters country, as sales tools name the column (not the person's country).
    static let companyCountryKeys: Set<String> = [
        "companycountry", "companycountryregion", "companyhqcountry", "companyheadquarterscountry", "companyhq",
        "companyheadquarters", "hqcountry", "headquarterscountry", "headquarters", "hqlocation", "companyhqlocation",
        "accountcountry", "organizationcountry", "organisationcountry", "orgcountry", "companylocationcountry",
        "companybillingcountry", "billingcountry",
    ]
    /// Longest value kept for the `attribute` atom (a note pasted in a column is not a fact).
    static let attributeValueLimit = 120
    static let attendedKeys: Set<String> = ["attended", "attendedyesno"]
    static let minuteKeys: Set<String> = ["minutes", "timeinsessionminutes", "minutesinsession", "attendancedurationminutes", "duration"]

    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }

    /// Updates the lead's engagement and company facts from one of its records; `seenAt` is the run time.
    public static func accumulate(_ record: LeadRecord, into lead: inout Lead, seenAt: String) {
        lead.derived["last.seen"] = seenAt
        var fields: [(String, String)] = record.attributes.map { ($0.key, $0.value) }
        fields += record.extras.map { ($0.name, $0.value) }
        for (name, value) in fields {
            let k = key(name)
            let trimmed = value.trimmingWhitespace()
            guard !trimmed.isEmpty, trimmed != "--" else { continue }
            if employeeKeys.contains(k) { lead.derived["company.employees"] = trimmed }
            if industryKeys.contains(k) { lead.derived["company.industry"] = trimmed }
            if revenueKeys.contains(k) { lead.derived["company.revenue"] = trimmed }
            if companyCountryKeys.contains(k), let code = CompanyCountry.code(fromColumnValue: trimmed) {
                lead.derived["company.country"] = code
                lead.derived["company.country.source"] = name
            }
            let consumed = employeeKeys.contains(k) || industryKeys.contains(k) || revenueKeys.contains(k) || companyCountryKeys.contains(k)
                || attendedKeys.contains(k) || minuteKeys.contains(k)
            if !consumed, trimmed.count <= attributeValueLimit { lead.derived["attribute." + k] = trimmed }
            if attendedKeys.contains(k) {
                let yes = ["yes", "true", "1", "ja", "oui", "si", "sí"].contains(trimmed.lowercased())
                if yes || lead.derived["engagement.attended"] == nil { lead.derived["engagement.attended"] = yes ? "yes" : "no" }
            }
            if minuteKeys.contains(k), let minutes = Double(trimmed.replacingOccurrences(of: ",", with: ".")) {
                let total = (lead.derived["engagement.minutes"].flatMap(Double.init) ?? 0) + minutes
                lead.derived["engagement.minutes"] = String(Int(total))
            }
        }
    }

    /// The industry label a record carries, and the column it came from, when the industry table
    /// cannot place it (the import reports each such label once per file, so it is never silently
    /// unknown).
    public static func unplacedIndustry(_ record: LeadRecord) -> (label: String, column: String)? {
        let fields: [(String, String)] = record.attributes.map { ($0.key, $0.value) } + record.extras.map { ($0.name, $0.value) }
        for (name, value) in fields where industryKeys.contains(key(name)) {
            let label = value.trimmingWhitespace()
            guard !label.isEmpty, label != "--" else { continue }
            return Industries.canonical(label) == nil ? (label, name) : nil
        }
        return nil
    }

    /// The account a lead belongs to: its registrable domain, else its company key.
    public static func accountKey(_ lead: Lead) -> String? {
        if let domain = lead.domain { return "domain:" + domain }
        if let company = lead.company, !company.isEmpty { return "company:" + (lead.derived["company.key"] ?? StringSimilarity.fold(company)) }
        return nil
    }
}
