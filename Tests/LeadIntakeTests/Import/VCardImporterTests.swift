import Foundation
import LeadCore
import Testing

@testable import LeadImport

@Suite("vCard importer")
struct VCardImporterTests {
    let dir = TempDir()

    func read(_ text: String, bytes: [UInt8]? = nil) throws -> ReadResult {
        let path = dir.write("cards.vcf", bytes ?? Array(text.utf8))
        return try readAll(path, with: VCardImporter())
    }

    @Test("2.1 quoted-printable with soft breaks (also Android's unindented ones) and per-property charsets")
    func quotedPrintable() throws {
        let result = try read("""
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=\r
            =BCrgen;;;\r
            ORG;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Caf=E9 M=FCller GmbH;Vertrieb\r
            TEL;CELL;VOICE:+49 151 23456789\r
            TEL;WORK;FAX:+49 30 1234567\r
            EMAIL;INTERNET;PREF:j.mueller@cafe-mueller.de\r
            NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline two\r
            END:VCARD\r

            """)
        let card = try #require(result.records.first)
        #expect(card.name.family == "Müller")
        #expect(card.name.given == "Jürgen")
        #expect(card.company == "Café Müller GmbH")
        #expect(card.extras.contains(ExtraField(name: "ORG unit", value: "Vertrieb")))
        #expect(card.phones.map(\.kind) == [.mobile, .fax])
        #expect(card.emails.first?.raw == "j.mueller@cafe-mueller.de")
        #expect(card.notes == ["line one\r\nline two"])
        #expect(result.facts["versions"] == "2.1")
        #expect(result.facts["charsets"] == "UTF-8, Windows-1252")
    }

    @Test("3.0/4.0 folding, escapes, type lists, PREF, Apple groups and labels, categories, X- extras")
    func modern() throws {
        let result = try read("""
            BEGIN:VCARD
            VERSION:4.0
            FN:Dr. Ana María García
            N:García;Ana;María;Dr.;
            ORG:Acme\\, Inc.;Marketing
            TITLE:Chief Marketing
              Officer
            EMAIL;TYPE="work,internet":ana@acme.example
            EMAIL;TYPE=home;PREF=1:ana.garcia@gmail.com
            item1.TEL:+34 612 345 678
            item1.X-ABLabel:_$!<Mobile>!$_
            item2.URL:https://www.linkedin.com/in/anagarcia
            item2.X-ABLabel:LinkedIn
            URL:https://acme.example
            X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/anagarcia
            CATEGORIES:Webinar 2026,VIP
            NOTE:Met at the\\nconference\\; follow up
            BDAY:1980-04-01
            X-CUSTOM-FIELD:kept
            END:VCARD
            """)
        let card = try #require(result.records.first)
        #expect(card.name.display == "Dr. Ana María García")
        #expect(card.name.prefix == "Dr." && card.name.middle == "María")
        #expect(card.company == "Acme, Inc.")
        #expect(card.title == "Chief Marketing Officer")
        #expect(card.emails.map(\.raw) == ["ana.garcia@gmail.com", "ana@acme.example"])
        #expect(card.emails.map(\.kind) == [.personal, .work])
        #expect(card.phones.first?.kind == .mobile)
        #expect(card.website == "https://acme.example")
        #expect(card.socialProfiles == ["https://www.linkedin.com/in/anagarcia", "https://twitter.com/anagarcia"])
        #expect(card.tags == ["Webinar 2026", "VIP"])
        #expect(card.notes == ["Met at the\nconference; follow up"])
        #expect(card.attributes["vcard.bday"] == "1980-04-01")
        #expect(card.extras.contains(ExtraField(name: "X-CUSTOM-FIELD", value: "kept")))
    }

    @Test("a broken card is rejected with its ordinal and line; the next cards still import")
    func brokenCards() throws {
        let result = try read("""
            BEGIN:VCARD
            VERSION:3.0
            FN:First Person
            EMAIL:first@example.com
            BEGIN:VCARD
            VERSION:3.0
            FN:Second Person
            garbage line without colon
            EMAIL:second@example.com
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            ORG:Only A Company
            END:VCARD
            BEGIN:VCARD
            FN:Fourth Person
            """)
        #expect(result.records.map { $0.name.display ?? "" } == ["Second Person"])
        #expect(result.records.first?.provenance.record == 2)
        #expect(result.records.first?.provenance.line == 5)
        #expect(result.warnings.contains { $0.code == "vcard.broken-line" && $0.location.line == 8 })
        #expect(result.rejected.map(\.code) == ["vcard.missing-end", "record.no-person", "vcard.missing-end"])
        #expect(result.rejected.map { $0.location.record ?? 0 } == [1, 3, 4])
        #expect(result.rejected.map { $0.location.line ?? 0 } == [1, 11, 15])
    }

    @Test("embedded photos are skipped, base64 lines and all, without becoming extras")
    func photos() throws {
        let base64 = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", count: 2000)
        let folded = stride(from: 0, to: base64.count, by: 74).map { " " + base64.dropFirst($0).prefix(74) }.joined(separator: "\r\n")
        let result = try read("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n\(folded)\r\n\r\nEMAIL:jane@example.com\r\nEND:VCARD\r\n")
        let card = try #require(result.records.first)
        #expect(card.emails.first?.raw == "jane@example.com")
        #expect(card.extras.isEmpty)
        #expect(result.raws[0].allSatisfy { $0.value.count < 100 })
    }

    @Test("UTF-16LE with BOM, and Latin-1 without a charset (detected, warned)")
    func encodings() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Søren Ærø\r\nEND:VCARD\r\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let wide = try read("", bytes: utf16)
        #expect(wide.records.first?.name.display == "Søren Ærø")
        #expect(wide.facts["encoding"] == "UTF-16LE")
        var latin1 = Array("BEGIN:VCARD\nVERSION:2.1\nN:M".utf8) + [0xFC] + Array("ller;J".utf8) + [0xFC] + Array("rgen\nEND:VCARD\n".utf8)
        latin1 += []
        let old = try read("", bytes: latin1)
        #expect(old.records.first?.name.family == "Müller")
        #expect(old.notes.contains { $0.code == "vcard.undeclared-charset" })
        #expect(old.facts["encoding"]?.contains("no charset declared") == true)
    }

    @Test("detection: .vcf with BEGIN:VCARD wins over CSV; jCard JSON is recognised")
    func detection() throws {
        let vcf = try SourceFile.open(path: Paths.corpus("vcard/node-vcf/vcard-3.0.vcf"))
        #expect(ImporterRegistry.standard.detect(vcf).winner?.importer.id == "vcard")
        let jcard = try SourceFile.open(path: Paths.corpus("jcard/node-vcf/jcard.json"))
        #expect(ImporterRegistry.standard.detect(jcard).winner?.importer.id == "jcard")
        let csv = try SourceFile.open(path: Paths.fixture("csv/partner-referrals.csv"))
        #expect(ImporterRegistry.standard.detect(csv).winner?.importer.id == "csv")
    }

    @Test("one file holding 2.1, 3.0 and 4.0 cards reports every version")
    func versions() throws {
        let result = try readAll(Paths.corpus("vcard/node-vcf/multiple.vcf"), with: VCardImporter())
        #expect(result.facts["versions"] == "4.0, 2.1, 3.0")  // in file order
        #expect(result.records.count == 3)
    }
}
