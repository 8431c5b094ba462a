import Foundation
import LeadCore
import LibXML
import Testing

@testable import LeadImport

/// The microformats test suite and extruct's schema.org samples as oracles: the people their
/// expected output lists are the people LeadIntake imports.
@Suite("HTML importer on the microformats and schema.org corpora")
struct HTMLCorpusTests {
    /// Expected person values of one card in a suite's JSON.
    struct Expected: Equatable, CustomStringConvertible {
        var name: String?
        var emails: [String]
        var phones: [String]
        var org: String?
        var title: String?
        var description: String { "name=\(name ?? "-") emails=\(emails) phones=\(phones) org=\(org ?? "-") title=\(title ?? "-")" }
    }

    static let hcardFolders = [
        "hcard/microformats-tests/tests/microformats-v2/h-card",
        "hcard/microformats-tests/tests/microformats-v1/hcard",
        "hcard/microformats-tests/tests/microformats-mixed/h-card",
    ]

    static func hcardCases() -> [String] {
        hcardFolders.flatMap { folder -> [String] in
            let path = Paths.corpus(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
        }
    }

    static func firstString(_ value: Any?) -> String? {
        guard let list = value as? [Any], let first = list.first else { return nil }
        if let text = first as? String { return text }
        if let object = first as? [String: Any] {
            if let value = object["value"] as? String { return value }
            if let properties = object["properties"] as? [String: Any] { return firstString(properties["name"]) }
        }
        return nil
    }

    static func strings(_ value: Any?) -> [String] {
        guard let list = value as? [Any] else { return [] }
        return list.compactMap { item in
            if let text = item as? String { return text }
            return (item as? [String: Any])?["value"] as? String
        }
    }

    /// An expected e-mail as an address: `mailto:` (and `?subject=`) off, and a bare address that the
    /// suite's parsers resolved as a relative URL (`http://example.com/john@example.com`) taken back
    /// to the address. LeadIntake keeps addresses, one per distinct value: a deliberate difference.
    static func address(_ value: String) -> String {
        let text = HTMLRecordReader.contactValue(value, scheme: "mailto:")
        for base in ["http://example.com/", "http://example.test/"] where text.hasPrefix(base) && text.contains("@") {
            return String(text.dropFirst(base.count))
        }
        return text
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The h-cards of an expected output, in the order LeadIntake reads them: top-level cards, and
    /// cards that are properties or children of other top-level items.
    static func expectedCards(_ json: [String: Any]) -> [Expected] {
        var result: [Expected] = []
        func visit(_ item: [String: Any], depth: Int) {
            let types = item["type"] as? [String] ?? []
            let properties = item["properties"] as? [String: Any] ?? [:]
            if types.contains("h-card") {
                result.append(Expected(
                    name: firstString(properties["name"]).map(collapse),
                    emails: unique(strings(properties["email"]).map(address)),
                    phones: strings(properties["tel"]).map { HTMLRecordReader.contactValue($0, scheme: "tel:") },
                    org: firstString(properties["org"]).map(collapse),
                    title: (firstString(properties["job-title"]) ?? firstString(properties["role"])).map(collapse)))
                return
            }
            for value in properties.values {
                for case let nested as [String: Any] in (value as? [Any]) ?? [] where nested["type"] != nil { visit(nested, depth: depth + 1) }
            }
            for case let child as [String: Any] in (item["children"] as? [Any]) ?? [] { visit(child, depth: depth + 1) }
        }
        for case let item as [String: Any] in (json["items"] as? [Any]) ?? [] { visit(item, depth: 0) }
        return result
    }

    @Test("every h-card and hCard test of the microformats suite", arguments: hcardCases())
    func microformatsSuite(_ jsonPath: String) throws {
        let expectedJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Paths.corpus(jsonPath)))) as! [String: Any]
        let expected = Self.expectedCards(expectedJSON)
        let htmlPath = Paths.corpus(String(jsonPath.dropLast(5)) + ".html")
        let result = try readAll(htmlPath, with: HTMLImporter(layouts: []))
        // Records and rejected cards together, by ordinal.
        var actual: [Int: Expected] = [:]
        for record in result.records {
            actual[record.provenance.record] = Expected(
                name: record.name.display.map(Self.collapse),
                emails: record.emails.map(\.raw), phones: record.phones.map(\.raw),
                org: record.company.map(Self.collapse), title: record.title.map(Self.collapse))
        }
        #expect(result.records.count + result.rejected.count == expected.count, "cards in \(jsonPath)")
        for (index, card) in expected.enumerated() {
            let ordinal = index + 1
            guard let got = actual[ordinal] else {
                // A card with nothing that reaches a person (only an organisation or a URL) is rejected.
                #expect(card.name == nil && card.emails.isEmpty && card.phones.isEmpty, "card \(ordinal) of \(jsonPath) rejected but expected \(card)")
                continue
            }
            #expect(got == card, "card \(ordinal) of \(jsonPath)")
        }
    }

    @Test("mf2py's extra h-card inputs parse without errors")
    func mf2pyInputs() throws {
        let folder = Paths.corpus("hcard/mf2py")
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files = 0
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".html") else { continue }
            files += 1
            _ = try readAll(folder + "/" + name, with: HTMLImporter(layouts: []))
        }
        #expect(files > 0)
    }

    // MARK: schema.org

    /// Persons in extruct's expected output (microdata shape or JSON-LD shape), in document order.
    static func expectedPersons(_ json: Any) -> [(name: String?, title: String?, email: String?)] {
        var result: [(String?, String?, String?)] = []
        func visit(_ value: Any, depth: Int) {
            guard depth < 32 else { return }
            if let list = value as? [Any] { list.forEach { visit($0, depth: depth + 1) }; return }
            guard let object = value as? [String: Any] else { return }
            if let properties = object["properties"] as? [String: Any], object["type"] != nil {
                let types = (object["type"] as? [String]) ?? (object["type"] as? String).map { [$0] } ?? []
                func first(_ key: String) -> String? { (properties[key] as? String) ?? firstString(properties[key]) }
                if types.contains(where: { SchemaOrg.shortType($0) == "Person" }) {
                    result.append((first("name").map(collapse), first("jobTitle"), first("email")))
                }
                properties.keys.sorted().forEach { visit(properties[$0]!, depth: depth + 1) }
                return
            }
            let type = object["@type"]
            let types = (type as? [String]) ?? (type as? String).map { [$0] } ?? []
            if types.contains(where: { SchemaOrg.shortType($0) == "Person" }) {
                result.append(((object["name"] as? String).map(collapse), object["jobTitle"] as? String, object["email"] as? String))
            }
            object.keys.sorted().forEach { visit(object[$0]!, depth: depth + 1) }
        }
        visit(json, depth: 0)
        return result
    }

    static let schemaSamples = [
        "schemaorg/extruct/w3c/microdata.7.1", "schemaorg/extruct/schema.org/Event.008",
        "schemaorg/extruct/schema.org/LocalBusiness.003", "schemaorg/extruct/custom.invalid/JoinAction.001",
    ]

    @Test("schema.org Person data of extruct's samples", arguments: schemaSamples)
    func schemaOrgSamples(_ sample: String) throws {
        let base = Paths.corpus(sample)
        let expectedPath = FileManager.default.fileExists(atPath: base + ".json") ? base + ".json" : base + ".jsonld"
        let expected = Self.expectedPersons(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectedPath))))
        #expect(!expected.isEmpty, "the sample has Person data")
        let result = try readAll(base + ".html", with: HTMLImporter(layouts: []))
        let persons = result.records.filter { $0.provenance.importer == "html.schema-org" }
        let names = persons.map { ($0.name.display ?? $0.name.best).map(Self.collapse) }
        #expect(names.sorted { ($0 ?? "") < ($1 ?? "") } == expected.map(\.name).sorted { ($0 ?? "") < ($1 ?? "") }, "persons of \(sample)")
        for person in expected {
            guard let record = persons.first(where: { ($0.name.display ?? $0.name.best).map(Self.collapse) == person.name }) else { continue }
            if let title = person.title { #expect(record.title == title) }
            if let email = person.email { #expect(record.emails.map(\.raw) == [HTMLRecordReader.contactValue(email, scheme: "mailto:")]) }
        }
    }

    @Test("broken JSON-LD of real pages (comments, control characters) parses to extruct's output",
          arguments: ["JSONLD_with_JS_comment", "JSONLD_with_control_characters", "JSONLD_with_control_characters_comment"])
    func brokenJSONLD(_ name: String) throws {
        let base = Paths.corpus("schemaorg/extruct/custom.invalid/" + name)
        let document = try DOMDocument.html(path: base + ".html")
        let scripts = try document.select("//script[@type='application/ld+json']")
        let parsed = scripts.compactMap { SchemaOrg.parseJSONLD($0.content) }
        #expect(parsed.count == scripts.count && !parsed.isEmpty, "every script parses")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".jsonld")))
        #expect(NSArray(array: parsed).isEqual(expected), "same values as extruct")
    }

    @Test("Cloudflare-obfuscated e-mail in the corpus page decodes")
    func cloudflareCorpus() throws {
        #expect(HTMLText.decodeCloudflare("6506090a10011606170415001725001d040815090048160c11004b010013") == "cloudscraper@example-site.dev")
        let path = Paths.corpus("html/cloudflare-email/cloudscraper/page_with_emails.html")
        let document = try DOMDocument.html(path: path)
        let revealed = HTMLText.revealCloudflareEmails(in: document)
        #expect(revealed.decoded >= 1 && revealed.failed == 0)
        let text = HTMLText.text(of: document.root!)
        #expect(text.contains("cloudscraper@example-site.dev"))
        #expect(!text.contains("email protected"))
        #expect(try document.select("//a[@href='mailto:cloudscraper@example-site.dev']").count >= 1)
    }
}
