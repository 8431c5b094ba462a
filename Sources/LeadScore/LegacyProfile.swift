import Foundation
import LeadCore
import LeadNormalize
import Yams

/// The points format of earlier versions (`persona`, `firmographics`, `target_accounts`,
/// `disqualify`, `stages: {dream: 80, prospect: 55}`), converted to stages by rule.
///
/// A sum of points cannot be said exactly as rules, so the conversion writes what the points
/// meant: a decision maker is a seniority worth at least 70 points in a department worth at least 60;
/// a dream client is a decision maker at a company that meets every firmographic; a prospect is a
/// decision maker meeting all but one, a manager-level person at a target firm, or anyone at a
/// target account. Industry labels become V2 slugs where the table knows them; the rest are listed
/// in a comment for the team to place.
public enum LegacyProfile {
    /// The rule form of a points-format profile, as YAML text.
    public static func convert(_ text: String, file: String) throws(ProfileError) -> String {
        let root: [String: Any]
        do {
            guard let map = try SafeYAML.load(text) as? [String: Any] else {
                throw ProfileError(file: file, key: "", message: "expected a mapping")
            }
            root = map
        } catch let error as ProfileError { throw error } catch {
            throw ProfileError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        func map(_ key: String, in parent: [String: Any]) -> [String: Any] { parent[key] as? [String: Any] ?? [:] }
        func list(_ value: Any?) -> [String] { (value as? [Any] ?? []).compactMap { $0 as? String ?? ($0 as? Int).map(String.init) } }
        func points(_ value: Any?) -> [String: Double] {
            var out: [String: Double] = [:]
            for (key, item) in value as? [String: Any] ?? [:] { out[key] = (item as? Double) ?? (item as? Int).map(Double.init) }
            return out
        }
        func flow(_ values: [String]) -> String { "[" + values.map { $0.contains(where: { ":,[]{}#&*!|>'\"%@`".contains($0) }) ? "\"\($0)\"" : $0 }.joined(separator: ", ") + "]" }
        func range(_ value: Any?) -> String? {
            guard let m = value as? [String: Any] else { return nil }
            let parts = ["min", "max"].compactMap { key in m[key].map { "\(key): \($0)" } }
            return parts.isEmpty ? nil : "{" + parts.joined(separator: ", ") + "}"
        }

        let persona = map("persona", in: root), firm = map("firmographics", in: root)
        let targets = map("target_accounts", in: root), dq = map("disqualify", in: root)
        let seniority = points(persona["seniority"]).filter { $0.value >= 70 }.keys.sorted()
        let managerLevel = points(persona["seniority"]).filter { $0.value >= 40 && $0.value < 70 }.keys.sorted()
        let departments = points(persona["departments"]).filter { $0.value >= 60 }.keys.sorted()
        var slugs: [String] = [], unplaced: [String] = []
        for label in list(firm["industries"]) {
            if let industry = Industries.canonical(label) {
                if !slugs.contains(industry.slug) { slugs.append(industry.slug) }
            } else {
                unplaced.append(label)
            }
        }
        var firmParts: [(String, String)] = []
        if !slugs.isEmpty { firmParts.append(("target_industry", "{industry: \(flow(slugs))}")) }
        if let employees = range(firm["employees"]) { firmParts.append(("target_size", "{employees: \(employees)}")) }
        if let revenue = range(firm["revenue"]) { firmParts.append(("target_revenue", "{revenue: \(revenue)}")) }
        let countries = list(firm["countries"]).map { $0.uppercased() }
        if !countries.isEmpty { firmParts.append(("target_country", "{company_country: \(flow(countries))}")) }

        var out = ["# Converted by `leadintake profile convert` from \(file) (points format). Review before use: docs/icp.md."]
        if !unplaced.isEmpty { out.append("# Industry labels the table does not know (name their V2 slugs instead): \(unplaced.joined(separator: "; "))") }
        out.append("name: converted from \((file as NSString).lastPathComponent)")
        out.append("define:")
        var decision: [String] = []
        if !seniority.isEmpty { decision.append("{seniority: \(flow(seniority))}") }
        if !departments.isEmpty { decision.append("{department: \(flow(departments))}") }
        let exclude = list(persona["exclude_keywords"])
        if !exclude.isEmpty { decision.append("{not: {title_keywords: \(flow(exclude))}}") }
        out.append("  decision_maker: {all: [\(decision.isEmpty ? "{seniority: [owner, c-level, vp]}" : decision.joined(separator: ", "))]}")
        for (name, condition) in firmParts { out.append("  \(name): \(condition)") }
        let firmRefs = firmParts.map { "{is: \($0.0)}" }
        if !firmRefs.isEmpty { out.append("  target_firm: {all: [\(firmRefs.joined(separator: ", "))]}") }

        var disqualify: [String] = []
        if dq["students"] as? Bool ?? true { disqualify.append("{seniority: [student]}") }
        let rivals = list(dq["competitor_domains"]) + list(dq["customer_domains"])
        if !rivals.isEmpty { disqualify.append("{company_domain: \(flow(rivals.map { $0.lowercased() }))}") }
        if dq["free_mail_without_company"] as? Bool ?? true { disqualify.append("{free_mail_without_company: true}") }
        let excluded = list(dq["excluded_countries"]).map { $0.uppercased() }
        if !excluded.isEmpty { disqualify.append("{person_country: \(flow(excluded))}") }
        out.append("stages:")
        if !disqualify.isEmpty {
            out.append("  - stage: disqualified")
            out.append("    when: {any: [\(disqualify.joined(separator: ", "))]}")
        }
        out.append("  - stage: dream")
        out.append("    when: {all: [{is: decision_maker}\(firmRefs.isEmpty ? "" : ", {is: target_firm}")]}")
        var prospect: [String] = []
        if firmRefs.count > 1 {
            prospect.append("{all: [{is: decision_maker}, {at_least: \(firmRefs.count - 1), of: [\(firmRefs.joined(separator: ", "))]}]}")
        } else {
            prospect.append("{is: decision_maker}")
        }
        if !managerLevel.isEmpty, !firmRefs.isEmpty {
            prospect.append("{all: [{seniority: \(flow(managerLevel))}\(departments.isEmpty ? "" : ", {department: \(flow(departments))}"), {is: target_firm}]}")
        }
        let domains = list(targets["domains"]).map { $0.lowercased() }, companies = list(targets["companies"])
        if !domains.isEmpty { prospect.append("{company_domain: \(flow(domains))}") }
        if !companies.isEmpty { prospect.append("{company: \(flow(companies))}") }
        out.append("  - stage: prospect")
        out.append("    when: {any: [\(prospect.joined(separator: ", "))]}")
        out.append("  - stage: lead")
        out.append("    when: otherwise")
        let text = out.joined(separator: "\n") + "\n"
        // The conversion must itself be a valid profile.
        _ = try ICPProfile.parse(text, file: file + " (converted)")
        return text
    }
}
