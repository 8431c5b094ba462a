import Foundation
import LeadCore

/// Seniority and department from free-text job titles, in several languages, with the rule that
/// decided each (for explanations).
///
/// Hand-written rules: no library classifies job titles; the rules are data (phrase lists) matched on
/// the folded title's words, in priority order, so "Vice President" is a VP before "President" is a CEO.
public enum TitleClassifier {
    public enum Seniority: String, Sendable, CaseIterable {
        case owner, cLevel = "c-level", vp, director, head, manager, individual, student
    }

    public struct Result: Sendable, Hashable {
        public var seniority: Seniority
        public var seniorityRule: String
        public var department: String?
        public var departmentRule: String?
    }

    static let seniorityRules: [(Seniority, [String])] = [
        (.student, ["student", "intern", "internship", "trainee", "praktikant", "praktikantin", "werkstudent",
                    "werkstudentin", "working student", "stagiaire", "alternant", "apprentice", "azubi", "becario",
                    "becaria", "estagiario", "tirocinante", "graduate student", "phd student"]),
        (.owner, ["founder", "co founder", "cofounder", "owner", "co owner", "proprietor", "inhaber", "inhaberin", "grunder",
                  "grunderin", "fondateur", "fondatrice", "fundador", "fundadora", "fondatore", "managing partner",
                  "founding partner"]),
        (.vp, ["vp", "svp", "evp", "avp", "vice president", "vicepresident", "vice presidente", "vicepresidente",
               "vizeprasident", "vice presidente", "senior vice president", "executive vice president"]),
        (.cLevel, ["ceo", "cfo", "cto", "cmo", "coo", "cio", "cro", "cso", "cpo", "chro", "cdo", "cco", "cxo", "ciso",
                   "chief", "president", "presidente", "prasident", "geschaftsfuhrer", "geschaftsfuhrerin",
                   "managing director", "directeur general", "directrice generale", "director general", "directora general",
                   "pdg", "gerant", "gerente general", "amministratore delegato", "vorstand", "vorstandsvorsitzender",
                   "executive director", "general manager"]),
        (.director, ["director", "directora", "directeur", "directrice", "direktor", "direktorin", "direttore", "diretor",
                     "principal"]),
        // "Head of ...", "Leiter ...", "Responsable ...": the person who runs a function, below a director.
        (.head, ["head", "leiter", "leiterin", "bereichsleiter", "bereichsleiterin", "abteilungsleiter", "abteilungsleiterin",
                 "responsable", "jefe", "jefa", "hoofd", "capo"]),
        (.manager, ["manager", "managerin", "mgr", "lead", "team lead", "teamleiter", "teamleiterin", "supervisor",
                    "gerente", "chef", "coordinator", "koordinator", "gestionnaire", "responsabile"]),
    ]

