import Foundation
import LeadCore
import LibXML
import Testing

@testable import LeadImport

@Suite("HTML and XML importers: fixtures, layouts, streaming, safety")
struct HTMLXMLImporterTests {
    // MARK: Fixtures

    @Test("webinar attendee table: header rows, colspan, mailto/tel links, summary table ignored")
    func attendeeTable() throws {
        let result = try readAll(Paths.fixture("html/webinar-attendees-table.html"), with: HTMLImporter())
        #expect(result.facts["markup"] == "1 people table(s), 5 rows")
        #expect(result.records.count == 5)
        let ana = result.records[0]
        #expect(ana.name.given == "Ana" && ana.name.family == "García López")
        #expect(ana.emails.map(\.raw) == ["ana.garcia@acmesoft.es"])
        #expect(ana.company == "Acme Soft S.L." && ana.title == "Chief Marketing Officer")
        #expect(ana.provenance.record == 1 && ana.provenance.line == 23)
        #expect(result.records[1].emails.map(\.raw) == ["j.mueller@bauwerk.de"], "link text 'Mail' is not an address")
        #expect(result.records[2].website == "https://northwind.io")
        #expect(result.records[3].name.display == "Léa Dubois" && result.records[3].name.given == nil)
        let kenji = result.records[4]
        #expect(kenji.emails.isEmpty && kenji.phones.map(\.raw) == ["+81 3 1234 5678"])
        #expect(kenji.extras.contains(ExtraField(name: "Minutes", value: "--")))
    }

    @Test("saved title-search page read through the shipped layout")
    func titleSearchLayout() throws {
        let result = try readAll(Paths.fixture("html/title-search-cmo-software.html"), with: HTMLImporter())
        #expect(result.facts["layout"]?.hasPrefix("people-search-results") == true)
        #expect(result.records.count == 4, "the ad card is not a person")
        let maria = result.records[0]
        #expect(maria.name.display == "Maria Lindqvist")
        #expect(maria.title == "Chief Marketing Officer" && maria.company == "Nordlys Software AB")
        #expect(maria.location.city == "Stockholm" && maria.location.country == "Sweden")
        #expect(maria.socialProfiles == ["https://www.linkedin.com/in/maria-lindqvist-cmo/"])
        #expect(maria.attributes["connection-degree"] == "2nd")
        #expect(maria.source.kind == .titleSearch)
        #expect(result.records[1].title == "CMO" && result.records[1].company == "Chmura Sp. z o.o.")
        #expect(result.records[3].company == "Logiciels Azur SAS" && result.records[3].title == "Directrice marketing")
        #expect(result.records.map(\.provenance.record) == [1, 2, 3, 4])
    }

    @Test("partner directory: h-card with nested org, classic vcard, Cloudflare e-mail")
    func partnerDirectory() throws {
        let result = try readAll(Paths.fixture("html/partner-directory-hcard.html"), with: HTMLImporter())
        #expect(result.records.count == 3)
        let ann = result.records[0]
        #expect(ann.name.prefix == "Dr." && ann.name.given == "Ann" && ann.name.family == "van der Berg")
        #expect(ann.company == "Rotterdam Logistics B.V.")
        #expect(ann.emails.map(\.raw) == ["ann.vanderberg@rotterdam-logistics.nl"], "decoded, never the placeholder")
        #expect(ann.location.city == "Rotterdam" && ann.location.country == "Netherlands")
        let siobhan = result.records[1]
        #expect(siobhan.name.display == "Siobhán O'Brien" && siobhan.title == "Chief Revenue Officer")
        #expect(siobhan.socialProfiles == ["https://www.linkedin.com/in/siobhan-obrien/"])
        #expect(result.notes.contains { $0.code == "html.cloudflare-email" })
    }

    @Test("the placeholder of an undecodable obfuscated address is never an e-mail")
    func placeholderNeverStored() throws {
        let dir = TempDir()
        let path = dir.write("team.html", """
            <html><body><table><tr><th>Name</th><th>Email</th></tr>
            <tr><td>Ana Ruiz</td><td><a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="zz">[email&#160;protected]</a></td></tr>
            </table></body></html>
            """)
        let result = try readAll(path, with: HTMLImporter())
        #expect(result.records.count == 1)
        #expect(result.records[0].emails.isEmpty)
        #expect(result.notes.contains { $0.code == "html.cloudflare-email-undecodable" })
    }

