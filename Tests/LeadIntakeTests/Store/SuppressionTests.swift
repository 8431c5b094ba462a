import Foundation
import LeadCore
import LeadMatch
import LeadNormalize
import LeadPipeline
import LeadStore
import Testing

@testable import LeadPipeline

@Suite("Suppression keys, the formula guard, the store's suppressions")
struct SuppressionTests {
    static func record(emails: [String] = [], phones: [String] = [], socials: [String] = [], country: String? = nil) -> LeadRecord {
        Normalizer().normalize(LeadRecord(
            name: PersonName(given: "Ana", family: "Ruiz"), emails: emails.map { EmailAddress(raw: $0) },
            phones: phones.map { PhoneNumber(raw: $0) }, socialProfiles: socials, location: Location(country: country),
            source: LeadSource(name: "t", kind: .other),
            provenance: Provenance(fileName: "t.csv", filePath: "t.csv", fileSHA256: "", record: 1, line: 2, importer: "csv"))).0
    }

    @Test("one person's identifiers in any spelling give the same keys (Gmail dots, googlemail, case, phone formats, URL forms)")
    func spellings() {
        let a = SuppressionKeys.checked(Self.record(
            emails: ["Ana.Ruiz@Gmail.com"], phones: ["+34 612 34 56 78"], socials: ["https://www.linkedin.com/in/ana-ruiz/"]))
        let b = SuppressionKeys.checked(Self.record(
            emails: ["anaruiz@googlemail.com"], phones: ["612 345 678"], socials: ["linkedin.com/in/ana-ruiz?trk=x"], country: "Spain"))
        #expect(a == b)
        #expect(a == [
            SuppressionKey(.domain, "gmail.com"), SuppressionKey(.email, "anaruiz@gmail.com"), SuppressionKey(.phone, "+34612345678"),
            SuppressionKey(.profile, "linkedin.com/in/ana-ruiz"),
        ])
    }

    @Test("an extension is another line: the main number and each direct line are different keys")
    func extensions() {
        let main = SuppressionKeys.checked(Self.record(phones: ["040 6120 3344"], country: "Germany"))
        let direct = SuppressionKeys.checked(Self.record(phones: ["040 6120 3344 x118"], country: "Germany"))
        #expect(main == [SuppressionKey(.phone, "+494061203344")])
        #expect(direct == [SuppressionKey(.phone, "+494061203344x118")])
    }

    @Test("an erasure suppresses the person's own identifiers, never a shared inbox or a domain")
    func erasedKeys() {
        var lead = Lead(record: Self.record(emails: ["info@acme.example", "ana@acme.example"], phones: ["+34612345678"]))
        lead.socialProfiles = []
        #expect(SuppressionKeys.erased(lead) == [SuppressionKey(.email, "ana@acme.example"), SuppressionKey(.phone, "+34612345678")])
    }

    @Test("the formula guard leaves phone numbers dialable and still disarms formulas", arguments: [
        ("+44 20 7946 0958", "+44 20 7946 0958"), ("+442079460958", "+442079460958"), ("+1 (415) 555-0123 ext. 7", "+1 (415) 555-0123 ext. 7"),
        ("+494061203344x118", "+494061203344x118"), ("+1+1", "'+1+1"), ("+SUM(A1:A9)", "'+SUM(A1:A9)"), ("=1+2", "'=1+2"),
        ("-5", "'-5"), ("@cmd", "'@cmd"), ("+12", "'+12"), ("+44 20 7946 0958,=1", "\"'+44 20 7946 0958,=1\""),
    ])
    func formulaGuard(_ value: String, _ expected: String) {
        #expect(CSVWriter.escape(value) == expected)
    }

    @Test("suppressions are stored as keyed hashes: checked in bulk, counted by reason, never readable", arguments: Backend.available)
    func storeSuppressions(_ backend: Backend) throws {
        let dir = TempDir()
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let keys = [SuppressionKey(.email, "ana@acme.example"), SuppressionKey(.domain, "competitor.example")]
        #expect(try LeadPipeline.Suppression.suppress(keys, reason: "dnc", source: "test", in: store, at: "2026-12-03T10:00:00Z") == 2)
        #expect(try LeadPipeline.Suppression.suppress(keys, reason: "again", source: "test", in: store, at: "2026-12-04T10:00:00Z") == 0)
        let (hasher, hashes) = try #require(try store.suppressionSnapshot())
        #expect(hashes == Set(keys.map(hasher.hash)))
        #expect(hashes.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        // The same value under another kind is another hash.
        #expect(hasher.hash(SuppressionKey(.domain, "ana@acme.example")) != hasher.hash(keys[0]))
        #expect(try store.suppressionCounts() == [
            SuppressionCount(reason: "dnc", kind: "domain", date: "2026-12-03", count: 1),
            SuppressionCount(reason: "dnc", kind: "email", date: "2026-12-03", count: 1),
        ])
        let found = try store.transaction(commit: false) { tx in
            try tx.suppressedHashes(among: [hasher.hash(keys[1]), hasher.hash(SuppressionKey(.email, "bob@acme.example"))])
        }
        #expect(found == [hasher.hash(keys[1])])
    }
}
