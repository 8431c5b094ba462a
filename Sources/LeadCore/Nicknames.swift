/// Nicknames and short forms → the canonical given name, in several languages, and role-account
/// local parts. Data, shipped with the code; both normalization and matching read it.
public enum Nicknames {
    /// canonical name → its nicknames and variants (folded: lower case, no accents).
    static let groups: [String: [String]] = [
        "robert": ["bob", "bobby", "rob", "robbie", "robby", "bert"],
        "william": ["bill", "billy", "will", "willy", "liam"],
        "elizabeth": ["liz", "lizzie", "beth", "betty", "betsy", "eliza", "lisa", "elisabeth", "elsa", "ilse"],
        "katherine": ["kate", "katie", "kathy", "kat", "catherine", "kathryn", "katharina", "kathrin", "catalina", "caterina"],
        "james": ["jim", "jimmy", "jamie"], "michael": ["mike", "mikey", "mick", "micha", "michel", "miguel", "michele"],
        "thomas": ["tom", "tommy", "thom", "tomas"], "david": ["dave", "davey"], "daniel": ["dan", "danny", "dani"],
        "joseph": ["joe", "joey", "jose", "josef", "giuseppe", "sepp", "pepe", "beppe"],
        "christopher": ["chris", "kit", "christoph", "cristobal"], "nicholas": ["nick", "nicky", "nico", "nicolas", "klaus", "nikolaus"],
        "alexander": ["alex", "sasha", "sascha", "alejandro", "alessandro", "xander", "sandro"],
        "andrew": ["andy", "drew", "andreas", "andres", "andrea", "andre"], "anthony": ["tony", "antonio", "anton", "toni"],
        "steven": ["steve", "stephen", "stefan", "esteban", "stevie"], "matthew": ["matt", "matthias", "mateo", "matteo", "mathieu"],
        "patrick": ["pat", "paddy", "patricio"], "margaret": ["maggie", "meg", "peggy", "marge", "margarete", "greta", "margarita"],
        "jennifer": ["jen", "jenny", "jenn"], "samuel": ["sam", "sammy"], "benjamin": ["ben", "benny", "benji"],
        "edward": ["ed", "eddie", "ted", "teddy", "eduardo", "edouard"], "richard": ["rick", "ricky", "rich", "dick", "ricardo", "riccardo"],
        "gregory": ["greg"], "jonathan": ["jon", "jonny"], "joshua": ["josh"], "susan": ["sue", "suzy", "susanne", "susana"],
        "francisco": ["paco", "pancho", "frank", "francis", "franz", "francois", "francesco"],
        "ignacio": ["nacho"], "dolores": ["lola"], "johann": ["hans", "hansi", "johannes", "jan", "john", "johnny", "jack", "juan", "giovanni", "jean", "ivan"],
        "mikhail": ["misha"], "dmitry": ["dima", "dmitri"], "nikolai": ["kolya"], "alexandra": ["alex", "sandra", "sasha", "alexa"],
        "victoria": ["vicky", "tori"], "rebecca": ["becky", "becca"], "deborah": ["debbie", "deb"], "barbara": ["barb", "babs"],
        "jacqueline": ["jackie"], "christine": ["chris", "christina", "kristina", "tina"], "theodore": ["ted", "theo"],
        "frederick": ["fred", "freddy", "friedrich", "fritz", "federico"], "charles": ["charlie", "chuck", "carlos", "karl", "carl", "carlo"],
        "henry": ["harry", "hank", "heinrich", "enrique", "enrico", "henri"], "lawrence": ["larry", "lorenzo"],
        "timothy": ["tim", "timmy"], "kenneth": ["ken", "kenny"], "ronald": ["ron", "ronnie"], "donald": ["don", "donnie"],
        "peter": ["pete", "pedro", "pierre", "pietro", "piotr"], "paul": ["pablo", "paolo", "pavel"],
        "wolfgang": ["wolf"], "guillermo": ["memo", "guille"], "manuel": ["manolo", "manu"], "dorothy": ["dot", "dottie"],
    ]

    static let table: [String: String] = {
        var table: [String: String] = [:]
        // Sorted, so a variant shared by two names ("sasha": Alexander and Alexandra) maps to the same
        // canonical name in every process (dictionary order changes from run to run).
        for canonical in groups.keys.sorted() {
            for variant in groups[canonical]! where table[variant] == nil { table[variant] = canonical }
        }
        return table
    }()

    /// The canonical form of a folded given name ("bob" → "robert"); the name itself when unknown.
    public static func canonical(_ given: String) -> String { table[given] ?? given }

    /// True when the folded name is a known given name or nickname.
    public static func isKnownGivenName(_ folded: String) -> Bool { table[folded] != nil || groups[folded] != nil }

    static let roles: Set<String> = [
        "info", "sales", "team", "contact", "hello", "admin", "support", "office", "marketing", "hr", "jobs", "careers",
        "billing", "accounts", "enquiries", "inquiries", "help", "noreply", "no-reply", "webmaster", "press", "media",
        "events", "service", "mail", "kontakt", "bonjour", "hola", "post", "postmaster", "abuse", "security", "privacy",
        "legal", "finance", "invoices", "orders", "newsletter", "partners", "reception", "welcome", "general",
    ]

    /// True for shared inboxes such as `info@` or `sales@`.
    public static func isRoleLocalPart(_ email: String) -> Bool {
        let local = email.split(separator: "@").first.map { $0.split(separator: "+").first ?? $0 } ?? Substring(email)
        return roles.contains(String(local))
    }
}