    @Test("speaker page: JSON-LD performers (wrapped in a comment, with a JS comment) and microdata")
    func speakers() throws {
        let result = try readAll(Paths.fixture("html/speakers-schemaorg.html"), with: HTMLImporter())
        #expect(result.records.count == 3)
        let katherine = result.records.first { $0.name.display == "Katherine Novak" }
        #expect(katherine?.company == "Globex Corporation" && katherine?.title == "CMO")
        #expect(katherine?.emails.map(\.raw) == ["k.novak@globex.com"])
        #expect(katherine?.location.city == "Prague" && katherine?.location.country == "CZ")
        let marc = result.records.first { $0.name.family == "Dubois" }
        #expect(marc?.name.given == "Marc" && marc?.company == "Initech SA" && marc?.phones.map(\.raw) == ["+33 1 23 45 67 89"])
        let wei = result.records.first { $0.name.display == "Wei Zhang" }
        #expect(wei?.company == "Tyrell Systems Pte Ltd" && wei?.emails.map(\.raw) == ["wei.zhang@tyrell.sg"] && wei?.location.city == "Singapore")
    }

    @Test("a page with no people says so instead of importing nothing silently")
    func noPeople() throws {
        let dir = TempDir()
        let path = dir.write("about.html", "<html><body><p>About us</p><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></body></html>")
        let result = try readAll(path, with: HTMLImporter())
        #expect(result.records.isEmpty)
        #expect(result.notes.contains { $0.code == "html.no-people" })
    }

    // MARK: Layout mappings

    @Test("a team's own page layout in config/mappings is used without code changes")
    func userPageLayout() throws {
        let dir = TempDir()
        dir.write("config/mappings/partner-portal.yml", """
            id: partner-portal
            name: Partner portal member list
            format: html
            source_kind: partner
            detect: "//div[@id='members']"
            record: "//div[@id='members']/div[@class='member']"
            fields:
              display-name: "./h3"
              email: "./a[starts-with(@href, 'mailto:')]/@href"
              title-at-company: "./p"
            """)
        let page = dir.write("members.html", """
            <html><body><div id="members">
            <div class="member"><h3>Ana Ruiz</h3><p>CMO at Acme Soft</p><a href="mailto:ana@acmesoft.es">mail</a></div>
            <div class="member"><h3>Bob Stone</h3><p>VP Sales @ Globex</p></div>
            </div></body></html>
            """)
        let registry = try ImporterRegistry.configured(directory: dir.path + "/config")
        let file = try SourceFile.open(path: page)
        let winner = try #require(registry.detect(file).winner)
        #expect(winner.importer.id == "html")
        let result = try readAll(page, with: winner.importer)
        #expect(result.facts["layout"]?.hasPrefix("partner-portal") == true)
        #expect(result.records.map(\.name.display) == ["Ana Ruiz", "Bob Stone"])
        #expect(result.records[0].emails.map(\.raw) == ["ana@acmesoft.es"] && result.records[0].company == "Acme Soft")
        #expect(result.records[1].title == "VP Sales" && result.records[1].source.kind == .partner)
    }

    @Test("broken layout files give errors naming the file, the key and what was expected",
          arguments: [
            ("format: pdf", "format"), ("record: \"//div[\"", "record"), ("fields: {boss: \"./b\"}", "fields.boss"),
            ("detect: \"((\"", "detect"), ("transforms: {city: [uppercase]}", "transforms.city"),
          ])
    func layoutErrors(_ change: String, _ key: String) throws {
        var lines = ["id: x", "name: X", "format: html", "record: \"//div\"", "fields: {display-name: \"./h3\"}"]
        let changedKey = String(change.prefix { $0 != ":" })
        lines.removeAll { $0.hasPrefix(changedKey + ":") }
        lines.append(change)
        do {
            _ = try PageMapping.parse(lines.joined(separator: "\n"), origin: "config/mappings/x.yml")
            Issue.record("expected an error for \(change)")
        } catch {
            #expect(error.file == "config/mappings/x.yml")
            #expect(error.key == key, "\(error)")
        }
    }

    @Test("shipped layouts all load")
    func shippedLayouts() {
        #expect(PagePresets.problems() == [])
        #expect(PagePresets.all.count >= 2)
    }

