import Crypto
import Foundation
import LeadCore
import LeadNormalize
import Yams

/// The ideal-customer profile, written by the team in `config/icp.yml`: stages by rule.
///
/// ```yaml
/// name: Revenue leaders at mid-size B2B software firms
/// define:
///   decision_maker: {all: [{seniority: [c-level, vp, director, head]}, {department: [sales, marketing]}]}
/// stages:
///   - stage: disqualified
///     when: {any: [{seniority: [student]}, {free_mail_without_company: true}]}
///   - stage: dream
///     when: {all: [{is: decision_maker}, {industry: [software]}]}
///   - stage: lead
///     when: otherwise
/// ```
/// Stages are tried top to bottom; the first whose rule is true wins (unknown is not true). A lead
/// no rule holds for is a lead. Validated at load: every mistake names the file, the line and what
/// was expected.
public struct ICPProfile: Sendable, Equatable {
    public struct StageRule: Sendable, Equatable {
        public var stage: Stage
        public var condition: Condition
        /// Line of the `- stage:` entry in the profile file.
        public var line: Int
    }

    public var name: String?
    public var stages: [StageRule] = []
    /// Named conditions, in the order they are defined.
    public var definitions: [(name: String, condition: Condition)] = []
    /// Minimum fit for tiers A, B, C (below C: D). The defaults follow the stage bands.
    public var tiers: [String: Double] = ["A": 80, "B": 55, "C": 25]
    /// SHA-256 of the profile file: scores remember which profile made them.
    public var version: String = "built-in"
    /// `handoff.salesforce_company`: the Company of a Salesforce hand-off row for a lead with no
    /// company and no company domain (Salesforce requires the field).
    public var handoffCompany: String?

    public init() {}

    public static func == (a: ICPProfile, b: ICPProfile) -> Bool {
        a.name == b.name && a.stages == b.stages && a.tiers == b.tiers && a.version == b.version && a.handoffCompany == b.handoffCompany
            && a.definitions.map(\.name) == b.definitions.map(\.name) && a.definitions.map(\.condition) == b.definitions.map(\.condition)
    }

    /// The canonical seniorities (``TitleClassifier``).
    public static let seniorities = TitleClassifier.Seniority.allCases.map(\.rawValue)
    /// The canonical departments (``TitleClassifier``).
    public static let departments = TitleClassifier.departments
}

/// A profile file that cannot be used, with where and why.
public struct ProfileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String
    public init(file: String, line: Int? = nil, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : key + ": ")\(message)"
    }
}

extension ICPProfile {
    static let atomNames = [
        "seniority", "department", "title_keywords", "industry", "employees", "revenue", "company_country", "person_country",
        "company_domain", "company", "email", "free_mail_without_company", "source_kind", "engagement", "attribute",
    ]
    static let combinators = ["all", "any", "not", "at_least", "is"]
    static let legacyKeys: Set<String> = ["persona", "firmographics", "target_accounts", "disqualify"]

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
        var parser = ProfileParser(file: file)
        var profile = try parser.parse(text)
        profile.version = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return profile
    }
}

/// Reads the profile's YAML node tree (Yams.compose keeps each node's line).
struct ProfileParser {
    let file: String
    /// Named conditions defined so far, and the lines of every `define` entry (for forward references).
    var defined: [String: Condition] = [:]
    var definitionLines: [String: Int] = [:]
    var definitionNodes: [String: Node] = [:]

    init(file: String) { self.file = file }

