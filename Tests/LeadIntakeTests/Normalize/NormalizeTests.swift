import Confusables
import LeadCore
import PhoneNumbers
import PublicSuffix
import Testing

@testable import LeadNormalize

@Suite("Phone normalization (libphonenumber)")
struct PhoneTests {
    let phones = PhoneNormalizer()

    @Test("spreadsheet damage: apostrophe stripped, lost plus repaired, scientific notation flagged")
    func excel() {
        let apostrophe = phones.normalize("'+44 20 7946 0018", region: nil)
        #expect(apostrophe.e164 == "+442079460018")
        #expect(apostrophe.flags.contains("repaired-apostrophe"))
        let lostPlus = phones.normalize("442079460018", region: "US")
        #expect(lostPlus.e164 == "+442079460018")
        #expect(lostPlus.flags.contains("repaired-plus"))
        let scientific = phones.normalize("4.47712E+11", region: "GB")
        #expect(scientific.e164 == nil)
        #expect(scientific.flags.contains("excel-scientific"))
    }

    @Test("invalid numbers are kept raw and flagged; national numbers need a region")
    func invalid() {
        #expect(phones.normalize("not a phone", region: "US").flags.contains("invalid"))
        #expect(phones.normalize("07700 900123", region: "GB").e164 == nil)  // Ofcom drama range: not valid
        let noRegion = phones.normalize("020 7946 0018", region: nil)
        #expect(noRegion.e164 == nil)
        #expect(noRegion.flags.contains("no-region"))
    }

    @Test("line type from the number")
    func lineType() {
        #expect(phones.normalize("+49 151 23456789", region: nil).lineType == .mobile)
        #expect(phones.normalize("+44 20 7946 0018", region: nil).lineType == .fixedLine)
        #expect(phones.normalize("+1 800 555 0199", region: nil).lineType == .tollFree)
    }
}

@Suite("E-mail normalization")
struct EmailTests {
    @Test("syntax, IDN domains and comparison keys", arguments: [
        ("John.Doe+news@GoogleMail.com", "john.doe+news@googlemail.com", "johndoe@gmail.com"),
        ("  <Ana.Garcia@Acme-Soft.es> ", "ana.garcia@acme-soft.es", "ana.garcia@acme-soft.es"),
        ("mailto:j.mueller@bauwerk.de?subject=hi", "j.mueller@bauwerk.de", "j.mueller@bauwerk.de"),
        ("jürgen@müller.de", "jürgen@xn--mller-kva.de", "jürgen@xn--mller-kva.de"),
        ("first.last+crm@outlook.com", "first.last+crm@outlook.com", "first.last@outlook.com"),
    ])
    func keys(raw: String, normalized: String, key: String) {
        let result = EmailSyntax.normalize(raw)
        #expect(result == normalized)
        #expect(result.map(EmailRules.key) == key)
    }

    @Test("not addresses", arguments: ["not-an-email", "a@b", "a@@b.com", ".a@b.com", "a@b..com", "a b@c.com", "a@1.2.3.4"])
    func invalid(raw: String) {
        #expect(EmailSyntax.normalize(raw) == nil)
    }

    @Test("flags and kinds through the normalizer")
    func flags() {
        let (record, issues) = Normalizer().normalize(makeRecord(emails: []).with {
            $0.emails = ["info@acme.com", "ana@gmail.com", "x@mailinator.com", "ana.garcia@acme.com", "broken@"].map { EmailAddress(raw: $0) }
        })
        let byRaw = Dictionary(uniqueKeysWithValues: record.emails.map { ($0.raw, $0) })
        #expect(byRaw["info@acme.com"]?.flags.contains("role") == true)
        #expect(byRaw["ana@gmail.com"]?.flags.contains("free-mail") == true)
        #expect(byRaw["ana@gmail.com"]?.kind == .personal)
        #expect(byRaw["ana.garcia@acme.com"]?.kind == .work)
        #expect(byRaw["x@mailinator.com"]?.flags.contains("disposable") == true)
        #expect(byRaw["broken@"]?.flags.contains("invalid") == true)
        #expect(byRaw["broken@"]?.normalized == nil)
        #expect(issues.map(\.code).sorted() == ["email.disposable", "email.invalid"])
        #expect(!issues.contains { $0.message.contains("mailinator.com") && $0.message.contains("x@") })
        #expect(record.domain == "acme.com")
        #expect(record.derived["domain.source"] == "email")
    }
}

@Suite("Name normalization")
struct NameTests {
    func normalized(given: String? = nil, family: String? = nil, display: String? = nil) -> (PersonName, Set<String>) {
        var name = PersonName(given: given, family: family, display: display)
        let flags = NameNormalizer.normalize(&name)
        return (name, flags)
    }

    @Test("first and last name swapped between fields")
    func swapped() {
        let (name, flags) = normalized(given: "Smith", family: "Robert")
        #expect(name.given == "Robert" && name.family == "Smith")
        #expect(flags.contains("swapped"))
        let (kept, keptFlags) = normalized(given: "Robert", family: "Smith")
        #expect(kept.given == "Robert" && !keptFlags.contains("swapped"))
    }

