public import LeadCore
import Foundation

/// One reason behind a score, with its points, so a person can read why.
public struct ScoreReason: Codable, Sendable, Hashable {
    /// persona, firmographic, means, contactability, target, disqualifier, knowledge, engagement
    public var part: String
    public var points: Double
    public var text: String
}

/// Qualification stage of a lead.
public enum Stage: String, Codable, Sendable, CaseIterable {
    case dream, prospect, lead, disqualified
}

/// The score of a lead against a profile: fit (0-100) with its parts, tier, stage, engagement.
public struct ScoreCard: Codable, Sendable, Hashable {
    public var fit: Int
    public var persona: Double
    public var firmographic: Double
    public var means: Double
    public var contactability: Double
    /// A-D from the fit.
    public var tier: String
    public var stage: Stage
    /// The rule that disqualified the lead, when it was.
    public var disqualifiedBy: String?
    /// What is not known yet (a lead with missing facts is "lead", not a poor fit).
    public var missing: [String]
    public var reasons: [ScoreReason]
    /// Engagement (0-100), never mixed into fit.
    public var engagement: Int
    public var engagementReasons: [ScoreReason]
    /// SHA-256 of the profile that made this card.
    public var profileVersion: String

    /// The strongest reasons, for exports: "seniority c-level (CMO) +25; department marketing +15".
    public var topReasons: String {
        var top = reasons.sorted { abs($0.points) > abs($1.points) }.prefix(4).map { $0 }
        if let rule = reasons.first(where: { $0.part == "disqualifier" || $0.part == "knowledge" }), !top.contains(rule) {
            top[top.count - 1] = rule
        }
        return top.map { $0.text + ($0.points == 0 ? "" : " +" + String(Int($0.points.rounded()))) }.joined(separator: "; ")
    }
}

/// Company facts (from sales-tool exports) for a lead or rolled up to its account.
public struct CompanyFacts: Codable, Sendable, Hashable {
    public var employees: String?
    public var industry: String?
    public var revenue: String?
    public init(employees: String? = nil, industry: String? = nil, revenue: String? = nil) {
        self.employees = employees
        self.industry = industry
        self.revenue = revenue
    }
    public var isEmpty: Bool { employees == nil && industry == nil && revenue == nil }

    /// Facts of a lead (normalized keys in `derived`).
    public init(lead: Lead) {
        employees = lead.derived["company.employees"]
        industry = lead.derived["company.industry"]
        revenue = lead.derived["company.revenue"]
    }

