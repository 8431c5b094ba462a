import Foundation
import LeadCore
@testable import LeadMatch
import LeadNormalize
import Testing

/// Classes of errors seen on real exports (issue 16), each a small case with the exact level the
/// comparison must give, on records normalized as an import normalizes them.
@Suite("Real-export classes: phones and names")
struct RealExportClassTests {
    let comparator = Comparator(model: .builtIn)

    func record(_ display: String? = nil, given: String? = nil, family: String? = nil, phone: String? = nil, country: String? = nil) -> LeadRecord {
        Normalizer().normalize(LeadRecord(
            name: PersonName(given: given, family: family, display: display), phones: phone.map { [PhoneNumber(raw: $0)] } ?? [],
            location: Location(country: country), source: LeadSource(name: "t", kind: .other),
            provenance: Provenance(fileName: "t.csv", filePath: "t.csv", fileSHA256: "", record: 1, line: 2, importer: "csv"))).0
    }

    func level(_ a: LeadRecord, _ b: LeadRecord, _ field: String) -> String? {
        comparator.compare(MatchProfile(record: a), MatchProfile(record: b)).fields.first { $0.field == field }?.level
    }

    @Test("numbers of two countries never agree by their last digits; a number with no country agrees with its E.164 form", arguments: [
        // (phone, country, other phone, other country, level)
        ("+44 20 7946 0958", nil, "+1 207 946 0958", nil, "differ"),
        ("020 7946 0958", "United Kingdom", "+1 207 946 0958", nil, "differ"),
        ("020 7946 0958", "United Kingdom", "+44 20 7946 0958", nil, "exact"),
        ("0151 23456789", "Germany", "+49 151 23456789", "France", "exact"),
        // No country to read the national form in: its last nine digits decide.
        ("(020) 7946-0958", nil, "+44 20 7946 0958", nil, "exact"),
        ("040 6120 3344 x118", "Germany", "+49 40 6120 3344 ext. 245", nil, "differ"),
        ("040 6120 3344 x118", "Germany", "+49 40 6120 3344 ext. 118", nil, "exact"),
        // The same national digits in two records whose country columns differ (the person's, not
        // the number's): one line, though the two countries make two E.164 numbers of it.
        ("07 46 89 03 43", "France", "07 46 89 03 43", "Germany", "exact"),
        ("(312) 918-5840", "United States", "(312) 918-5840", "Brazil", "exact"),
        // Written internationally, two countries' numbers stay two.
        ("+33 7 46 89 03 43", nil, "+49 746 890343", nil, "differ"),
    ] as [(String, String?, String, String?, String)])
    func phones(_ a: String, _ countryA: String?, _ b: String, _ countryB: String?, _ expected: String) {
        #expect(level(record(given: "Ana", family: "Ruiz", phone: a, country: countryA), record(given: "Ana", family: "Ruiz", phone: b, country: countryB), "phone") == expected)
    }

    @Test("the blocking key of a number is its last nine digits, the same in any spelling")
    func phoneKeys() {
        let national = MatchProfile(record: record(given: "Ana", family: "Ruiz", phone: "(020) 7946-0958"))
        let international = MatchProfile(record: record(given: "Ana", family: "Ruiz", phone: "+44 20 7946 0958"))
        #expect(national.phones == ["~02079460958"])
        #expect(international.phones == ["+442079460958"])
        #expect(national.phones.map(MatchProfile.phoneKey) == ["079460958"])
        #expect(international.phones.map(MatchProfile.phoneKey) == ["079460958"])
        let read = MatchProfile(record: record(given: "Ana", family: "Ruiz", phone: "020 7946 0958", country: "United Kingdom"))
        #expect(read.phones == ["+442079460958", "#02079460958"])
        #expect(Set(read.phones.map(MatchProfile.phoneKey)) == ["079460958"])
    }

