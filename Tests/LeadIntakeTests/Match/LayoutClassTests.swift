import Foundation
import LeadCore
@testable import LeadMatch
import LeadNormalize
import Testing

/// Missed merges seen when one batch holds every export layout (`scripts/gen-bench-leads --layouts`):
/// each a small case, normalized as an import normalizes it, with the exact level or key expected.
@Suite("Real-export classes: across layouts")
struct LayoutClassTests {
    let comparator = Comparator(model: .builtIn)

    func record(given: String? = nil, family: String? = nil, email: String? = nil, company: String? = nil, title: String? = nil) -> LeadRecord {
        Normalizer().normalize(LeadRecord(
            name: PersonName(given: given, family: family), emails: email.map { [EmailAddress(raw: $0)] } ?? [], company: company, title: title,
            source: LeadSource(name: "t", kind: .other),
            provenance: Provenance(fileName: "t.csv", filePath: "t.csv", fileSHA256: "", record: 1, line: 2, importer: "csv"))).0
    }

    func comparison(_ a: LeadRecord, _ b: LeadRecord) -> Comparison {
        comparator.compare(MatchProfile(record: a), MatchProfile(record: b))
    }

    func level(_ a: LeadRecord, _ b: LeadRecord, _ field: String) -> String? {
        comparison(a, b).fields.first { $0.field == field }?.level
    }

    @Test("names swapped and abbreviated or misspelled in one list are one name; a second family name dropped is a spelling", arguments: [
        ("Kamigashima", "T.", "Takashi", "Kamigashima", "swapped"),
        ("Stowalcott", "Adam", "Adam", "Stowalcot", "swapped"),
        // A given name of two words, swapped whole.
        ("Al-Maridi", "Nasser", "Nasser", "Al-Maridi", "swapped"), ("Gallaino", "Ana María", "Ana María", "Gallaino", "swapped"),
        ("Laura", "Rojas García", "Laura", "Rojas", "fuzzy"),
        ("Juliana", "Reserela", "Juliana", "Reserela Freitas", "fuzzy"),
        // Not a dropped surname: the words differ.
        ("Laura", "Rojas García", "Laura", "Gómez", "given-only"),
    ])
    func names(_ givenA: String, _ familyA: String, _ givenB: String, _ familyB: String, _ expected: String) {
        #expect(level(record(given: givenA, family: familyA), record(given: givenB, family: familyB), "name") == expected)
    }

    @Test("a short first name beside an address that spells the full name is that name; without it, another person")
    func givenNameInMail() {
        let short = record(given: "Ash", family: "Sundayakarni", email: "aishwarya.sundayakarni@noraraify.in")
        let full = record(given: "Aishwarya", family: "Sundayakarni", company: "Noraraify Exports Limited")
        #expect(level(short, full, "name") == "fuzzy")
        let other = record(given: "Ravi", family: "Sundayakarni", email: "ravi.s@noraraify.in")
        #expect(level(other, full, "name") == "family-only")
    }

    @Test("a lead that also holds a record with no given name still conflicts with another given name")
    func givenNameMissingInLead() {
        var lead = MatchProfile(record: record(given: "Radhika", family: "Sharma", company: "Velsphere Infra"))
        lead.names.append(MatchProfile.Name(given: "", canonicalGiven: "", family: "sharma"))
        let other = MatchProfile(record: record(given: "Suresh", family: "Sharma", company: "Velsphere Infra"))
        #expect(comparator.compare(lead, other).fields.first { $0.field == "name" }?.level == "family-only")
        #expect(comparator.compare(lead, other).veto == "names conflict")
    }

    @Test("an address that spells the full name also bridges a dropped second family name beside a short first name")
    func givenNameInMailWithSecondFamilyName() {
        let short = record(given: "Guto", family: "Resaes Taverinho", email: "gustavoresaes@thadeo.com")
        let full = record(given: "Gustavo", family: "Resães", company: "Thadeo FZ-LLC")
        #expect(level(short, full, "name") == "fuzzy")
        #expect(level(record(given: "Guto", family: "Lima", email: "gustavoresaes@thadeo.com"), full, "name") == "differ")
    }

    @Test("a company column holding the company's domain is a domain", arguments: [
        ("evus.it", "evus.it"), ("www.Acme.co.uk", "acme.co.uk"), ("Amazon.com", "amazon.com"),
        ("S.A.", nil), ("Acme Inc.", nil), ("Ltd.", nil), ("info@acme.com", nil), ("acme.123", nil),
    ] as [(String, String?)])
    func companyAsDomain(_ company: String, _ domain: String?) {
        #expect(MatchProfile.bareDomain(company) == domain)
    }

    @Test("one of two family names, with no given name, is not the person: Silva is not Raquel Santos Silva")
    func familyWordAlone() {
        #expect(level(record(family: "Silva"), record(given: "Raquel", family: "Santos Silva"), "name") == "differ")
    }