    /// Fills what this value lacks from `other`.
    public func filled(from other: CompanyFacts?) -> CompanyFacts {
        CompanyFacts(employees: employees ?? other?.employees, industry: industry ?? other?.industry, revenue: revenue ?? other?.revenue)
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

    static let authority: Set<String> = ["owner", "c-level", "vp"]

    public func score(_ lead: Lead, account: CompanyFacts? = nil, now: Date = Date()) -> ScoreCard {
        var reasons: [ScoreReason] = []
        var missing: [String] = []
        func add(_ part: String, _ points: Double, _ text: String) { reasons.append(ScoreReason(part: part, points: points, text: text)) }

        // Persona and authority (0-40).
        var persona = 0.0
        let seniority = lead.derived["title.seniority"]
        let department = lead.derived["title.department"]
        let title = lead.title.map(StringSimilarity.fold) ?? ""
        if let excluded = profile.persona.excludeKeywords.first(where: { !title.isEmpty && (" " + title + " ").contains(" " + $0 + " ") }) {
            add("persona", 0, "title contains excluded \"\(excluded)\"")
        } else if let seniority {
            let points = (profile.persona.seniority[seniority] ?? 0) / 100 * 25
            persona += points
            add("persona", points, "seniority \(seniority)" + (lead.title.map { " (\($0))" } ?? ""))
            if let department {
                let departmentPoints = (profile.persona.departments[department] ?? 0) / 100 * 15
                persona += departmentPoints
                add("persona", departmentPoints, "department \(department)")
            } else {
                add("persona", 0, "department unknown")
            }
            if let keyword = profile.persona.includeKeywords.first(where: { (" " + title + " ").contains(" " + $0 + " ") }) {
                persona += 5
                add("persona", 5, "title mentions \"\(keyword)\"")
            }
            persona = min(40, persona)
        } else {
            missing.append("title")
        }

        // Firmographic fit (0-30): the share of configured criteria the company meets.
        let facts = CompanyFacts(lead: lead).filled(from: account)
        var earned = 0.0, possible = 0.0
        var firmographicKnown = false
        if !profile.firmographics.industries.isEmpty {
            possible += 1
            if let industry = facts.industry {
                firmographicKnown = true
                let folded = StringSimilarity.fold(industry)
                if profile.firmographics.industries.contains(where: { folded.contains(StringSimilarity.fold($0)) }) {
                    earned += 1
                    add("firmographic", 10, "industry \(industry)")
                } else {
                    add("firmographic", 0, "industry \(industry) not targeted")
                }
            } else {
                missing.append("industry")
            }
        }
        if !profile.firmographics.countries.isEmpty {
            possible += 1
            if let country = lead.location.countryCode {
                firmographicKnown = true
                if profile.firmographics.countries.contains(country) {
                    earned += 1
                    add("firmographic", 10, "country \(country)")
                } else {
                    add("firmographic", 0, "country \(country) not targeted")
                }
            } else {
                missing.append("country")
            }
        }
        let employees = facts.employees.flatMap(CompanyFacts.number)
        if let range = profile.firmographics.employees {
            possible += 1
            if let employees {
                firmographicKnown = true
                if range.contains(employees) {
                    earned += 1
                    add("firmographic", 10, "company size \(facts.employees!)")
                } else {
                    add("firmographic", 0, "company size \(facts.employees!) outside the target range")
                }
            } else {
                missing.append("company size")
            }
        }
        let firmographic = possible > 0 ? 30 * earned / possible : 0

        // Means to pay (0-15): revenue in range, else size as a proxy.
        var means = 0.0
        let revenue = facts.revenue.flatMap(CompanyFacts.number)
        if let range = profile.firmographics.revenue, let revenue {
            firmographicKnown = true
            means = range.contains(revenue) ? 15 : 0
            add("means", means, "revenue \(facts.revenue!)" + (means > 0 ? "" : " outside the target range"))
        } else if let employees, let minimum = profile.firmographics.employees?.min {
            means = employees >= minimum ? 8 : 0
            add("means", means, "revenue unknown; company size \(employees >= minimum ? "suggests" : "does not suggest") budget")
        } else {
            missing.append("revenue")
        }

        // Contactability (0-15).
        var contactability = 0.0
        let usable = lead.emails.filter { $0.normalized != nil && !$0.flags.contains("invalid") && !$0.flags.contains("disposable") }
        if usable.contains(where: { $0.kind == .work && !$0.flags.contains("role") && !$0.flags.contains("free-mail") }) {
            contactability += 10
            add("contactability", 10, "work e-mail")
        } else if usable.contains(where: { !$0.flags.contains("role") }) {
            contactability += 5
            add("contactability", 5, "personal e-mail only")
        } else {
            add("contactability", 0, "no usable personal e-mail")
        }
        if lead.phones.contains(where: { $0.normalized != nil && $0.kind != .fax }) {
            contactability += 5
            add("contactability", 5, "direct phone")
        }

        // Target accounts.
        var boost = 0.0
        let companyKey = lead.company.map(StringSimilarity.fold) ?? ""
        if let domain = lead.domain, profile.targetAccounts.domains.contains(domain) {
            boost = profile.targetAccounts.boost
            add("target", boost, "target account \(domain)")
        } else if !companyKey.isEmpty, profile.targetAccounts.companies.contains(where: { StringSimilarity.fold($0) == companyKey }) {
            boost = profile.targetAccounts.boost
            add("target", boost, "target account \(lead.company!)")
        }

        var fit = Int(min(100, (persona + firmographic + means + contactability + boost)).rounded())
        let tierA = profile.tiers["A"] ?? 75, tierB = profile.tiers["B"] ?? 55, tierC = profile.tiers["C"] ?? 35
        let value = Double(fit)
        var tier = value >= tierA ? "A" : value >= tierB ? "B" : value >= tierC ? "C" : "D"

        // Stage: disqualifiers first, then what is known, then the thresholds.
        var stage = Stage.lead
        var disqualifiedBy: String?
        var domains: [String] = [lead.domain].compactMap { $0 }
        for email in lead.emails {
            if let domain = email.normalized?.split(separator: "@").last.map(String.init), !domains.contains(domain) { domains.append(domain) }
        }
        if profile.disqualify.students, seniority == "student" {
            disqualifiedBy = "student or intern"
        } else if let competitor = domains.first(where: { domain in profile.disqualify.competitorDomains.contains { domain == $0 || domain.hasSuffix("." + $0) } }) {
            disqualifiedBy = "competitor domain \(competitor)"
        } else if let customer = domains.first(where: { domain in profile.disqualify.customerDomains.contains { domain == $0 || domain.hasSuffix("." + $0) } }) {
            disqualifiedBy = "existing customer \(customer)"
        } else if profile.disqualify.freeMailWithoutCompany, (lead.company ?? "").isEmpty, !usable.isEmpty,
                  usable.allSatisfy({ $0.flags.contains("free-mail") })
        {
            disqualifiedBy = "free-mail address and no company"
        } else if let country = lead.location.countryCode, profile.disqualify.excludedCountries.contains(country) {
            disqualifiedBy = "excluded country \(country)"
        }
        if let rule = disqualifiedBy {
            // A disqualified lead is no fit, whatever its parts add up to (they stay in the card).
            stage = .disqualified
            add("disqualifier", -Double(fit), "disqualified: \(rule)")
            fit = 0
            tier = "D"
        } else if seniority == nil || (!firmographicKnown && boost == 0 && (lead.company ?? "").isEmpty) {
            stage = .lead
            add("knowledge", 0, "not enough known to qualify (missing: \(missing.joined(separator: ", ")))")
        } else if fit >= Int(profile.dreamThreshold), Self.authority.contains(seniority ?? "") {
            stage = .dream
        } else if fit >= Int(profile.prospectThreshold) {
            stage = .prospect
        } else {
            add("knowledge", 0, "known, below the prospect threshold")
        }

        let (engagement, engagementReasons) = Self.engagement(lead, now: now)
        return ScoreCard(
            fit: fit, persona: persona, firmographic: firmographic, means: means, contactability: contactability, tier: tier,
            stage: stage, disqualifiedBy: disqualifiedBy, missing: missing, reasons: reasons, engagement: engagement,
            engagementReasons: engagementReasons, profileVersion: profile.version)
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

    /// The account a lead belongs to: its registrable domain, else its company key.
    public static func accountKey(_ lead: Lead) -> String? {
        if let domain = lead.domain { return "domain:" + domain }
        if let company = lead.company, !company.isEmpty { return "company:" + (lead.derived["company.key"] ?? StringSimilarity.fold(company)) }
        return nil
    }
}
