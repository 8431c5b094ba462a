import Foundation
import LeadCore
import Testing

@testable import LeadImport

@Suite("Export presets and mappings")
struct PresetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var preset: String
        var records: Int
        var index: Int
        var given: String
        var family: String
        var email: String?
        var company: String?
        var title: String?
        var attributes: [String: String]
        var testDescription: String { preset }
    }

    static let cases: [Case] = [
        Case(file: "81314758372 - Attendee Report.csv", preset: "zoom-webinar-attendees", records: 3, index: 2, given: "Marc", family: "Dubois",
             email: "marc.dubois@lumiere.fr", company: "Lumière SAS", title: "Directeur commercial",
             attributes: ["attended": "No", "approval": "approved", "registration-source": "Newsletter"]),
        Case(file: "81314758372 - Registration Report.csv", preset: "zoom-webinar-registrants", records: 2, index: 0, given: "Kenji", family: "Tanaka",
             email: "kenji.tanaka@sakura-tech.jp", company: "Sakura Tech", title: "CTO",
             attributes: ["company.employees": "250", "company.industry": "Computer Software"]),
        Case(file: "AttendanceReport_Quarterly_CMO_Roundtable.csv", preset: "teams-attendance", records: 2, index: 1, given: "", family: "",
             email: "ana.garcia@acme-soft.es", company: nil, title: nil, attributes: ["minutes": "55", "role": "Attendee"]),
        Case(file: "webex-attendance.tsv", preset: "webex-attendance", records: 1, index: 0, given: "Søren", family: "Ærø",
             email: "soren.aero@fjord.dk", company: nil, title: nil, attributes: ["minutes": "48"]),
        Case(file: "webex-participantes.csv", preset: "webex-attendance-pt", records: 1, index: 0, given: "Mariana", family: "Costa",
             email: "mariana.costa@vendas.com.br", company: nil, title: nil, attributes: ["minutes": "41", "role": "Participante"]),
        Case(file: "gotowebinar-attendees.csv", preset: "gotowebinar-attendees", records: 2, index: 0, given: "Chloé", family: "Martin",
             email: "chloe.martin@brandwerk.fr", company: "Brandwerk SAS", title: "Head of Brand",
             attributes: ["attended": "Yes", "minutes": "74", "interest-rating": "87", "company.employees": "120"]),
        Case(file: "eventbrite-attendees.csv", preset: "eventbrite-attendees", records: 2, index: 1, given: "Luis", family: "Ortega",
             email: "luis.ortega@plataforma.mx", company: "Plataforma SA de CV", title: "Growth Lead",
             attributes: ["order": "11211912243", "ticket": "18441583424", "attendee-status": "Checked In"]),
        Case(file: "Connections.csv", preset: "linkedin-connections", records: 2, index: 0, given: "Antje", family: "Vogel",
             email: nil, company: "Stealth Startup", title: "Head of Growth, EMEA", attributes: ["connected-on": "26 Dec 2025"]),
        Case(file: "apollo-contacts-export.csv", preset: "apollo-people", records: 2, index: 0, given: "Grace", family: "Hopper",
             email: "grace@cobolcloud.io", company: "Cobol Cloud", title: "Chief Marketing Officer",
             attributes: ["company.employees": "420", "company.revenue": "25000000", "email-status": "Verified"]),
        Case(file: "zoominfo-export.csv", preset: "zoominfo-contacts", records: 1, index: 0, given: "Ada", family: "Lovelace",
             email: "ada.lovelace@engine.example", company: "Analytical Engines Inc", title: "VP of Marketing",
             attributes: ["company.employees": "500 - 999", "zoominfo.id": "1234567"]),
        Case(file: "seamless-export.csv", preset: "seamless-contacts", records: 1, index: 0, given: "Nkechi", family: "Okafor",
             email: "nkechi.okafor@lagoslabs.ng", company: "Lagos Labs Ltd", title: "Director of Demand Generation",
             attributes: ["company.revenue": "$5M - $20M", "email-validation": "valid"]),
        Case(file: "hubspot-crm-exports-all-contacts-2026-10-24.csv", preset: "hubspot-contacts", records: 1, index: 0, given: "Fatima",
             family: "Zahra", email: "fatima.zahra@atlas-analytics.ma", company: "Atlas Analytics", title: "Head of Marketing",
             attributes: ["crm.lead-status": "NEW", "company.employees": "51-200"]),
        Case(file: "salesforce-leads-dataloader.csv", preset: "salesforce-leads", records: 1, index: 0, given: "Wei", family: "Zhang",
             email: "wei.zhang@dragondata.example", company: "Dragon Data Ltd", title: "VP Marketing",
             attributes: ["crm.lead-source": "Partner Referral", "company.employees": "300"]),
        Case(file: "google-contacts.csv", preset: "google-contacts", records: 1, index: 0, given: "Zoë", family: "Lindqvist",
             email: "zoe@nordicgrowth.se", company: "Nordic Growth AB", title: "CMO", attributes: ["department": "Marketing"]),
        Case(file: "outlook-contacts.csv", preset: "outlook-contacts", records: 1, index: 0, given: "Henrik", family: "Larsen",
             email: "henrik.larsen@fjord-analytics.dk", company: "Fjord Analytics A/S", title: "Marketing Director", attributes: ["department": "Marketing"]),
    ]

    @Test("every shipped preset parses")
    func presetsParse() {
        #expect(Presets.problems().isEmpty)
        #expect(Presets.all.count == 15)
    }

    @Test("each preset fixture is detected and read with real values", arguments: cases)
    func preset(c: Case) throws {
        let path = Paths.fixture("presets/" + c.file)
        let file = try SourceFile.open(path: path)
        let detection = ImporterRegistry.standard.detect(file)
        #expect(detection.winner?.importer.id == c.preset)
        #expect((detection.winner?.confidence.score ?? 0) >= 0.9)
        let result = try readAll(path, with: detection.winner!.importer)
        #expect(result.records.count == c.records)
        #expect(result.rejected.isEmpty)
        let record = result.records[c.index]
        if !c.given.isEmpty {
            #expect(record.name.given == c.given)
            #expect(record.name.family == c.family)
        }
        #expect(record.emails.first?.raw == c.email)
        #expect(record.company == c.company)
        #expect(record.title == c.title)
        for (key, value) in c.attributes { #expect(record.attributes[key] == value, "\(key)") }
        #expect(record.provenance.importer == c.preset)
    }

    @Test("Zoom: hosts and panelists are not leads, unless asked; ordinals count only the people section")
    func zoomSections() throws {
        let path = Paths.fixture("presets/81314758372 - Attendee Report.csv")
        let importer = MappingImporter(mapping: Presets.all.first { $0.id == "zoom-webinar-attendees" }!)
        let attendees = try readAll(path, with: importer)
        #expect(!attendees.records.contains { $0.emails.first?.raw == "hanna@leadintake.example" })
        #expect(!attendees.records.contains { $0.emails.first?.raw == "paul@partner.example" })
        #expect(attendees.records.map(\.provenance.record) == [1, 2, 3])
        #expect(attendees.records.map(\.provenance.line) == [13, 14, 15])
        #expect(attendees.records[0].attributes["minutes"] == "39" && attendees.records[1].attributes["minutes"] == "15")
        #expect(attendees.records[2].attributes["minutes"] == nil)  // "--" for a registrant who did not attend
        #expect(attendees.records[0].extras.contains(ExtraField(name: "What is your biggest challenge?", value: "Attribution, mostly")))
        let withPanelists = try readAll(path, with: importer, options: ImportOptions(includePanelists: true))
        let emails = withPanelists.records.map { $0.emails.first?.raw ?? "" }
        #expect(emails.contains("paul@partner.example"))
        #expect(!withPanelists.records.contains { $0.emails.first?.raw == "hanna@leadintake.example" })
    }

    @Test("the real Zoom report in the corpus: detected, attendee rows only")
    func realZoom() throws {
        let path = Paths.corpus("csv/zoomreports/Anonymized_Zoom_Attendee_Report.csv")
        let detection = ImporterRegistry.standard.detect(try SourceFile.open(path: path))
        #expect(detection.winner?.importer.id == "zoom-webinar-attendees")
        #expect(detection.runnerUp != nil)
        let result = try readAll(path, with: detection.winner!.importer)
        #expect(result.records.count == 940)
        #expect(result.records.allSatisfy { $0.emails.first?.raw.hasPrefix("attendee") == true })
        #expect(Set(result.records.compactMap { $0.emails.first?.raw }).count == 469)
        #expect(result.records.first?.name.given == "firstAttendee_130")
        #expect(result.records.first?.attributes["minutes"] == "20")
    }

    @Test("detect names the right preset or the generic importer for every CSV fixture and corpus CSV")
    func detection() throws {
        let expected: [String: String] = [
            "csv/partner-referrals.csv": "csv", "csv/excel-german-semicolon.csv": "csv",
            "csv/webinar-attendees-with-bad-rows.csv": "csv",
        ]
        for (path, id) in expected {
            #expect(ImporterRegistry.standard.detect(try SourceFile.open(path: Paths.fixture(path))).winner?.importer.id == id, "\(path)")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: Paths.corpus("csv/encoding-edge-cases/csvkit")) {
            let file = try SourceFile.open(path: Paths.corpus("csv/encoding-edge-cases/csvkit/" + name))
            #expect(ImporterRegistry.standard.detect(file).winner?.importer.id == "csv", "\(name)")
        }
    }

    @Test("a team's own mapping imports a new layout without code; transforms apply")
    func userMapping() throws {
        let registry = try ImporterRegistry.configured(directory: Paths.root + "/config")
        let path = Paths.fixture("mappings/partner-x-referrals.csv")
        let detection = registry.detect(try SourceFile.open(path: path))
        #expect(detection.winner?.importer.id == "partner-x-referrals")
        #expect(detection.winner?.importer.defaultSourceKind == .referral)
        let result = try readAll(path, with: detection.winner!.importer)
        #expect(result.records.count == 2)
        let ines = result.records[0]
        #expect(ines.name.display == "Ines Ferreira")
        #expect(ines.title == "CMO" && ines.company == "LusoTech")
        #expect(ines.referredBy == "Rui Partner")
        #expect(ines.phones.first?.raw == "+351 912 345 678")
        #expect(ines.attributes["company.employees"] == "80")
        #expect(result.records[1].title == "Head of Demand Gen")
        #expect(result.records[1].company == "Dutch Growth B.V.")  // the Firm column wins over the headline
    }

    @Test("a broken mapping file gives a precise error", arguments: [
        ("id: x\nname: X\n", "m.yml: signature: expected at least one header name that identifies the layout"),
        ("id: Bad Id\nname: X\nsignature: [A]\n", "m.yml: id: expected lower-case letters, digits and dashes, found \"Bad Id\""),
        ("id: x\nname: X\nsignature: [A]\ncolumns: {A: mail}\n", "m.yml: columns.A: unknown target \"mail\"; expected one of: city, company, country, display-name, email, family-name, fax, given-name, home-phone, ignore, middle-name, mobile-phone, name-prefix, name-suffix, notes, personal-email, phone, referred-by, region, social-profile, tags, title, title-at-company, website, work-email, work-phone, attribute NAME"),
        ("id: x\nname: X\nsignature: [A]\ntransforms: {A: [uppercase]}\n", "m.yml: transforms.A: unknown transform \"uppercase\"; expected one of: strip-apostrophe, dash-is-empty, duration-minutes, split-multi, lowercase, strip-label-prefix, last-part, first-part"),
        ("id: x\nname: X\nsignature: [A]\nsource_kind: radio\n", "m.yml: source_kind: expected one of webinar, title-search, purchased-list, referral, partner, event, contacts-export, other, found \"radio\""),
        ("id: x\nname: X\nsignature: [A]\nsignatures: [B]\n", "m.yml: signatures: unknown key; expected one of: columns, file_name, id, name, optional_sections, preamble, section, signature, skip_rows, source_kind, transforms"),
    ])
    func brokenMapping(yaml: String, message: String) {
        do {
            _ = try Mapping.parse(yaml, origin: "m.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("durations", arguments: [("54", "54"), ("1h 5m 3s", "65"), ("1 hour 14 minutes", "74"), ("01:05:03", "65"), ("48 mins", "48"), ("54m 30s", "55")])
    func durations(text: String, minutes: String) {
        #expect(Mapping.minutes(text) == minutes)
    }
}