    @Test("pronouns, emoji, a nickname in parentheses and a look-alike letter do not make another name", arguments: [
        ("Sarah Johnson (She/Her)", "Sarah Johnson", "exact"),
        ("Kate (Katherine Lee)", "Katherine Lee", "exact"),
        ("🌸 Mia Wong", "Mia Wong", "exact"),
        ("Jonas Berg | he/him", "Jonas Berg", "exact"),
        ("Trần Μinh", "Minh Tran", "swapped"),
        ("Аlice Keller", "Alice Keller", "exact"),
    ])
    func names(_ a: String, _ b: String, _ expected: String) {
        #expect(level(record(a), record(b), "name") == expected)
    }

    @Test("one profile URL, one key: www, country and mobile subdomains, locale paths, sub-pages, slashes, escapes", arguments: [
        "https://www.linkedin.com/in/ana-garcía/", "http://de.linkedin.com/in/ana-garc%C3%ADa", "linkedin.com/in/Ana-García/en",
        "https://m.linkedin.com/in/ana-garcía?trk=public_profile", "https://www.linkedin.com/in/ana-garcía/details/experience/",
        "LinkedIn.com/in/ana-garcía#top",
    ])
    func profileKeys(_ url: String) {
        #expect(MatchProfile.socialKey(url) == "linkedin.com/in/ana-garcía")
    }

    @Test("other networks: twitter.com is x.com, one path segment is the profile; other sites keep their path", arguments: [
        ("https://twitter.com/anagarcia", "x.com/anagarcia"), ("x.com/AnaGarcia/status/123", "x.com/anagarcia"),
        ("https://www.xing.com/profile/Ana_Garcia/cv", "xing.com/profile/ana_garcia"), ("https://github.com/anag/", "github.com/anag"),
        ("https://example.com/team/ana", "example.com/team/ana"),
    ])
    func otherProfileKeys(_ url: String, _ key: String) {
        #expect(MatchProfile.socialKey(url) == key)
    }

    @Test("a device label is no name: two attendees both shown as \"iPhone\" are not matched by it")
    func deviceNames() {
        let a = record("iPhone"), b = record("iPhone")
        #expect(a.name.isEmpty)
        #expect(level(a, b, "name") == nil)
        #expect(record("DESKTOP-8Q2M1X").derived["name.flags"] == "not-a-name")
    }
}

/// What goes to the review queue: pairs a person can decide, few enough to work through in a day.
@Suite("Review load")
struct ReviewLoadTests {
    static func comparison(_ fields: [(String, String, Double)], veto: String?, probability: Double = 0.99) -> Comparison {
        Comparison(
            fields: fields.map { FieldComparison(field: $0.0, level: $0.1, weight: $0.2, detail: "") }, priorWeight: -10,
            totalWeight: fields.reduce(0) { $0 + $1.2 }, probability: probability, veto: veto, rule: nil)
    }

    @Test("doubtful weights, an identifier behind a name conflict, or a namesake with two more facts agreeing go to review; nothing else", arguments: [
        ([("name", "fuzzy", 7.9), ("company", "differ", -2.0)], nil as String?, 0.9, true),
        ([("name", "fuzzy", 7.9)], nil, 0.2, false),
        ([("name", "given-only", -1.6), ("phone", "exact", 11.4)], "names conflict", 0.99, true),
        ([("name", "given-only", -1.6), ("company", "exact", 6.0), ("phone", "shared", 1.3)], "names conflict", 0.99, false),
        ([("name", "exact", 12.5), ("title", "exact", 4.3), ("location", "city", 3.6)], "only the name agrees", 1.0, true),
        ([("name", "exact", 12.5), ("location", "city", 3.6), ("email", "differ", -2.3)], "only the name agrees", 1.0, false),
        ([("name", "exact", 12.5), ("social", "differ", -5.0)], "different profile URLs", 0.9, false),
    ] as [([(String, String, Double)], String?, Double, Bool)])
    func gate(_ fields: [(String, String, Double)], _ veto: String?, _ probability: Double, _ expected: Bool) {
        #expect(BatchMatcher.worthReview(Self.comparison(fields, veto: veto, probability: probability), reviewThreshold: 0.5) == expected)
    }
}