    @Test("comparison keys: accent-folded, nickname-aware, phonetic, look-alike letters")
    func keys() {
        let bob = NameNormalizer.keys(PersonName(given: "Bob", family: "Müller"))
        #expect(bob["name.given.canonical"] == "robert")
        #expect(bob["name.family.key"] == "muller")
        #expect(bob["name.phonetic"] == "M460")
        #expect(NameNormalizer.keys(PersonName(given: "Liz"))["name.given.canonical"] == "elizabeth")
        #expect(NameNormalizer.keys(PersonName(given: "Pepe"))["name.given.canonical"] == "joseph")
        // "Аna" with a Cyrillic А: same key as "Ana", and flagged.
        let cyrillic = NameNormalizer.keys(PersonName(given: "\u{0410}na", family: "Garc\u{0456}a"))
        #expect(cyrillic["name.given.key"] == "ana")
        #expect(cyrillic["name.family.key"] == "garcia")
        let (_, flags) = normalized(given: "\u{0410}na", family: "García")
        #expect(flags.contains("mixed-script"))
        let (_, plain) = normalized(given: "Ana", family: "García")
        #expect(!plain.contains("mixed-script"))
    }

    @Test("Unicode NFC: decomposed input is stored precomposed")
    func nfc() {
        let (name, _) = normalized(given: "Ju\u{0308}rgen", family: "Mu\u{0308}ller")
        #expect(Array(name.given!.unicodeScalars).count == 6)
        #expect(name.given == "Jürgen")
    }
}

@Suite("Companies, domains, titles, countries")
struct FirmographicTests {
    @Test func acronyms() {
        #expect(CompanyNormalizer.acronym("IBM", key: "ibm") == "ibm")
        #expect(CompanyNormalizer.acronym("International Business Machines", key: "international business machines") == "ibm")
    }

    @Test("registrable domains with the Public Suffix List", arguments: [
        ("https://mail.acme.co.uk/about", "acme.co.uk"), ("www.Example.COM", "example.com"), ("acme.co.uk", "acme.co.uk"),
        ("shop.foo.blogspot.com", "foo.blogspot.com"), ("http://sub.münchen.de", "münchen.de"),
    ])
    func domains(website: String, expected: String) {
        let host = CompanyNormalizer.host(of: website)
        #expect(host.flatMap(CompanyNormalizer.registrableDomain) == expected)
    }

    @Test func publicSuffixItself() {
        #expect(PublicSuffix.registrableDomain("co.uk") == nil)
        #expect(PublicSuffix.isPublicSuffix("co.uk"))
    }

    @Test("countries from names, codes and local spellings", arguments: [
        ("Deutschland", "DE"), ("Germany", "DE"), ("DEU", "DE"), ("Allemagne", "DE"), ("de", "DE"),
        ("United States of America", "US"), ("USA", "US"), ("U.S.", "US"), ("UK", "GB"), ("England", "GB"),
        ("España", "ES"), ("Schweiz", "CH"), ("Côte d’Ivoire", "CI"), ("the Netherlands", "NL"), ("Österreich", "AT"),
    ])
    func countries(name: String, code: String) {
        #expect(Countries.code(for: name) == code)
    }

    @Test func unknownCountry() {
        #expect(Countries.code(for: "--") == nil)
        #expect(Countries.code(for: "Atlantis") == nil)
    }
}

@Suite("Normalizer end to end")
struct NormalizerTests {
    @Test("raw kept next to normalized; region from the record's country; derived keys set")
    func record() {
        let input = makeRecord(
            given: "JÜRGEN", family: "MÜLLER", emails: ["J.Mueller@Bauwerk.de"], phones: [], company: "Bauwerk GmbH",
            title: "Geschäftsführer", country: "Deutschland"
        ).with { $0.phones = [PhoneNumber(raw: "030 1234567")] }
        let (record, issues) = Normalizer().normalize(input)
        #expect(issues.isEmpty)
        #expect(record.name.given == "Jürgen" && record.name.family == "Müller")
        #expect(record.location.countryCode == "DE")
        #expect(record.phones[0].raw == "030 1234567")
        #expect(record.phones[0].normalized == "+49301234567")
        #expect(record.emails[0].raw == "J.Mueller@Bauwerk.de")
        #expect(record.emails[0].normalized == "j.mueller@bauwerk.de")
        #expect(record.domain == "bauwerk.de")
        #expect(record.derived["company.key"] == "bauwerk")
        #expect(record.derived["title.seniority"] == "c-level")
        #expect(record.derived["name.family.key"] == "muller")
        #expect(record.derived["name.flags"] == "proper-cased")
    }

    @Test("a bad phone is kept and reported without the number")
    func badPhone() {
        let input = makeRecord(given: "Ana").with { $0.phones = [PhoneNumber(raw: "4.47712E+11")] }
        let (record, issues) = Normalizer(defaultRegion: "GB").normalize(input)
        #expect(record.phones[0].normalized == nil)
        #expect(record.phones[0].flags.contains("excel-scientific"))
        #expect(issues.first?.code == "phone.invalid")
        #expect(issues.first?.message.contains("447712") == false)
    }
}

extension LeadRecord {
    func with(_ change: (inout LeadRecord) -> Void) -> LeadRecord {
        var copy = self
        change(&copy)
        return copy
    }
}