    @Test("one name's mailboxes numbered apart at one domain are two namesakes, kept apart")
    func numberedMailboxes() {
        let a = record(given: "Anil", family: "Patel", email: "anil.patel@novapointora.in", company: "Novapointora Infotech", title: "PM")
        let b = record(given: "Anil", family: "Patel", email: "anil.patel2@novapointora.in", company: "Novapointora Infotech", title: "PM")
        #expect(level(a, b, "email") == "colleague")
        #expect(comparison(a, b).veto == "namesakes at one employer (numbered mailboxes)")
    }

    @Test("a +tag is a sub-address at any domain (RFC 5233), not another mailbox")
    func subAddress() {
        #expect(EmailRules.key("d.transka+leads@infoexlogistyka.pl") == "d.transka@infoexlogistyka.pl")
        #expect(EmailRules.key("+tag@example.com") == "+tag@example.com")
        let a = record(given: "Danuta", family: "Trańska", email: "d.transka@infoexlogistyka.pl")
        let b = record(given: "Trańska", family: "Danuta", email: "d.transka+leads@infoexlogistyka.pl")
        #expect(level(a, b, "email") == "exact")
        #expect(comparison(a, b).veto == nil)
    }

    @Test("two mailboxes made of one name at one domain are aliases; made of two names, colleagues")
    func aliases() {
        let a = record(given: "Daniel", family: "Nyelholm", email: "daniel.nyelholm@andersson.se")
        let b = record(given: "Daniel", family: "Nyelholm", email: "d.nyelholm@andersson.se")
        // A nickname, and another pattern with the family name.
        let c = record(given: "Bill", family: "Brookdleridge", email: "brookdleridge.w@softtronic.com")
        let d = record(given: "William", family: "Brookdleridge", email: "w.brookdleridge@softtronic.com")
        // The given name alone is anyone's of that name: colleagues.
        let e = record(given: "William", family: "Brookdleridge", email: "william@softtronic.com")
        let colleague = record(given: "Daniel", family: "Berg", email: "d.berg@andersson.se")
        #expect(level(a, b, "email") == "alias")
        #expect(level(c, d, "email") == "alias")
        #expect(level(a, colleague, "email") == "colleague")
        #expect(level(d, e, "email") == "colleague")
        #expect(level(record(given: "Ana", family: "Keller", email: "ana.keller@acme.com"), record(given: "Ana", family: "Keller", email: "ana.keller2@acme.com"), "email") == "colleague")
        #expect(comparison(a, b).veto == nil)
        #expect(comparison(a, b).probability >= 0.95)
        #expect(comparison(a, colleague).veto == "names conflict")
    }

    @Test("a legal form written out is the legal form", arguments: [
        ("Telwaveora Limited Liability Company", "Telwaveora LLC"), ("Wynlogic Aktieselskab", "Wynlogic A/S"),
        ("Fynnova Besloten Vennootschap", "Fynnova B.V."), ("Kontor IT Gesellschaft mit beschränkter Haftung", "Kontor IT GmbH"),
        ("Xenstone Sociedad Anónima", "Xenstone S.A."), ("Chmura Spółka z ograniczoną odpowiedzialnością", "Chmura Sp. z o.o."),
        ("Logiflow Società per azioni", "Logiflow S.p.A."), ("Vora Soluciones Sociedad Anónima de Capital Variable", "Vora Soluciones S.A. de C.V."),
    ])
    func legalForms(_ long: String, _ short: String) {
        #expect(CompanyNormalizer.key(long) == CompanyNormalizer.key(short))
        #expect(!CompanyNormalizer.key(long).isEmpty)
    }

    @Test("a domain of the brand alone, or of the name with its descriptor, is the company's", arguments: [
        ("Paxlight Properties", "minbin.wang@paxlight.com", "domain"),
        ("Delsson Holdings Ltd", "mklanczyk@delssonholdings.ie", "domain"),
        ("Vora Soluciones S.A. de C.V.", "bferceonte@vorasoluciones.com.mx", "domain"),
        // Four letters are too few to say the domain starts with the brand: no company comparison.
        ("Acme", "j.wang@acmetrading.com", nil),
    ] as [(String, String, String?)])
    func companyDomain(_ company: String, _ email: String, _ expected: String?) {
        let a = record(given: "Minbin", family: "Wang", company: company)
        let b = record(given: "Minbin", family: "Wang", email: email)
        #expect(level(a, b, "company") == expected)
    }

