public import LeadCore
import Foundation
import LeadNormalize

/// Kleene's three-valued logic: an atom on a fact nobody knows is unknown, not false.
public enum Truth: String, Codable, Sendable, Hashable {
    case yes = "true", no = "false", unknown

    public static func all(_ values: [Truth]) -> Truth {
        values.contains(.no) ? .no : values.contains(.unknown) ? .unknown : .yes
    }
    public static func any(_ values: [Truth]) -> Truth {
        values.contains(.yes) ? .yes : values.contains(.unknown) ? .unknown : .no
    }
    public static func atLeast(_ n: Int, _ values: [Truth]) -> Truth {
        let yes = values.filter { $0 == .yes }.count, unknown = values.filter { $0 == .unknown }.count
        return yes >= n ? .yes : yes + unknown < n ? .no : .unknown
    }
    public var negated: Truth { self == .yes ? .no : self == .no ? .yes : .unknown }
}

/// The kind of address a lead can be reached at, for the `email` atom.
public enum EmailClass: String, Codable, Sendable, CaseIterable, Hashable {
    case work, free, role, disposable, none
}

/// A closed range of a number; either end may be open.
public struct NumberRange: Sendable, Equatable {
    public var min: Double?
    public var max: Double?
    public init(min: Double? = nil, max: Double? = nil) { self.min = min; self.max = max }
    public func contains(_ value: Double) -> Bool { value >= (min ?? -.infinity) && value <= (max ?? .infinity) }
    var text: String {
        func show(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        switch (min, max) {
        case let (lo?, hi?): return "\(show(lo))-\(show(hi))"
        case let (lo?, nil): return "≥ \(show(lo))"
        case let (nil, hi?): return "≤ \(show(hi))"
        default: return "any"
        }
    }
}

/// One test of one fact of a lead.
public enum Atom: Sendable, Equatable {
    case seniority(Set<String>)
    case department(Set<String>)
    /// Folded phrases, matched on word boundaries of the folded title.
    case titleKeywords([String])
    /// The profile's names and the V2 industries they stand for.
    case industry(names: [String], ids: [Int])
    case employees(NumberRange)
    case revenue(NumberRange)
    case companyCountry(Set<String>)
    case personCountry(Set<String>)
    /// Registrable domains; a subdomain matches.
    case companyDomain([String])
    /// Company comparison keys (``CompanyNormalizer/key(_:)``) and the names as written.
    case company(keys: Set<String>, names: [String])
    case email(Set<EmailClass>)
    case freeMailWithoutCompany(Bool)
    case sourceKind(Set<SourceKind>)
    case engagement(min: Double)
    /// A fact an importer kept (a mapped attribute or an unmapped column), by folded name; folded values.
    case attribute(name: String, values: Set<String>)

    /// How the atom reads in a rule tree.
    var label: String {
        func list(_ values: some Collection<String>) -> String { "[" + values.sorted().joined(separator: ", ") + "]" }
        switch self {
        case .seniority(let set): return "seniority in " + list(set)
        case .department(let set): return "department in " + list(set)
        case .titleKeywords(let words): return "title mentions one of " + list(words)
        case .industry(let names, _): return "industry in " + list(names)
        case .employees(let range): return "employees " + range.text
        case .revenue(let range): return "revenue " + range.text
        case .companyCountry(let set): return "company country in " + list(set)
        case .personCountry(let set): return "person country in " + list(set)
        case .companyDomain(let domains): return "company domain in " + list(domains)
        case .company(_, let names): return "company is one of " + list(names)
        case .email(let classes): return "e-mail is " + list(classes.map(\.rawValue))
        case .freeMailWithoutCompany(let value): return "free-mail without company is \(value)"
        case .sourceKind(let kinds): return "source kind in " + list(kinds.map(\.rawValue))
        case .engagement(let min): return "engagement ≥ \(Int(min))"
        case .attribute(let name, let values): return "attribute \(name) in " + list(values)
        }
    }
}

/// A stage's condition: atoms under `all`, `any`, `not`, `at_least N of`, named conditions, `otherwise`.
public indirect enum Condition: Sendable, Equatable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case atLeast(Int, [Condition])
    case atom(Atom)
    /// A `define`d condition, resolved when the profile loads (`{is: NAME}`).
    case named(String, Condition)
    /// `when: otherwise`: always holds.
    case otherwise
}

/// A condition evaluated on one lead: each node's value and, for atoms, the fact behind it.
public struct RuleTrace: Codable, Sendable, Hashable {
    public var label: String
    public var value: Truth
    /// The fact an atom looked at ("VP Marketing → vp"), or why it is unknown.
    public var fact: String?
    public var children: [RuleTrace]
    /// How much of this node is known to hold (0-1): what ranks leads within a stage.
    public var degree: Double