    // MARK: XML exports

    @Test("an XML export with person-like element names imports without a mapping")
    func genericXML() throws {
        let result = try readAll(Paths.fixture("xml/crm-contacts-export.xml"), with: XMLExportImporter())
        #expect(result.facts["record-element"] == "export/contacts/contact")
        #expect(result.records.count == 3 && result.rejected.count == 1)
        let zoe = result.records[0]
        #expect(zoe.name.given == "Zoë" && zoe.name.family == "Fischer" && zoe.emails.map(\.raw) == ["zoe.fischer@kontor-it.de"])
        #expect(zoe.company == "Kontor IT GmbH" && zoe.title == "Leiterin Marketing" && zoe.phones.map(\.raw) == ["+49 40 1234567"])
        #expect(zoe.phones.first?.kind == .work, "type=\"work\" gives the kind")
        #expect(zoe.location.city == "Hamburg" && zoe.location.country == "Germany")
        #expect(zoe.extras.contains(ExtraField(name: "employees", value: "120")), "nothing dropped")
        #expect(result.records[1].title == "Founder & CEO", "entities decoded")
        #expect(result.rejected[0].location.record == 3 && result.rejected[0].location.line == 27)
        #expect(result.records[2].provenance.record == 4)
    }

    @Test("an XML export with terse names reads through its mapping, attributes included")
    func mappedXML() throws {
        let file = try SourceFile.open(path: Paths.fixture("xml/event-registrations.xml"))
        let winner = try #require(ImporterRegistry.standard.detect(file).winner)
        #expect(winner.importer.id == "xml.event-registrations")
        let result = try readAll(file.path, with: winner.importer)
        #expect(result.records.count == 2)
        let monica = result.records[0]
        #expect(monica.name.given == "Mónica" && monica.name.family == "Serrano" && monica.company == "TecnoIberia S.A.")
        #expect(monica.title == "Directora de Marketing" && monica.location.country == "ES")
        #expect(monica.attributes["attended"] == "Attended" && monica.attributes["registration-id"] == "R-0001")
        #expect(monica.source.kind == .event)
    }

    @Test("a malformed record midway keeps the records before it and reports the line")
    func malformedMidway() throws {
        let dir = TempDir()
        // libxml2's reader parses ahead in chunks: the error sits after a few kilobytes of good records.
        var xml = "<?xml version=\"1.0\"?>\n<people>\n"
        for index in 1...60 {
            xml += "  <person><firstName>Ana\(index)</firstName><lastName>Ruiz</lastName><email>ana\(index)@acme.es</email></person>\n"
        }
        xml += "  <person><firstName>Eve</firstName><lastName>Broken</email></person>\n"
        xml += "  <person><firstName>Never</firstName><lastName>Read</lastName></person>\n</people>\n"
        let path = dir.write("broken.xml", xml)
        let result = try readAll(path, with: XMLExportImporter())
        #expect(result.records.count >= 50 && result.records.count <= 60)
        #expect(result.records.first?.name.given == "Ana1")
        #expect(!result.records.contains { $0.name.given == "Never" })
        #expect(result.rejected.count == 1 && result.rejected[0].code == "xml.malformed" && result.rejected[0].location.line == 63)
    }

    @Test("xCard: the RFC 6351 example and a fixture with accents and groups")
    func xCard() throws {
        let rfc = try readAll(Paths.corpus("xcard/ez-vcard/rfc6351-example.xml"), with: XCardImporter())
        #expect(rfc.records.count == 1)
        let simon = rfc.records[0]
        #expect(simon.name.given == "Simon" && simon.name.family == "Perreault" && simon.name.display == "Simon Perreault")
        #expect(simon.name.suffix == "ing. jr M.Sc." || simon.name.suffix == "ing. jr, M.Sc.")
        #expect(simon.company == "Viagenie" && simon.emails.map(\.raw) == ["simon.perreault@viagenie.ca"])
        #expect(simon.emails.first?.kind == .work)
        #expect(simon.phones.map(\.raw) == ["+1-418-656-9254 ext. 102", "+1-418-262-6501"])
        #expect(simon.phones.last?.kind == .mobile)
        #expect(simon.location.city == "Quebec" && simon.location.country == "Canada")
        #expect(simon.website == "http://nomis80.org")
        let fixture = try readAll(Paths.fixture("xcard/partner-intros.xml"), with: XCardImporter())
        #expect(fixture.records.map(\.name.display) == ["Björn Åkesson", "Agnieszka Wiśniewska"])
        #expect(fixture.records[0].title == "Chief Marketing Officer" && fixture.records[0].phones.first?.kind == .mobile)
        #expect(fixture.records[1].emails.map(\.raw) == ["agnieszka@chmura.pl"])
        #expect(fixture.records.map(\.provenance.record) == [1, 2])
    }

