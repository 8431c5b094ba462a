import LeadCore
import Testing

@testable import LeadNormalize

/// Real-world cases, table-driven: at least 30 each for phones, names, titles and companies, the
/// hard ones included (spreadsheet damage, particles, ALL CAPS, abbreviations, foreign legal forms).
@Suite("Normalization tables")
struct NormalizeTableTests {
    static let phones = PhoneNormalizer()

    // MARK: Phones: (raw, default region, expected E.164 or nil, extension, flag expected)

    static let phoneCases: [(String, String?, String?, String?, String?)] = [
        ("+1 (415) 555-0123 ext. 7", nil, "+14155550123", "7", nil),
        ("(415) 555-0123 x12", "US", "+14155550123", "12", nil),
        ("415.555.0123 #204", "US", "+14155550123", "204", nil),
        ("1-800-555-0199", "US", "+18005550199", nil, nil),
        ("+1 416 555 0134", "US", "+14165550134", nil, nil),
        ("020 7946 0018", "GB", "+442079460018", nil, nil),
        ("+44 (0)20 7946 0018", "DE", "+442079460018", nil, nil),
        ("0044 20 7946 0018", "DE", "+442079460018", nil, nil),
        // No country to read it in: 00 is the international prefix, the rest is E.164.
        ("0044 20 7946 0018", nil, "+442079460018", nil, "international-prefix"),
        ("0048 601 234 567", nil, "+48601234567", nil, "international-prefix"),
        ("'+44 20 7946 0018", nil, "+442079460018", nil, "repaired-apostrophe"),
        ("442079460018", "US", "+442079460018", nil, "repaired-plus"),
        ("030 1234567", "DE", "+49301234567", nil, nil),
        ("+49 (0) 30 1234567", nil, "+49301234567", nil, nil),
        ("0151 23456789", "DE", "+4915123456789", nil, nil),
        ("+49 151 2345 6789", "FR", "+4915123456789", nil, nil),
        // German direct dial: "- 11" is part of the dialable number, not an extension.
        ("+49 (0611) 123456 - 11", nil, "+4961112345611", nil, nil),
        ("01 23 45 67 89", "FR", "+33123456789", nil, nil),
        ("+33 6 12 34 56 78", nil, "+33612345678", nil, nil),
        ("+34 612 345 678", nil, "+34612345678", nil, nil),
        ("912 345 678", "ES", "+34912345678", nil, nil),
        ("+39 06 1234 5678", nil, "+390612345678", nil, nil),
        ("+31 10 123 4567", nil, "+31101234567", nil, nil),
        ("+32 470 12 34 56", nil, "+32470123456", nil, nil),
        ("+41 44 668 18 00", nil, "+41446681800", nil, nil),
        ("+43 1 234 5678", nil, "+4312345678", nil, nil),
        ("+46 70 123 45 67", nil, "+46701234567", nil, nil),
        ("+48 12 345 67 89", nil, "+48123456789", nil, nil),
        ("+81 3-1234-5678", nil, "+81312345678", nil, nil),
        ("+61 2 9876 5432", nil, "+61298765432", nil, nil),
        ("+91 98765 43210", nil, "+919876543210", nil, nil),
        ("+55 11 91234-5678", nil, "+5511912345678", nil, nil),
        ("+52 81 1234 5678", nil, "+528112345678", nil, nil),
        ("+353 1 234 5678", nil, "+35312345678", nil, nil),
        ("+234 803 123 4567", nil, "+2348031234567", nil, nil),
        ("+65 6123 4567", nil, "+6561234567", nil, nil),
        ("4.47712E+11", "GB", nil, nil, "excel-scientific"),
        ("not a phone", "US", nil, nil, "invalid"),
        ("020 7946 0018", nil, nil, nil, "no-region"),
        ("12", "US", nil, nil, "invalid"),
    ]