    @Test("the family name with the employer's brand is a blocking key however the brand is written")
    func brandKeys() {
        let matcher = ProbabilisticMatcher()
        func brands(_ r: LeadRecord) -> Set<String> {
            Set(matcher.keys(for: Lead(record: r)).filter { $0.kind == "name-brand" }.map(\.value))
        }
        let named = brands(record(given: "Sameer", family: "Singh", company: "Paxlight Properties"))
        let domain = brands(record(given: "Sameer", family: "Singh", email: "sameer.singh@paxlight.com"))
        #expect(named == ["singh|paxlightproperties", "singh|paxlight"])
        #expect(domain == ["singh|paxlight"])
        #expect(BatchMatcher.selectiveKinds.contains("name-brand"))
    }
}

@Suite("Real-export classes: credentials in the family column")
struct CredentialTests {
    @Test("a credential after the family name, with or without a comma, is a suffix", arguments: [
        ("Kumar, P.Eng.", "Kumar", "P.Eng."), ("Díaz Rodríguez MBA", "Díaz Rodríguez", "MBA"), ("cooper Jr.", "Cooper", "Jr."),
        ("Keller PhD", "Keller", "PhD"),
        // A family name that is also a suffix stays, unless written as a credential.
        ("Lin Ma", "Lin Ma", nil), ("Chen MD", "Chen", "MD"), ("WANG MA", "Wang Ma", nil),
    ] as [(String, String, String?)])
    func suffixes(_ family: String, _ expected: String, _ suffix: String?) {
        let record = Normalizer().normalize(LeadRecord(
            name: PersonName(given: "Ana", family: family), source: LeadSource(name: "t", kind: .other),
            provenance: Provenance(fileName: "t.csv", filePath: "t.csv", fileSHA256: "", record: 1, line: 2, importer: "csv"))).0
        #expect(record.name.family == expected)
        #expect(record.name.suffix == suffix)
    }
}

/// Which stored leads the batch engine reads for a record: a lead sharing one key of a selective
/// kind, or a phonetic code that few leads share, is read on its own; one weak shared key is not.
@Suite("Real-export classes: stored candidates read across files")
struct StoredCandidateTests {
    /// A store holding one lead (id 7); `crowd` more ids share its phonetic key (never read).
    struct OneLead: CandidateSource {
        let lead: Lead
        let crowd: Int
        func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]] {
            let own = Set(ProbabilisticMatcher().keys(for: lead))
            var result: [MatchKey: [Int64]] = [:]
            for key in keys where own.contains(key) {
                result[key] = [7] + (key.kind == "name-phonetic" ? (100..<(100 + Int64(crowd))).map { $0 } : [])
            }
            return result
        }
        func candidateLeads(ids: [Int64]) throws -> [Candidate] {
            ids.contains(7) ? [Candidate(id: 7, lead: lead, createdInThisRun: false)] : []
        }
        func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int] { [:] }
        func indexedLeadCount() throws -> Int { 1 }
        func rejectedPairs(among ids: [Int64]) throws -> Set<LeadPair> { [] }
        func latestRecordIDs(leadIDs: [Int64]) throws -> [Int64: Int64] { [:] }
    }

    func record(given: String, family: String, email: String? = nil, company: String? = nil) -> LeadRecord {
        Normalizer().normalize(LeadRecord(
            name: PersonName(given: given, family: family), emails: email.map { [EmailAddress(raw: $0)] } ?? [], company: company,
            source: LeadSource(name: "t", kind: .other),
            provenance: Provenance(fileName: "t.csv", filePath: "t.csv", fileSHA256: "", record: 1, line: 2, importer: "csv"))).0
    }

    func pairsScored(_ stored: LeadRecord, _ incoming: LeadRecord, crowd: Int = 0) throws -> Int {
        let engine = BatchMatcher(matcher: ProbabilisticMatcher())
        return try engine.plan([incoming], source: OneLead(lead: Lead(record: stored), crowd: crowd), seenAt: "2026-12-04T00:00:00Z") { _, _ in }.pairsScored
    }

    @Test("a misspelled, abbreviated name shares only its phonetic code: read when few leads share it, not when many do")
    func phoneticBlock() throws {
        let stored = record(given: "Cornelis", family: "Haaringing", company: "Corara B.V.")
        let incoming = record(given: "C.", family: "Haarinjing", email: "c.haarinjing@gmail.com")
        #expect(try pairsScored(stored, incoming) == 1)
        #expect(try pairsScored(stored, incoming, crowd: 7) == 1)
        #expect(try pairsScored(stored, incoming, crowd: 8) == 0)
    }

    @Test("names swapped between the columns share only the swapped-name key, which reads the lead")
    func swappedKey() throws {
        let stored = record(given: "Wayne", family: "Wesleyer", company: "Gorovaium LLC")
        let incoming = record(given: "Wesleyer", family: "Wayne", email: "wayne.wesleyer@gorovaium.com")
        #expect(try pairsScored(stored, incoming, crowd: 20) == 1)
    }
}
