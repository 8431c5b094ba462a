import Foundation
import Testing

/// `export leads --format hubspot|salesforce|vcard` on the fixtures: the headers the CRMs' import
/// documentation names, values column by column, the filters, and the vCard round trip.
@Suite("hand-off exports")
struct HandoffTests {
    let cli = CLITests()

    /// RFC 4180 rows (quotes, doubled quotes, CRLF), enough to read our own exports.
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        let characters = Array(text)
        var i = 0, quoted = false
        while i < characters.count {
            let c = characters[i]
            i += 1
            if quoted {
                if c == "\"" {
                    if i < characters.count, characters[i] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\r\n", "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// Rows as dictionaries by header, and the header.
    static func table(_ text: String) -> (header: [String], rows: [[String: String]]) {
        let all = rows(text)
        guard let header = all.first else { return ([], []) }
        return (header, all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0).map { ($0, $1) }) })
    }

    func importFixtures(extra: String? = nil, profile: [String] = []) throws {
        let first = try cli.run(["import", "--store", cli.store] + profile + ["fixtures/"])
        #expect(first.status == 1, "\(first.stderr)")
        if let extra {
            let path = cli.dir + "/freelancers.csv"
            FileManager.default.createFile(atPath: path, contents: Data(extra.utf8))
            let second = try cli.run(["import", "--store", cli.store] + profile + [path])
            #expect(second.status == 0, "\(second.stderr)")
        }
    }

    static let freelancers = """
        First Name,Last Name,Email,Phone,Company,Job Title,Country
        Lena,Vogel,lena.vogel@gmail.com,+44 20 7946 0958,,Freelance Designer,United Kingdom
        Max,Kalkül,max.k@posteo.de,,"=HYPERLINK(""http://x.example"")",Consultant,Germany

        """