    // MARK: Safety

    @Test("an external entity pointing at a local file never brings its content in")
    func externalEntity() throws {
        let dir = TempDir()
        let secret = dir.write("secret.txt", "TOPSECRET-4242")
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE people [ <!ENTITY xxe SYSTEM "file://\(secret)"> <!ENTITY net SYSTEM "http://127.0.0.1:9/x"> ]>
            <people>
              <person><firstName>Ana</firstName><lastName>&xxe;</lastName><email>ana@acme.es</email><company>&net;</company></person>
              <person><firstName>Bob</firstName><lastName>Stone</lastName><email>bob@globex.com</email></person>
            </people>
            """
        let path = dir.write("xxe.xml", xml)
        let result = try readAll(path, with: XMLExportImporter())
        let everything = result.records.map { "\($0)" }.joined() + result.raws.map { "\($0)" }.joined()
        #expect(!everything.contains("TOPSECRET"))
        #expect(result.records.count == 2)
        #expect(result.warnings.contains { $0.code == "xml.entity-ignored" })
        // The DOM parser refuses documents that declare entities.
        #expect(throws: XMLParseError.self) { try DOMDocument.xml(path: path) }
        // The same attack in an xCard.
        let xcard = dir.write("xxe.xcard", """
            <?xml version="1.0"?><!DOCTYPE vcards [ <!ENTITY xxe SYSTEM "file://\(secret)"> ]>
            <vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0"><vcard><fn><text>Ana &xxe;</text></fn></vcard></vcards>
            """)
        let cards = try readAll(xcard, with: XCardImporter())
        #expect(!cards.records.map { "\($0)" }.joined().contains("TOPSECRET"))
    }

    @Test("billion laughs: no expansion, no blow-up")
    func billionLaughs() throws {
        let dir = TempDir()
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...10 { entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        let path = dir.write("laughs.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE people [ \(entities) ]>
            <people><person><firstName>&lol10;</firstName><lastName>Laugh</lastName><email>a@b.com</email></person></people>
            """)
        // libxml2 detects the entity loop while reading the DTD: the file is refused with an error.
        do {
            let result = try readAll(path, with: XMLExportImporter())
            #expect(result.records.map { $0.name.given?.count ?? 0 }.reduce(0, +) < 100, "entity never expanded")
        } catch let error as ImportError {
            #expect(error.message.contains("entity"), "\(error)")
        }
        #expect(throws: XMLParseError.self) { try DOMDocument.xml(path: path) }
        // In HTML, DTD entities are never processed at all.
        let html = dir.write("laughs.html", "<!DOCTYPE html [ \(entities) ]><html><body><table><tr><th>Name</th><th>Email</th></tr><tr><td>&lol10;</td><td>a@b.com</td></tr></table></body></html>")
        let page = try readAll(html, with: HTMLImporter())
        #expect(page.records.allSatisfy { ($0.name.display?.count ?? 0) < 100 })
    }

    @Test("100,000 levels of nested HTML and XML do not crash")
    func deepNesting() throws {
        let dir = TempDir()
        let depth = 100_000
        let html = "<html><body>" + String(repeating: "<div class=\"h-card\">", count: depth) + "<span class=\"p-name\">Deep</span>"
            + String(repeating: "</div>", count: depth) + "<table><tr><th>Name</th><th>Email</th></tr><tr><td>Ana</td><td>ana@acme.es</td></tr></table></body></html>"
        let htmlPath = dir.write("deep.html", html)
        let page = try readAll(htmlPath, with: HTMLImporter())
        #expect(page.records.count + page.rejected.count >= 1)
        let xml = "<?xml version=\"1.0\"?><people>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</people>"
        let xmlPath = dir.write("deep.xml", xml)
        #expect(throws: ImportError.self) { _ = try readAll(xmlPath, with: XMLExportImporter()) }
    }
}