    /// The tree as indented lines: `✓ all`, `  ✓ seniority in [vp] — vp (VP Marketing)`.
    public func lines(indent: Int = 0) -> [String] {
        let mark = value == .yes ? "✓" : value == .no ? "✗" : "?"
        var out = [String(repeating: "  ", count: indent) + mark + " " + label + (fact.map { " — " + $0 } ?? "")]
        for child in children { out += child.lines(indent: indent + 1) }
        return out
    }

    /// True atoms, depth first (the reasons a rule held).
    var trueAtoms: [RuleTrace] {
        if children.isEmpty { return value == .yes && fact != nil ? [self] : [] }
        return children.flatMap(\.trueAtoms)
    }
    /// Atoms whose fact is unknown.
    var unknownAtoms: [RuleTrace] {
        if children.isEmpty { return value == .unknown && fact != nil ? [self] : [] }
        return children.flatMap(\.unknownAtoms)
    }
}

/// What the rules can see of a lead, computed once per lead.
struct RuleFacts {
    var title: String?
    var foldedTitle: String?
    var seniority: String?
    var department: String?
    var industryLabel: String?
    var industry: Industries.Industry?
    var employeesText: String?
    var employees: Double?
    var revenueText: String?
    var revenue: Double?
    var companyCountry: CompanyCountry?
    var personCountry: String?
    var domains: [String]
    var company: String?
    var companyKey: String?
    var emailClasses: Set<EmailClass>
    var freeMailWithoutCompany: Bool
    var sourceKinds: Set<SourceKind>
    var engagement: Int
    var attributes: [String: String]

    init(lead: Lead, facts: CompanyFacts, engagement: Int) {
        title = lead.title.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        foldedTitle = title.map { StringSimilarity.fold($0.replacingOccurrences(of: "-", with: " ")) }
        seniority = title == nil ? nil : lead.derived["title.seniority"]
        department = title == nil ? nil : lead.derived["title.department"]
        industryLabel = facts.industry
        industry = facts.industry.flatMap(Industries.canonical)
        employeesText = facts.employees
        employees = facts.employees.flatMap(CompanyFacts.number)
        revenueText = facts.revenue
        revenue = facts.revenue.flatMap(CompanyFacts.number)
        companyCountry = CompanyCountry.resolve(lead: lead, facts: facts)
        personCountry = lead.location.countryCode
        var domains: [String] = [lead.domain].compactMap { $0 }
        var classes: Set<EmailClass> = []
        var usable = 0, free = 0
        for email in lead.emails {
            guard let normalized = email.normalized, !email.flags.contains("invalid") else { continue }
            if let domain = normalized.split(separator: "@").last.map(String.init), !domains.contains(domain),
               !email.flags.contains("free-mail")
            {
                domains.append(domain)
            }
            if email.flags.contains("disposable") { classes.insert(.disposable); continue }
            usable += 1
            if email.flags.contains("free-mail") {
                classes.insert(.free)
                free += 1
            } else if email.flags.contains("role") {
                classes.insert(.role)
            } else {
                classes.insert(.work)
            }
        }
        if classes.isEmpty { classes.insert(.none) }
        self.domains = domains
        emailClasses = classes
        company = lead.company.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        companyKey = company.map(CompanyNormalizer.key)
        freeMailWithoutCompany = company == nil && usable > 0 && free == usable
        sourceKinds = Set(lead.sources.map(\.kind))
        self.engagement = engagement
        var attributes: [String: String] = [:]
        for (key, value) in lead.derived where key.hasPrefix("attribute.") { attributes[String(key.dropFirst(10))] = value }
        self.attributes = attributes
    }
}