    @Test("hubspot: HubSpot's contact property labels, in order, and each value of a known lead")
    func hubspot() throws {
        try importFixtures(extra: Self.freelancers)
        let result = try cli.run(["export", "leads", "--store", cli.store, "--format", "hubspot"])
        #expect(result.status == 0, "\(result.stderr)")
        let (header, rows) = Self.table(result.stdout)
        #expect(header == [
            "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Company Name", "Company Domain Name",
            "Job Title", "City", "State/Region", "Country/Region", "Lifecycle Stage", "Lead Status",
            "LeadIntake Lead ID", "LeadIntake Fit Score", "LeadIntake Stage", "LeadIntake Source",
        ])
        let ada = try #require(rows.first { $0["Email"] == "ada.lovelace@engine.example" })
        #expect(ada == [
            "First Name": "Ada", "Last Name": "Lovelace", "Email": "ada.lovelace@engine.example", "Phone Number": "+12125550143",
            "Mobile Phone Number": "+19175550199", "Company Name": "Analytical Engines Inc", "Company Domain Name": "engine.example",
            "Job Title": "VP of Marketing", "City": "New York", "State/Region": "NY", "Country/Region": "United States",
            "Lifecycle Stage": "marketingqualifiedlead", "Lead Status": "NEW", "LeadIntake Lead ID": "37",
            "LeadIntake Fit Score": "100", "LeadIntake Stage": "dream", "LeadIntake Source": "zoominfo-export.csv",
        ])
        let disqualified = try #require(rows.first { $0["LeadIntake Stage"] == "disqualified" })
        #expect(disqualified["Lifecycle Stage"] == "other")
        #expect(disqualified["Lead Status"] == "UNQUALIFIED")
        // Phones stay dialable; a formula in a value is still made inert.
        let lena = try #require(rows.first { $0["Email"] == "lena.vogel@gmail.com" })
        #expect(lena["Phone Number"] == "+442079460958")
        #expect(lena["Country/Region"] == "United Kingdom")
        let max = try #require(rows.first { $0["Email"] == "max.k@posteo.de" })
        #expect(max["Company Name"] == "'=HYPERLINK(\"http://x.example\")")
        #expect(!result.stdout.contains("'+"))
    }

    @Test("salesforce: the Lead object's import columns; Company and Last Name never empty; the profile's fallback company")
    func salesforce() throws {
        let profile = cli.dir + "/icp.yml"
        let shipped = try String(contentsOfFile: CLITests.root + "/config/icp.yml", encoding: .utf8)
        FileManager.default.createFile(atPath: profile, contents: Data((shipped + "\nhandoff:\n  salesforce_company: Individual\n").utf8))
        try importFixtures(extra: Self.freelancers)
        let plain = try cli.run(["export", "leads", "--store", cli.store, "--format", "salesforce"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let (header, rows) = Self.table(plain.stdout)
        #expect(header == [
            "First Name", "Last Name", "Company", "Title", "Email", "Phone", "Mobile", "Street", "City", "State/Province",
            "Zip/Postal Code", "Country", "Website", "Lead Source", "Industry", "No. of Employees", "Annual Revenue", "Description",
        ])
        #expect(rows.count == 46)
        #expect(rows.allSatisfy { !($0["Company"] ?? "").isEmpty && !($0["Last Name"] ?? "").isEmpty })
        let ada = try #require(rows.first { $0["Email"] == "ada.lovelace@engine.example" })
        #expect(ada["Company"] == "Analytical Engines Inc")
        #expect(ada["Lead Source"] == "Purchased List")
        #expect(ada["Industry"] == "Software")
        #expect(ada["No. of Employees"] == "749")
        #expect(ada["Annual Revenue"] == "75000000")
        #expect(ada["Country"] == "United States")
        #expect(ada["Description"]?.hasPrefix("LeadIntake lead 37; fit 100 (dream); ") == true)
        // No company: the company's domain, else Salesforce's placeholder, else what the profile says.
        #expect(rows.first { $0["Email"] == "mariana.costa@vendas.com.br" }?["Company"] == "vendas.com.br")
        #expect(rows.first { $0["Email"] == "lena.vogel@gmail.com" }?["Company"] == "[not provided]")
        let fallback = try cli.run(["export", "leads", "--store", cli.store, "--format", "salesforce", "--profile", profile])
        #expect(Self.table(fallback.stdout).rows.first { $0["Email"] == "lena.vogel@gmail.com" }?["Company"] == "Individual")
    }

    @Test("--stage and --since-run pick the hand-off; a suppressed lead is never handed off")
    func filters() throws {
        try importFixtures(extra: Self.freelancers)
        let qualified = Self.table(try cli.run(["export", "leads", "--store", cli.store, "--format", "hubspot", "--stage", "dream,prospect"]).stdout).rows
        #expect(qualified.map { $0["LeadIntake Lead ID"]! }.sorted() == ["24", "25", "29", "31", "37", "40"])
        // Run 2 loaded the freelancers' file: only its two leads were created or changed since.
        let today = Self.table(try cli.run(["export", "leads", "--store", cli.store, "--format", "salesforce", "--since-run", "2"]).stdout).rows
        #expect(today.map { $0["Email"]! }.sorted() == ["lena.vogel@gmail.com", "max.k@posteo.de"])
        let generic = try cli.run(["export", "leads", "--store", cli.store, "--since-run", "2"])
        #expect(Self.table(generic.stdout).rows.map { $0["email"]! }.sorted() == ["lena.vogel@gmail.com", "max.k@posteo.de"])
        let bad = try cli.run(["export", "leads", "--store", cli.store, "--stage", "hot"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown stage \"hot\""))

        _ = try cli.run(["suppress", "--store", cli.store, "--email", "ADA.LOVELACE@engine.example"])
        let after = try cli.run(["export", "leads", "--store", cli.store, "--format", "vcard", "--stage", "dream", "--out", cli.dir + "/dream.vcf"])
        #expect(after.stderr.contains("exported 0 lead(s) for vcard; 1 left out (suppressed)"), "\(after.stderr)")
    }

    @Test("vcard: 4.0, CRLF, folded at 75 octets, and our own importer reads it back to the same leads")
    func vcardRoundTrip() throws {
        try importFixtures(extra: Self.freelancers)
        let path = cli.dir + "/all.vcf"
        let exported = try cli.run(["export", "leads", "--store", cli.store, "--format", "vcard", "--out", path])
        #expect(exported.stderr.contains("exported 46 lead(s) for vcard"), "\(exported.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.prefix(3) != Data([0xEF, 0xBB, 0xBF]))
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.filter { $0 == "VERSION:4.0" }.count == 46)
        #expect(lines.contains("N:Lovelace;Ada;;Ms.;"))

        let copy = CLITests()
        let imported = try copy.run(["import", "--store", copy.store, "--profile", "none", path])
        #expect(imported.stdout.contains("46 records read, 46 loaded, 0 rejected, 46 new leads"), "\(imported.stdout)")
        let columns = [
            "display_name", "prefix", "given_name", "middle_name", "family_name", "suffix", "email", "emails", "phone", "phones",
            "company", "title", "website", "domain", "city", "region", "country", "social_profiles", "tags",
        ]
        func project(_ store: String, _ cli: CLITests) throws -> [[String]] {
            Self.table(try cli.run(["export", "leads", "--store", store]).stdout).rows.map { row in columns.map { row[$0] ?? "?" } }
        }
        let original = try project(cli.store, cli), back = try project(copy.store, copy)
        #expect(original.count == 46)
        for (a, b) in zip(original, back) { #expect(a == b) }
    }
}
