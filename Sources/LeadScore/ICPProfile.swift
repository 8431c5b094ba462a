import LeadCore
import Crypto
import Foundation
import Yams

/// The ideal-customer profile, written by the team in `config/icp.yml`.
///
/// Validated at load: an unknown key, a wrong type or an out-of-range number is an error that names
/// the file, the key and what was expected.
public struct ICPProfile: Sendable, Equatable {
    public struct Persona: Sendable, Equatable {
        /// Points (0-100) per seniority: owner, c-level, vp, director, manager, individual, student.
        public var seniority: [String: Double] = [:]
        /// Points (0-100) per department: marketing, sales, ...
        public var departments: [String: Double] = [:]
        /// Title words that add points (folded, e.g. "demand gen").
        public var includeKeywords: [String] = []
        /// Title words that make the persona a non-fit ("assistant", "recruiter").
        public var excludeKeywords: [String] = []
    }

    public struct Range: Sendable, Equatable {
        public var min: Double?
        public var max: Double?
        public func contains(_ value: Double) -> Bool { value >= (min ?? -.infinity) && value <= (max ?? .infinity) }
    }

    public struct Firmographics: Sendable, Equatable {
        public var industries: [String] = []
        public var employees: Range?
        public var revenue: Range?
        /// ISO 3166 alpha-2 codes.
        public var countries: [String] = []
    }

    public struct TargetAccounts: Sendable, Equatable {
        public var domains: [String] = []
        public var companies: [String] = []
        public var boost: Double = 10
    }

    public struct Disqualifiers: Sendable, Equatable {
        public var students = true
        public var competitorDomains: [String] = []
        public var customerDomains: [String] = []
        public var freeMailWithoutCompany = true
        public var excludedCountries: [String] = []
    }

    public var persona = Persona()
    public var firmographics = Firmographics()
    public var targetAccounts = TargetAccounts()
    public var disqualify = Disqualifiers()
    /// Minimum fit for tiers A, B, C (below C: D).
    public var tiers: [String: Double] = ["A": 75, "B": 55, "C": 35]
    /// Minimum fit for the dream and prospect stages.
    public var dreamThreshold: Double = 80
    public var prospectThreshold: Double = 55
    /// SHA-256 of the profile file: scores remember which profile made them.
    public var version: String = "built-in"

    public init() {}
}

/// A profile file that cannot be used, with where and why.
public struct ProfileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var key: String
    public var message: String
    public var description: String { "\(file): \(key.isEmpty ? "" : key + ": ")\(message)" }
}

extension ICPProfile {
    static let allowed: [String: Set<String>] = [
        "": ["persona", "firmographics", "target_accounts", "disqualify", "tiers", "stages"],
        "persona": ["seniority", "departments", "include_keywords", "exclude_keywords"],
        "firmographics": ["industries", "employees", "revenue", "countries"],
        "firmographics.employees": ["min", "max"],
        "firmographics.revenue": ["min", "max"],
        "target_accounts": ["domains", "companies", "boost"],
        "disqualify": ["students", "competitor_domains", "customer_domains", "free_mail_without_company", "excluded_countries"],
        "tiers": ["A", "B", "C"],
        "stages": ["dream", "prospect"],
    ]
    static let seniorities = Set(["owner", "c-level", "vp", "director", "manager", "individual", "student"])