    static let departmentRules: [(String, [String])] = [
        ("marketing", ["cmo", "marketing", "mktg", "mkt", "demand gen", "demand generation", "growth", "brand", "content",
                       "communications", "comms", "pr", "seo", "sem", "digital marketing", "product marketing",
                       "kommunikation", "mercadotecnia", "mercadeo", "campaign", "campaigns", "events"]),
        ("sales", ["cro", "sales", "vertrieb", "commercial", "commerciale", "comercial", "ventas", "vendas", "ventes",
                   "business development", "bizdev", "bd", "account executive", "account manager", "revenue",
                   "key account", "verkauf", "partnerships", "channel"]),
        ("finance", ["cfo", "finance", "financial", "finanzen", "finanzas", "finances", "accounting", "accountant",
                     "controller", "controlling", "treasury", "comptable", "comptabilite", "buchhaltung", "tax", "audit"]),
        ("engineering", ["cto", "engineering", "engineer", "developer", "software", "technology", "tech", "entwicklung",
                         "entwickler", "ingenieur", "ingeniero", "devops", "r d", "rd", "technical", "architect",
                         "programmer", "data", "platform"]),
        ("it", ["cio", "ciso", "it", "information technology", "systems", "infrastructure", "informatique", "security",
                "network", "sysadmin", "edv"]),
        ("hr", ["chro", "hr", "human resources", "people", "talent", "recruiting", "recruiter", "recruitment", "personal",
                "personalwesen", "ressources humaines", "rrhh", "recursos humanos", "hiring"]),
        ("operations", ["coo", "operations", "ops", "supply chain", "logistics", "procurement", "purchasing", "einkauf",
                        "operaciones", "logistik", "facilities"]),
        ("product", ["cpo", "product", "produkt", "produit", "producto", "ux", "design"]),
        ("legal", ["legal", "counsel", "lawyer", "attorney", "compliance", "jurist", "juriste", "abogado", "recht"]),
        ("customer-success", ["customer success", "customer service", "support", "customer experience", "cx"]),
        ("executive", ["ceo", "founder", "cofounder", "co founder", "owner", "geschaftsfuhrer", "managing director",
                       "president", "general manager", "directeur general", "pdg", "inhaber", "gerant"]),
    ]

    /// The canonical departments, in rule order.
    public static let departments = departmentRules.map(\.0)

    /// A rule list compiled once: phrases as word sequences, indexed by their first word.
    struct Compiled<Value: Sendable>: Sendable {
        var byFirstWord: [Substring: [(words: [Substring], phrase: String, rank: Int, value: Value)]] = [:]

        init(_ rules: [(Value, [String])]) {
            for (rank, (value, phrases)) in rules.enumerated() {
                for phrase in phrases {
                    let words = phrase.split(separator: " ")
                    byFirstWord[words[0], default: []].append((words, phrase, rank, value))
                }
            }
        }

        /// The matching rule with the lowest rank (earliest in the list), and its phrase.
        func firstMatch(in words: [Substring]) -> (phrase: String, value: Value)? {
            var best: (rank: Int, phrase: String, value: Value)?
            for (index, word) in words.enumerated() {
                guard let candidates = byFirstWord[word] else { continue }
                for candidate in candidates where best == nil || candidate.rank < best!.rank {
                    let end = index + candidate.words.count
                    if end <= words.count && words[index..<end].elementsEqual(candidate.words) {
                        best = (candidate.rank, candidate.phrase, candidate.value)
                    }
                }
            }
            return best.map { ($0.phrase, $0.value) }
        }
    }

    static let compiledSeniority = Compiled(seniorityRules)
    static let compiledDepartments = Compiled(departmentRules)

    /// Classifies a title; nil when it is empty.
    public static func classify(_ title: String) -> Result? {
        let folded = StringSimilarity.fold(title.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "&", with: " "))
        guard !folded.isEmpty else { return nil }
        let words = folded.split(separator: " ")
        var result = Result(seniority: .individual, seniorityRule: "no seniority word → individual")
        if let (phrase, level) = compiledSeniority.firstMatch(in: words) {
            result.seniority = level
            result.seniorityRule = "\"\(phrase)\" → \(level.rawValue)"
        }
        // "chief" alone is C-level only in "chief ... officer" or at the start ("Chief Revenue Officer").
        if result.seniority == .cLevel, result.seniorityRule.hasPrefix("\"chief\""), !words.contains("officer"), words.first != "chief" {
            result.seniority = .director
            result.seniorityRule = "\"chief\" without \"officer\" → director"
        }
        if let (phrase, department) = compiledDepartments.firstMatch(in: words) {
            result.department = department
            result.departmentRule = "\"\(phrase)\" → \(department)"
        }
        // A founder or owner with no function named runs the company ("Fondateur", "Co-Founder"):
        // the seniority implies the department, in every language its phrases cover.
        if result.department == nil, result.seniority == .owner {
            result.department = "executive"
            result.departmentRule = "owner without a function → executive"
        }
        return result
    }
}