    func error(_ node: Node?, _ key: String, _ message: String) -> ProfileError {
        ProfileError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string)\""
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    mutating func parse(_ text: String) throws(ProfileError) -> ICPProfile {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            if case let YamlError.scanner(_, problem, mark, _) = error { throw ProfileError(file: file, line: mark.line, key: "", message: "not valid YAML: \(problem)") }
            if case let YamlError.parser(_, problem, mark, _) = error { throw ProfileError(file: file, line: mark.line, key: "", message: "not valid YAML: \(problem)") }
            throw ProfileError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        guard let root, let mapping = root.mapping else {
            throw error(root, "", "expected a mapping with name, define, stages and tiers")
        }
        let keys = mapping.compactMap { $0.key.string }
        if !ICPProfile.legacyKeys.isDisjoint(with: keys) || mapping["stages"]?.mapping != nil {
            throw error(root, "", """
                this profile is in the points format (persona, firmographics, target_accounts, disqualify) that \
                stages by rule replaced; `leadintake profile convert \(file)` prints it in the rule form (review it, then \
                save it over this file); docs/icp.md describes the format
                """)
        }
        var profile = ICPProfile()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "name", "description":
                guard value.scalar != nil else { throw error(value, key, "expected text, found \(Self.describe(value))") }
                if key == "name" { profile.name = value.string }
            case "define":
                guard let defines = value.mapping else { throw error(value, "define", "expected a mapping of name: condition") }
                for (nameNode, condition) in defines {
                    guard let name = nameNode.string, !name.isEmpty else { throw error(nameNode, "define", "expected a name") }
                    if let line = definitionLines[name] {
                        throw error(nameNode, "define.\(name)", "defined twice (first on line \(line))")
                    }
                    definitionLines[name] = nameNode.mark?.line ?? 0
                    definitionNodes[name] = condition
                }
                for (nameNode, conditionNode) in defines {
                    let name = nameNode.string!
                    let condition = try self.condition(conditionNode, path: "define.\(name)", defining: [name])
                    defined[name] = condition
                    profile.definitions.append((name, condition))
                }
            case "stages":
                guard let list = value.sequence else { throw error(value, "stages", "expected a list of {stage, when} entries") }
                for (index, entry) in list.enumerated() {
                    let path = "stages[\(index)]"
                    guard let fields = entry.mapping else { throw error(entry, path, "expected a mapping with stage and when") }
                    for (k, _) in fields where !["stage", "when"].contains(k.string ?? "") {
                        throw error(k, path + "." + (k.string ?? ""), "unknown key; expected stage and when")
                    }
                    guard let stageNode = fields["stage"] else { throw error(entry, path, "missing stage (one of \(Stage.allCases.map(\.rawValue).joined(separator: ", ")))") }
                    guard let stage = stageNode.string.flatMap(Stage.init(rawValue:)) else {
                        throw error(stageNode, path + ".stage", "expected one of \(Stage.allCases.map(\.rawValue).joined(separator: ", ")), found \(Self.describe(stageNode))")
                    }
                    guard let when = fields["when"] else { throw error(entry, path, "missing when (a condition, or otherwise)") }
                    let condition: Condition
                    if when.string == "otherwise" { condition = .otherwise } else { condition = try self.condition(when, path: path + ".when", defining: []) }
                    profile.stages.append(ICPProfile.StageRule(stage: stage, condition: condition, line: entry.mark?.line ?? 0))
                }
            case "tiers":
                guard let tiers = value.mapping else { throw error(value, "tiers", "expected a mapping {A: 80, B: 55, C: 25}") }
                for (k, v) in tiers {
                    guard let name = k.string, ["A", "B", "C"].contains(name) else { throw error(k, "tiers", "unknown tier; expected A, B and C") }
                    profile.tiers[name] = try number(v, "tiers." + name, range: 0...100)
                }
                if (profile.tiers["A"] ?? 0) < (profile.tiers["B"] ?? 0) || (profile.tiers["B"] ?? 0) < (profile.tiers["C"] ?? 0) {
                    throw error(value, "tiers", "expected A ≥ B ≥ C")
                }
            case "handoff":
                guard let handoff = value.mapping else { throw error(value, "handoff", "expected a mapping {salesforce_company: TEXT}") }
                for (k, v) in handoff {
                    guard k.string == "salesforce_company" else { throw error(k, "handoff." + (k.string ?? ""), "unknown key; expected salesforce_company") }
                    guard let text = v.string?.trimmingCharacters(in: .whitespaces), v.scalar != nil, !text.isEmpty else {
                        throw error(v, "handoff.salesforce_company", "expected text, found \(Self.describe(v))")
                    }
                    profile.handoffCompany = text
                }
            default:
                throw error(keyNode, key, "unknown key; expected one of: define, handoff, name, stages, tiers")
            }
        }
        if profile.stages.isEmpty { throw error(root, "stages", "no stages: expected a list of {stage, when} entries") }
        return profile
    }

    func number(_ node: Node, _ path: String, range: ClosedRange<Double>? = nil) throws(ProfileError) -> Double {
        guard node.scalar != nil, let value = node.int.map(Double.init) ?? node.float else {
            throw error(node, path, "expected a number, found \(Self.describe(node))")
        }
        if let range, !range.contains(value) {
            throw error(node, path, "expected a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)), found \(value)")
        }
        return value
    }

    func strings(_ node: Node, _ path: String) throws(ProfileError) -> [(String, Node)] {
        if node.scalar != nil, let single = node.string { return [(single, node)] }
        guard let list = node.sequence else { throw error(node, path, "expected a list, found \(Self.describe(node))") }
        var out: [(String, Node)] = []
        for (index, item) in list.enumerated() {
            guard item.scalar != nil, let text = item.string else { throw error(item, "\(path)[\(index)]", "expected text, found \(Self.describe(item))") }
            out.append((text, item))
        }
        if out.isEmpty { throw error(node, path, "expected at least one value") }
        return out
    }

    func values(_ node: Node, _ path: String, allowed: [String], what: String, transform: (String) -> String = { $0 }) throws(ProfileError) -> Set<String> {
        var set = Set<String>()
        for (text, item) in try strings(node, path) {
            let value = transform(text)
            guard allowed.contains(value) else {
                throw error(item, path, "unknown \(what) \"\(text)\"; expected one of: \(allowed.joined(separator: ", "))")
            }
            set.insert(value)
        }
        return set
    }

    func range(_ node: Node, _ path: String, keys: [String] = ["min", "max"]) throws(ProfileError) -> NumberRange {
        guard let mapping = node.mapping else { throw error(node, path, "expected {\(keys.map { "\($0): N" }.joined(separator: ", "))}") }
        var range = NumberRange()
        for (k, v) in mapping {
            switch k.string {
            case "min" where keys.contains("min"): range.min = try number(v, path + ".min")
            case "max" where keys.contains("max"): range.max = try number(v, path + ".max")
            default: throw error(k, path + "." + (k.string ?? ""), "unknown key; expected \(keys.joined(separator: " and "))")
            }
        }
        if range.min == nil && range.max == nil { throw error(node, path, "expected \(keys.joined(separator: " or "))") }
        if let lo = range.min, let hi = range.max, lo > hi { throw error(node, path, "min (\(lo)) is above max (\(hi))") }
        return range
    }

    func countries(_ node: Node, _ path: String) throws(ProfileError) -> Set<String> {
        var set = Set<String>()
        for (text, item) in try strings(node, path) {
            let code = text.uppercased()
            guard code.count == 2, Countries.code(for: code) == code else {
                throw error(item, path, "expected an ISO 3166 alpha-2 code such as DE, found \"\(text)\"")
            }
            set.insert(code)
        }
        return set
    }

    /// A condition node: a mapping of one combinator or atom (`at_least` goes with `of`).
    func condition(_ node: Node, path: String, defining: [String]) throws(ProfileError) -> Condition {
        guard let mapping = node.mapping else {
            if node.string == "otherwise" { throw error(node, path, "otherwise is a whole `when:`, not part of a condition") }
            throw error(node, path, "expected a condition such as {seniority: [vp]} or {all: [...]}, found \(Self.describe(node))")
        }
        let keys = mapping.compactMap { $0.key.string }
        if keys.contains("at_least") {
            guard Set(keys) == ["at_least", "of"], let n = mapping["at_least"], let of = mapping["of"] else {
                throw error(node, path, "expected {at_least: N, of: [conditions]}")
            }
            let list = try conditions(of, path: path + ".of", defining: defining)
            guard n.scalar != nil, let count = n.int, count >= 1, count <= list.count else {
                throw error(n, path + ".at_least", "expected a whole number from 1 to \(list.count) (the conditions in of), found \(Self.describe(n))")
            }
            return .atLeast(count, list)
        }
        guard mapping.count == 1, let (keyNode, value) = mapping.first.map({ ($0.key, $0.value) }), let key = keyNode.string else {
            throw error(node, path, "expected one combinator or atom per condition, found \(keys.joined(separator: ", ")); put several in {all: [...]}")
        }
        let here = path + "." + key
        switch key {
        case "all": return .all(try conditions(value, path: here, defining: defining))
        case "any": return .any(try conditions(value, path: here, defining: defining))
        case "not": return .not(try condition(value, path: here, defining: defining))
        case "is":
            guard let name = value.string, value.scalar != nil else { throw error(value, here, "expected the name of a defined condition") }
            if defining.contains(name) {
                throw error(value, here, "cycle: \((defining + [name]).joined(separator: " → ")) (a condition cannot use itself)")
            }
            if let condition = defined[name] { return .named(name, condition) }
            if let line = definitionLines[name] {
                // Defined below: a cycle when that definition uses this one, else just out of order.
                if let target = definitionNodes[name], references(target, anyOf: Set(defining)) {
                    throw error(value, here, "cycle: \((defining + [name, defining.first!]).joined(separator: " → "))")
                }
                throw error(value, here, "\"\(name)\" is used before it is defined (line \(line)); define it above its first use")
            }
            let known = definitionLines.keys.sorted()
            throw error(value, here, "no condition named \"\(name)\" is defined" + (known.isEmpty ? " (add it under define:)" : "; defined: \(known.joined(separator: ", "))"))
        default:
            return .atom(try atom(key, value, here, keyNode))
        }
    }

    func conditions(_ node: Node, path: String, defining: [String]) throws(ProfileError) -> [Condition] {
        guard let list = node.sequence, !list.isEmpty else { throw error(node, path, "expected a list of conditions") }
        var out: [Condition] = []
        for (index, item) in list.enumerated() { out.append(try condition(item, path: "\(path)[\(index)]", defining: defining)) }
        return out
    }

    /// Whether a not-yet-parsed condition node uses `{is: NAME}` for one of `names`, directly or through other definitions.
    func references(_ node: Node, anyOf names: Set<String>, seen: Set<String> = []) -> Bool {
        switch node {
        case .scalar: return false
        case .sequence(let list): return list.contains { references($0, anyOf: names, seen: seen) }
        case .mapping(let mapping):
            for (k, v) in mapping {
                if k.string == "is", let name = v.string {
                    if names.contains(name) { return true }
                    if !seen.contains(name), let next = definitionNodes[name], references(next, anyOf: names, seen: seen.union([name])) { return true }
                } else if references(v, anyOf: names, seen: seen) {
                    return true
                }
            }
            return false
        }
    }

    func atom(_ key: String, _ value: Node, _ path: String, _ keyNode: Node) throws(ProfileError) -> Atom {
        switch key {
        case "seniority":
            return .seniority(try values(value, path, allowed: ICPProfile.seniorities, what: "seniority", transform: { $0.lowercased() }))
        case "department":
            return .department(try values(value, path, allowed: ICPProfile.departments, what: "department", transform: { $0.lowercased() }))
        case "title_keywords":
            return .titleKeywords(try strings(value, path).map { StringSimilarity.fold($0.0.replacingOccurrences(of: "-", with: " ")) })
        case "industry":
            var names: [String] = [], ids: [Int] = []
            for (text, item) in try strings(value, path) {
                guard let found = Industries.ids(forProfileValue: text) else {
                    let suggestion = Industries.canonical(text).map { "; the label \"\(text)\" means \($0.slug)" } ?? ""
                    throw error(item, path, "unknown industry \"\(text)\"\(suggestion); expected a LinkedIn Industry Codes V2 slug such as software-development or an alias (\(Industries.aliases.keys.sorted().joined(separator: ", "))); docs/icp.md lists them")
                }
                names.append(text)
                ids += found
            }
            return .industry(names: names, ids: ids)
        case "employees": return .employees(try range(value, path))
        case "revenue": return .revenue(try range(value, path))
        case "company_country": return .companyCountry(try countries(value, path))
        case "person_country": return .personCountry(try countries(value, path))
        case "company_domain":
            return .companyDomain(try strings(value, path).map { $0.0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "@. ")) })
        case "company":
            let names = try strings(value, path).map(\.0)
            return .company(keys: Set(names.map(CompanyNormalizer.key)), names: names)
        case "email":
            let set = try values(value, path, allowed: EmailClass.allCases.map(\.rawValue), what: "e-mail kind", transform: { $0.lowercased() })
            return .email(Set(set.compactMap(EmailClass.init(rawValue:))))
        case "free_mail_without_company":
            guard value.scalar != nil, let flag = value.bool else { throw error(value, path, "expected true or false, found \(Self.describe(value))") }
            return .freeMailWithoutCompany(flag)
        case "source_kind":
            let set = try values(value, path, allowed: SourceKind.allCases.map(\.rawValue), what: "source kind", transform: { $0.lowercased() })
            return .sourceKind(Set(set.compactMap(SourceKind.init(rawValue:))))
        case "engagement":
            let range = try range(value, path, keys: ["min"])
            guard let min = range.min, (0...100).contains(min) else { throw error(value, path + ".min", "expected a number from 0 to 100") }
            return .engagement(min: min)
        case "attribute":
            guard let mapping = value.mapping, mapping.count == 1, let (nameNode, list) = mapping.first.map({ ($0.key, $0.value) }),
                  let name = nameNode.string
            else { throw error(value, path, "expected {NAME: [values]} with one attribute name") }
            let key = LeadFacts.key(name)
            return .attribute(name: key, values: Set(try strings(list, path + "." + name).map { StringSimilarity.fold($0.0) }))
        default:
            throw error(keyNode, path, "unknown condition \"\(key)\"; expected a combinator (\(ICPProfile.combinators.joined(separator: ", "))) or an atom (\(ICPProfile.atomNames.joined(separator: ", ")))")
        }
    }
}