    /// Loads and validates a profile file.
    public static func load(path: String) throws(ProfileError) -> ICPProfile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ProfileError(file: path, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses and validates profile text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ProfileError) -> ICPProfile {
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch {
            throw ProfileError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        guard let root = node as? [String: Any] else {
            throw ProfileError(file: file, key: "", message: "expected a mapping with persona, firmographics, target_accounts, disqualify, tiers, stages")
        }
        var profile = ICPProfile()
        profile.version = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()

        func check(_ map: [String: Any], at path: String) throws(ProfileError) {
            let allowed = Self.allowed[path] ?? []
            for key in map.keys.sorted() where !allowed.contains(key) {
                throw ProfileError(file: file, key: path.isEmpty ? key : path + "." + key,
                                   message: "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
            }
        }
        func map(_ value: Any?, _ path: String) throws(ProfileError) -> [String: Any] {
            guard let value else { return [:] }
            guard let map = value as? [String: Any] else { throw ProfileError(file: file, key: path, message: "expected a mapping, found \(describe(value))") }
            try check(map, at: path)
            return map
        }
        func number(_ value: Any, _ path: String, range: ClosedRange<Double>? = nil) throws(ProfileError) -> Double {
            let number: Double?
            if let int = value as? Int { number = Double(int) } else { number = value as? Double }
            guard let number else { throw ProfileError(file: file, key: path, message: "expected a number, found \(describe(value))") }
            if let range, !range.contains(number) {
                throw ProfileError(file: file, key: path, message: "expected a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)), found \(number)")
            }
            return number
        }
        func strings(_ value: Any?, _ path: String) throws(ProfileError) -> [String] {
            guard let value else { return [] }
            guard let list = value as? [Any] else { throw ProfileError(file: file, key: path, message: "expected a list, found \(describe(value))") }
            var result: [String] = []
            for (index, item) in list.enumerated() {
                guard let string = item as? String ?? (item as? Int).map(String.init) else {
                    throw ProfileError(file: file, key: "\(path)[\(index)]", message: "expected text, found \(describe(item))")
                }
                result.append(string)
            }
            return result
        }
        func flag(_ value: Any?, _ path: String, default fallback: Bool) throws(ProfileError) -> Bool {
            guard let value else { return fallback }
            guard let bool = value as? Bool else { throw ProfileError(file: file, key: path, message: "expected true or false, found \(describe(value))") }
            return bool
        }
        func range(_ value: Any?, _ path: String) throws(ProfileError) -> Range? {
            guard value != nil else { return nil }
            let m = try map(value, path)
            let r = Range(min: try m["min"].map { v throws(ProfileError) in try number(v, path + ".min") },
                          max: try m["max"].map { v throws(ProfileError) in try number(v, path + ".max") })
            if let lo = r.min, let hi = r.max, lo > hi { throw ProfileError(file: file, key: path, message: "min (\(lo)) is above max (\(hi))") }
            return r
        }
        func points(_ value: Any?, _ path: String, keys: Set<String>?) throws(ProfileError) -> [String: Double] {
            guard let value else { return [:] }
            guard let m = value as? [String: Any] else { throw ProfileError(file: file, key: path, message: "expected a mapping of name: points, found \(describe(value))") }
            var result: [String: Double] = [:]
            for (key, item) in m {
                if let keys, !keys.contains(key) {
                    throw ProfileError(file: file, key: path + "." + key, message: "unknown seniority; expected one of: \(keys.sorted().joined(separator: ", "))")
                }
                result[key] = try number(item, path + "." + key, range: 0...100)
            }
            return result
        }

        try check(root, at: "")
        let persona = try map(root["persona"], "persona")
        profile.persona.seniority = try points(persona["seniority"], "persona.seniority", keys: seniorities)
        profile.persona.departments = try points(persona["departments"], "persona.departments", keys: nil)
        profile.persona.includeKeywords = try strings(persona["include_keywords"], "persona.include_keywords").map(StringSimilarity.fold)
        profile.persona.excludeKeywords = try strings(persona["exclude_keywords"], "persona.exclude_keywords").map(StringSimilarity.fold)
        let firm = try map(root["firmographics"], "firmographics")
        profile.firmographics.industries = try strings(firm["industries"], "firmographics.industries")
        profile.firmographics.employees = try range(firm["employees"], "firmographics.employees")
        profile.firmographics.revenue = try range(firm["revenue"], "firmographics.revenue")
        profile.firmographics.countries = try strings(firm["countries"], "firmographics.countries").map { $0.uppercased() }
        for (index, code) in profile.firmographics.countries.enumerated() where code.count != 2 {
            throw ProfileError(file: file, key: "firmographics.countries[\(index)]", message: "expected an ISO 3166 alpha-2 code such as DE, found \"\(code)\"")
        }
        let targets = try map(root["target_accounts"], "target_accounts")
        profile.targetAccounts.domains = try strings(targets["domains"], "target_accounts.domains").map { $0.lowercased() }
        profile.targetAccounts.companies = try strings(targets["companies"], "target_accounts.companies")
        if let boost = targets["boost"] { profile.targetAccounts.boost = try number(boost, "target_accounts.boost", range: 0...100) }
        let dq = try map(root["disqualify"], "disqualify")
        profile.disqualify.students = try flag(dq["students"], "disqualify.students", default: true)
        profile.disqualify.competitorDomains = try strings(dq["competitor_domains"], "disqualify.competitor_domains").map { $0.lowercased() }
        profile.disqualify.customerDomains = try strings(dq["customer_domains"], "disqualify.customer_domains").map { $0.lowercased() }
        profile.disqualify.freeMailWithoutCompany = try flag(dq["free_mail_without_company"], "disqualify.free_mail_without_company", default: true)
        profile.disqualify.excludedCountries = try strings(dq["excluded_countries"], "disqualify.excluded_countries").map { $0.uppercased() }
        let tiers = try map(root["tiers"], "tiers")
        for (key, value) in tiers { profile.tiers[key] = try number(value, "tiers." + key, range: 0...100) }
        if (profile.tiers["A"] ?? 0) < (profile.tiers["B"] ?? 0) || (profile.tiers["B"] ?? 0) < (profile.tiers["C"] ?? 0) {
            throw ProfileError(file: file, key: "tiers", message: "expected A ≥ B ≥ C")
        }
        let stages = try map(root["stages"], "stages")
        if let dream = stages["dream"] { profile.dreamThreshold = try number(dream, "stages.dream", range: 0...100) }
        if let prospect = stages["prospect"] { profile.prospectThreshold = try number(prospect, "stages.prospect", range: 0...100) }
        if profile.dreamThreshold < profile.prospectThreshold {
            throw ProfileError(file: file, key: "stages", message: "expected dream ≥ prospect")
        }
        return profile
    }

    static func describe(_ value: Any) -> String {
        switch value {
        case let string as String: "\"\(string)\""
        case is [Any]: "a list"
        case is [String: Any]: "a mapping"
        default: "\(value)"
        }
    }
}