    @Test("phones to E.164 with extensions, repairs and flags", arguments: phoneCases)
    func phone(_ raw: String, _ region: String?, _ e164: String?, _ ext: String?, _ flag: String?) {
        let outcome = Self.phones.normalize(raw, region: region)
        #expect(outcome.e164 == e164, "\(raw)")
        if let ext { #expect(outcome.extension == ext, "\(raw)") }
        if let flag { #expect(outcome.flags.contains(flag), "\(raw): \(outcome.flags)") }
        if e164 != nil { #expect(!outcome.flags.contains("invalid"), "\(raw)") }
    }

    // MARK: Names: (given, family, display) in → (prefix, given, middle, family, suffix) out

    static let nameCases: [(String?, String?, String?, [String?])] = [
        (nil, nil, "García, Ana María", [nil, "Ana", "María", "García", nil]),
        (nil, nil, "Dr. Ann van der Berg PhD", ["Dr.", "Ann", nil, "van der Berg", "PhD"]),
        (nil, nil, "Robert Smith Jr.", [nil, "Robert", nil, "Smith", "Jr."]),
        (nil, nil, "María de la Cruz", [nil, "María", nil, "de la Cruz", nil]),
        (nil, nil, "Jean-Luc Picard", [nil, "Jean-Luc", nil, "Picard", nil]),
        (nil, nil, "Smith, John, MBA", [nil, "John", nil, "Smith", "MBA"]),
        (nil, nil, "Tom Okafor, MBA", [nil, "Tom", nil, "Okafor", "MBA"]),
        (nil, nil, "Prof. Dr. Klaus Schmidt", ["Prof. Dr.", "Klaus", nil, "Schmidt", nil]),
        (nil, nil, "Mr John Doe", ["Mr", "John", nil, "Doe", nil]),
        (nil, nil, "Ludwig van Beethoven", [nil, "Ludwig", nil, "van Beethoven", nil]),
        (nil, nil, "Charles de Gaulle", [nil, "Charles", nil, "de Gaulle", nil]),
        (nil, nil, "Leonardo da Vinci", [nil, "Leonardo", nil, "da Vinci", nil]),
        (nil, nil, "Martin Luther King Jr.", [nil, "Martin", "Luther", "King", "Jr."]),
        (nil, nil, "John Fitzgerald Kennedy", [nil, "John", "Fitzgerald", "Kennedy", nil]),
        (nil, nil, "Henry Ford III", [nil, "Henry", nil, "Ford", "III"]),
        (nil, nil, "Jane Doe, CPA", [nil, "Jane", nil, "Doe", "CPA"]),
        (nil, nil, "O'Brien, Siobhán", [nil, "Siobhán", nil, "O'Brien", nil]),
        (nil, nil, "JOHN MCDONALD", [nil, "John", nil, "McDonald", nil]),
        (nil, nil, "anna-lena müller-lüdenscheidt", [nil, "Anna-Lena", nil, "Müller-Lüdenscheidt", nil]),
        (nil, nil, "Madonna", [nil, "Madonna", nil, nil, nil]),
        ("JOHN", "MCDONALD", nil, [nil, "John", nil, "McDonald", nil]),
        ("siobhán", "o'brien", nil, [nil, "Siobhán", nil, "O'Brien", nil]),
        ("ANN", "VAN DER BERG", nil, [nil, "Ann", nil, "van der Berg", nil]),
        ("jean-luc", "PICARD", nil, [nil, "Jean-Luc", nil, "Picard", nil]),
        ("McKenzie", "deWitt", nil, [nil, "McKenzie", nil, "deWitt", nil]),
        ("ZOË", "FISCHER", nil, [nil, "Zoë", nil, "Fischer", nil]),
        ("josé", "garcía lópez", nil, [nil, "José", nil, "García López", nil]),
        ("MARY-KATE", "O'NEILL", nil, [nil, "Mary-Kate", nil, "O'Neill", nil]),
        ("björn", "åkesson", nil, [nil, "Björn", nil, "Åkesson", nil]),
        ("Ana", "García", nil, [nil, "Ana", nil, "García", nil]),
        ("DIETER", "VON HAGEN", nil, [nil, "Dieter", nil, "von Hagen", nil]),
        ("agnieszka", "wiśniewska", nil, [nil, "Agnieszka", nil, "Wiśniewska", nil]),
        // Pronouns, emoji, nicknames in parentheses and device labels are not part of a name.
        (nil, nil, "Sarah Johnson (She/Her)", [nil, "Sarah", nil, "Johnson", nil]),
        (nil, nil, "Sarah Johnson she/her", [nil, "Sarah", nil, "Johnson", nil]),
        ("Sarah (they/them)", "Johnson", nil, [nil, "Sarah", nil, "Johnson", nil]),
        (nil, nil, "Kate (Katherine Lee)", [nil, "Katherine", nil, "Lee", nil]),
        (nil, nil, "Katherine (Kate) Lee", [nil, "Katherine", nil, "Lee", nil]),
        (nil, nil, "🌸 Mia Wong", [nil, "Mia", nil, "Wong", nil]),
        ("Jonas 👨🏽‍💻", "Berg", nil, [nil, "Jonas", nil, "Berg", nil]),
        (nil, nil, "iPhone", [nil, nil, nil, nil, nil]),
        (nil, nil, "DESKTOP-8Q2M1X", [nil, nil, nil, nil, nil]),
        (nil, nil, "Samsung Galaxy S21", [nil, nil, nil, nil, nil]),
        (nil, nil, "Zoom User", [nil, nil, nil, nil, nil]),
        (nil, nil, "Guest", [nil, nil, nil, nil, nil]),
        // Beside a family name, a camel-cased token is a typo, not a product; a title typed into the
        // given-name column is a prefix.
        ("Emre", "zÖtürk", nil, [nil, "Emre", nil, "zÖtürk", nil]),
        ("Dr Emre", "Öztürk", nil, ["Dr", "Emre", nil, "Öztürk", nil]),
        ("Prof. Ana", "Ruiz", nil, ["Prof.", "Ana", nil, "Ruiz", nil]),
        ("M Ali", "Khan", nil, [nil, "M Ali", nil, "Khan", nil]),
    ]

    @Test("a look-alike letter from another script folds in its own case: a Greek capital Mu is an M", arguments: [
        ("Μinh", "minh"), ("Аlice", "alice"), ("Trần", "tran"), ("Ρetrov", "petrov"),
    ])
    func lookAlikeKeys(_ family: String, _ key: String) {
        #expect(NameNormalizer.keys(PersonName(given: "Ana", family: family))["name.family.key"] == key)
    }

    @Test("swapped fields with a look-alike letter: \"Trần Μinh\" and \"Minh Tran\" share their name keys")
    func swappedLookAlike() {
        var a = PersonName(given: "Trần", family: "Μinh"), b = PersonName(given: "Minh", family: "Tran")
        _ = NameNormalizer.normalize(&a)
        _ = NameNormalizer.normalize(&b)
        let ka = NameNormalizer.keys(a), kb = NameNormalizer.keys(b)
        #expect(Set([ka["name.given.key"], ka["name.family.key"]]) == Set([kb["name.given.key"], kb["name.family.key"]]))
        #expect(Set([ka["name.given.key"], ka["name.family.key"]]) == ["minh", "tran"])
    }

    @Test("names split and proper-cased", arguments: nameCases)
    func name(_ given: String?, _ family: String?, _ display: String?, _ expected: [String?]) {
        var name = PersonName(given: given, family: family, display: display)
        _ = NameNormalizer.normalize(&name)
        let got = [name.prefix, name.given, name.middle, name.family, name.suffix]
        #expect(got == expected, "\(display ?? "\(given ?? "") \(family ?? "")")")
    }

    @Test("nickname-aware keys: the nickname and the full name share a key", arguments: [
        ("Bob", "Robert"), ("Bill", "William"), ("Liz", "Elizabeth"), ("Kate", "Katherine"), ("Jim", "James"),
        ("Pepe", "José"), ("Paco", "Francisco"), ("Sasha", "Alexander"), ("Hans", "Johannes"),
    ])
    func nicknames(_ nickname: String, _ full: String) {
        let a = NameNormalizer.keys(PersonName(given: nickname, family: "Stone"))
        let b = NameNormalizer.keys(PersonName(given: full, family: "Stone"))
        #expect(a["name.given.canonical"] != nil && a["name.given.canonical"] == b["name.given.canonical"], "\(nickname)/\(full): \(a) \(b)")
    }

    // MARK: Titles: (title, seniority, department)

    static let titleCases: [(String, String, String?)] = [
        ("VP Mktg", "vp", "marketing"), ("CMO", "c-level", "marketing"), ("Head of Demand Gen", "head", "marketing"),
        ("Directeur commercial", "director", "sales"), ("Geschäftsführer", "c-level", "executive"),
        ("Marketing Intern", "student", "marketing"), ("Co-Founder & CEO", "owner", "executive"),
        ("Senior Software Engineer", "individual", "engineering"), ("Vice President of Sales", "vp", "sales"),
        ("Leiter Vertrieb", "head", "sales"), ("Marketing Manager", "manager", "marketing"),
        ("Chief Financial Officer", "c-level", "finance"), ("Werkstudent Marketing", "student", "marketing"),
        ("Responsable des ressources humaines", "head", "hr"), ("Director de Ventas", "director", "sales"),
        ("Chief Marketing Officer", "c-level", "marketing"), ("CTO", "c-level", "engineering"),
        ("CFO", "c-level", "finance"), ("CRO", "c-level", "sales"), ("SVP, Global Marketing", "vp", "marketing"),
        ("EVP Sales", "vp", "sales"), ("Founder", "owner", nil), ("Owner", "owner", nil),
        ("Director of Engineering", "director", "engineering"), ("Head of People", "head", "hr"),
        ("HR Business Partner", "individual", "hr"), ("Sales Development Representative", "individual", "sales"),
        ("Account Executive", "individual", "sales"), ("Demand Generation Manager", "manager", "marketing"),
        ("Directrice marketing", "director", "marketing"), ("Directora de Marketing", "director", "marketing"),
        ("Leiterin Marketing", "head", "marketing"), ("IT Manager", "manager", "it"),
        ("Operations Manager", "manager", "operations"), ("Controller", "individual", "finance"),
        ("Growth Marketing Lead", "manager", "marketing"), ("Student", "student", nil),
    ]

    @Test("titles to seniority and department, in several languages", arguments: titleCases)
    func title(_ title: String, _ seniority: String, _ department: String?) throws {
        let result = try #require(TitleClassifier.classify(title), "\(title)")
        #expect(result.seniority.rawValue == seniority, "\(title): \(result.seniorityRule)")
        #expect(result.seniorityRule.contains("→"), "the deciding rule is kept for explanations")
        if let department { #expect(result.department == department, "\(title): \(result.departmentRule ?? "-")") }
    }

    // MARK: Companies: (name, key)

    static let companyCases: [(String, String)] = [
        ("The Acme Company, Inc.", "acme"), ("Müller & Söhne GmbH & Co. KG", "muller sohne"), ("Bauwerk Sp. z o.o.", "bauwerk"),
        ("Tata Consultancy Services Pvt. Ltd.", "tata consultancy services"), ("ACME S.A.", "acme"), ("Northwind B.V.", "northwind"),
        ("Lumière SAS", "lumiere"), ("Procter & Gamble", "procter gamble"), ("Acme Soft S.L.", "acme soft"),
        ("Sakura K.K.", "sakura"), ("Adriatic d.o.o.", "adriatic"), ("Globex Pty Ltd", "globex"),
        ("Acme, Inc.", "acme"), ("Acme Inc", "acme"), ("ACME INCORPORATED", "acme"), ("Acme LLC", "acme"),
        ("Acme L.L.C.", "acme"), ("Acme Ltd.", "acme"), ("Acme Limited", "acme"), ("Acme Corp.", "acme"),
        ("Acme Corporation", "acme"), ("Acme plc", "acme"), ("Acme AG", "acme"), ("Acme GmbH", "acme"),
        ("Acme S.p.A.", "acme"), ("Acme S.r.l.", "acme"), ("Acme SARL", "acme"), ("Acme N.V.", "acme"),
        ("Acme AB", "acme"), ("Acme Oy", "acme"), ("Acme A/S", "acme"), ("Acme AS", "acme"),
        ("Acme S.A. de C.V.", "acme"), ("Acme Lda", "acme"), ("Acme Ltda.", "acme"), ("Acme Pte. Ltd.", "acme"),
        ("Acme & Partners", "acme partners"), ("Acme and Partners", "acme partners"), ("The Globex Company, LLC", "globex"),
        ("Ruiz Consulting S.A. de C.V.", "ruiz consulting"), ("Kontor IT GmbH", "kontor it"),
    ]

    @Test("company comparison keys without legal forms", arguments: companyCases)
    func company(_ name: String, _ key: String) {
        #expect(CompanyNormalizer.key(name) == key, "\(name)")
    }
}