extension Condition {
    /// Evaluates the condition on a lead's facts, with the trace `explain` prints.
    func evaluate(_ facts: RuleFacts) -> RuleTrace {
        switch self {
        case .otherwise:
            return RuleTrace(label: "otherwise", value: .yes, fact: nil, children: [], degree: 1)
        case .named(let name, let condition):
            let inner = condition.evaluate(facts)
            return RuleTrace(label: "is \(name)", value: inner.value, fact: nil, children: [inner], degree: inner.degree)
        case .not(let condition):
            let inner = condition.evaluate(facts)
            return RuleTrace(label: "not", value: inner.value.negated, fact: nil, children: [inner], degree: inner.value == .no ? 1 : 0)
        case .all(let conditions):
            let children = conditions.map { $0.evaluate(facts) }
            let degree = children.isEmpty ? 1 : children.map(\.degree).reduce(0, +) / Double(children.count)
            return RuleTrace(label: "all of", value: .all(children.map(\.value)), fact: nil, children: children, degree: degree)
        case .any(let conditions):
            let children = conditions.map { $0.evaluate(facts) }
            return RuleTrace(label: "any of", value: .any(children.map(\.value)), fact: nil, children: children,
                             degree: children.map(\.degree).max() ?? 0)
        case .atLeast(let n, let conditions):
            let children = conditions.map { $0.evaluate(facts) }
            let top = children.map(\.degree).sorted(by: >).prefix(n)
            return RuleTrace(label: "at least \(n) of", value: .atLeast(n, children.map(\.value)), fact: nil, children: children,
                             degree: min(1, top.reduce(0, +) / Double(max(1, n))))
        case .atom(let atom):
            let (value, fact) = atom.evaluate(facts)
            return RuleTrace(label: atom.label, value: value, fact: fact, children: [], degree: value == .yes ? 1 : value == .unknown ? 0.5 : 0)
        }
    }
}

extension Atom {
    /// The atom's value and the fact behind it.
    func evaluate(_ f: RuleFacts) -> (Truth, String) {
        func known(_ holds: Bool, _ fact: String) -> (Truth, String) { (holds ? .yes : .no, fact) }
        let quotedTitle = f.title.map { " (\"\($0)\")" } ?? ""
        switch self {
        case .seniority(let set):
            guard let seniority = f.seniority else { return (.unknown, "no title") }
            return known(set.contains(seniority), seniority + quotedTitle)
        case .department(let set):
            guard f.title != nil else { return (.unknown, "no title") }
            guard let department = f.department else { return (.unknown, "the title names no department" + quotedTitle) }
            return known(set.contains(department), department + quotedTitle)
        case .titleKeywords(let phrases):
            guard let title = f.foldedTitle else { return (.unknown, "no title") }
            let padded = " " + title + " "
            if let hit = phrases.first(where: { padded.contains(" " + $0 + " ") }) { return (.yes, "\"\(hit)\"" + quotedTitle) }
            return (.no, "none of them" + quotedTitle)
        case .industry(_, let ids):
            guard let label = f.industryLabel else { return (.unknown, "no industry in the list") }
            guard let industry = f.industry else { return (.unknown, "\"\(label)\" is not in the industry table") }
            let holds = ids.contains { Industries.isWithin(industry.id, $0) }
            return known(holds, industry.slug + (Industries.slug(label) == industry.slug ? "" : " (\"\(label)\")"))
        case .employees(let range):
            guard let text = f.employeesText else { return (.unknown, "company size not known") }
            guard let value = f.employees else { return (.unknown, "company size \"\(text)\" is not a number") }
            return known(range.contains(value), text)
        case .revenue(let range):
            guard let text = f.revenueText else { return (.unknown, "revenue not known") }
            guard let value = f.revenue else { return (.unknown, "revenue \"\(text)\" is not a number") }
            return known(range.contains(value), text)
        case .companyCountry(let set):
            guard let country = f.companyCountry else { return (.unknown, "no company or person country") }
            return known(set.contains(country.code), country.explanation)
        case .personCountry(let set):
            guard let country = f.personCountry else { return (.unknown, "no person country") }
            return known(set.contains(country), country)
        case .companyDomain(let domains):
            guard !f.domains.isEmpty else { return (.unknown, "no company domain") }
            if let hit = f.domains.first(where: { d in domains.contains { d == $0 || d.hasSuffix("." + $0) } }) { return (.yes, hit) }
            return (.no, f.domains.joined(separator: ", "))
        case .company(let keys, _):
            guard let company = f.company, let key = f.companyKey else { return (.unknown, "no company") }
            return known(keys.contains(key), company)
        case .email(let classes):
            let have = f.emailClasses.map(\.rawValue).sorted().joined(separator: ", ")
            return known(!classes.isDisjoint(with: f.emailClasses), "e-mail: " + have)
        case .freeMailWithoutCompany(let value):
            let fact = f.freeMailWithoutCompany ? "free-mail only and no company" : f.company == nil ? "no company, not free-mail only" : "has a company"
            return known(f.freeMailWithoutCompany == value, fact)
        case .sourceKind(let kinds):
            let have = f.sourceKinds.map(\.rawValue).sorted().joined(separator: ", ")
            return known(!kinds.isDisjoint(with: f.sourceKinds), have.isEmpty ? "no source kind" : have)
        case .engagement(let min):
            return known(Double(f.engagement) >= min, "engagement \(f.engagement)")
        case .attribute(let name, let values):
            guard let value = f.attributes[name] else { return (.unknown, "no \(name)") }
            return known(values.contains(StringSimilarity.fold(value)), value)
        }
    }
}
