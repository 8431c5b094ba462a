import Foundation
import Testing

/// Erasure, do-not-contact lists and hand-off exports, driven through the binary on a real SQLite
/// file (its bytes, its WAL and `sqlite3 .dump` are searched) and on PostgreSQL (`pg_dump`).
@Suite("erase, suppress, hand-off exports")
struct ErasureTests {
    let cli = CLITests()

    /// A partner list and a contacts export naming one person twice (two e-mails, one mobile in two
    /// spellings, a profile URL), with a colleague and a freelancer beside her.
    static let partnerCSV = """
        First Name,Last Name,Email,Phone,Company,Job Title,LinkedIn
        Zofia,Wiśniewska,zofia.wisniewska@example.pl,+48 601 234 567,Kwadrat Sp. z o.o.,Head of Growth,https://www.linkedin.com/in/zofia-wisniewska-kw/
        Marek,Nowak,marek.nowak@kwadrat.example,+48 22 555 01 01,Kwadrat Sp. z o.o.,CTO,
        Lena,Vogel,lena.vogel@gmail.com,,,Freelance Designer,

        """
    static let contactsVCF = """
        BEGIN:VCARD\r
        VERSION:3.0\r
        N:Wiśniewska;Zofia;;;\r
        FN:Zofia Wiśniewska\r
        ORG:Kwadrat\r
        EMAIL;TYPE=INTERNET,WORK:zofia.wisniewska@example.pl\r
        EMAIL;TYPE=INTERNET,HOME:zwisniewska.private@gmail.com\r
        TEL;TYPE=CELL:0048 601 234 567\r
        END:VCARD\r

        """
    /// Every form of the person's data that an import of the two files stores somewhere.
    static let traces = [
        "zofia", "wisniewska", "Wiśniewska", "wiśniewska", "601 234 567", "601234567", "zofia-wisniewska-kw", "zwisniewska",
    ]

    func write(_ name: String, _ text: String) -> String {
        let path = cli.dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The traces found in `text` (case-insensitive).
    static func found(in text: String) -> [String] {
        traces.filter { text.range(of: $0, options: [.caseInsensitive]) != nil }
    }

    static func found(inBytesOf path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return traces.filter { trace in
            let lower = Array(trace.lowercased().utf8), upper = Array(trace.uppercased().utf8), exact = Array(trace.utf8)
            return [lower, upper, exact, Array((trace.prefix(1).uppercased() + trace.dropFirst()).utf8)].contains { data.range(of: Data($0)) != nil }
        }
    }

    func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable) \(arguments.first ?? "") exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    /// Every export the store has, concatenated.
    func allExports(_ store: String) throws -> String {
        var text = ""
        for arguments in [
            ["export", "leads"], ["export", "leads", "--format", "json"], ["export", "provenance"], ["export", "accounts"],
            ["export", "leads", "--format", "hubspot"], ["export", "leads", "--format", "salesforce"], ["export", "leads", "--format", "vcard"],
            ["runs"], ["review", "list"], ["sources", "report"], ["suppressions"],
        ] {
            let result = try cli.run(arguments + ["--store", store])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            text += result.stdout
        }
        return text
    }

    func eraseLeavesNoTrace(store: String, dump: () throws -> String) throws {
        let partner = write("partner.csv", Self.partnerCSV), contacts = write("contacts.vcf", Self.contactsVCF)
        let first = try cli.run(["import", "--store", store, "--profile", "none", partner, contacts])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("3 new leads"), "\(first.stdout)")
        // Before: every trace is there, so the search below can find them.
        #expect(Self.found(in: try dump()).count == Self.traces.count)

        let erase = try cli.run(["erase", "--store", store, "--email", "Zofia.Wisniewska@example.pl", "--reason", "GDPR art. 17"])
        #expect(erase.status == 0, "\(erase.stderr)")
        #expect(erase.stdout.contains("erased 1 lead(s)"), "\(erase.stdout)")
        #expect(erase.stdout.contains("source records 2"), "\(erase.stdout)")
        // Both addresses, the mobile and the profile URL.
        #expect(erase.stdout.contains("suppressed 4 identifier(s)"), "\(erase.stdout)")
        #expect(Self.found(in: erase.stdout + erase.stderr).isEmpty)

        #expect(Self.found(in: try dump()) == [])
        #expect(Self.found(in: try allExports(store)) == [])
        let suppressions = try cli.run(["suppressions", "--store", store])
        #expect(suppressions.stdout.contains("email    2      GDPR art. 17"), "\(suppressions.stdout)")
        #expect(suppressions.stdout.contains("phone    1      GDPR art. 17"), "\(suppressions.stdout)")
        #expect(suppressions.stdout.contains("profile  1      GDPR art. 17"), "\(suppressions.stdout)")
        // The colleague and the freelancer stay; the ledger keeps its counts.
        let leads = try cli.run(["export", "leads", "--store", store])
        #expect(leads.stdout.split(separator: "\r\n").count == 3, "\(leads.stdout)")
        #expect(try cli.run(["runs", "--store", store]).stdout.contains("4/4/0"))

        // The same files again: already loaded, nothing to do. A new export of the same people (here
        // the two files' rows in one new list, her mobile written nationally): 2 suppressed, and
        // nothing of her comes back, in the store or the result files.
        let again = try cli.run(["import", "--store", store, "--profile", "none", partner, contacts])
        #expect(again.stdout.contains("2 already loaded"), "\(again.stdout)")
        let next = write("next-week.csv", """
            First Name,Last Name,Email,Phone,Company,Job Title,LinkedIn
            Zofia,Wisniewska,zwisniewska.private@gmail.com,,,,
            Marek,Nowak,marek.nowak@kwadrat.example,+48 22 555 01 01,Kwadrat Sp. z o.o.,CTO,
            Lena,Vogel,lena.vogel@gmail.com,,,Freelance Designer,
            Zosia,W.,,+48601234567,,,

            """)
        let results = cli.dir + "/results"
        let third = try cli.run(["import", "--store", store, "--profile", "none", "--results", results, next])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("2 suppressed"), "\(third.stdout)")
        #expect(third.stdout.contains("0 new leads"), "\(third.stdout)")
        let resultRows = try String(contentsOfFile: results + "/next-week.results.csv", encoding: .utf8)
        #expect(resultRows.contains("next-week.csv,1,2,suppressed,,on the suppression list"), "\(resultRows)")
        #expect(resultRows.contains("next-week.csv,4,5,suppressed,,on the suppression list"), "\(resultRows)")
        #expect(Self.found(in: try dump()) == [])
        #expect(Self.found(in: resultRows) == [])
    }

    @Test("erase by e-mail (SQLite): no trace in the exports, sqlite3 .dump, the file's bytes or its WAL; a new list with her is suppressed")
    func eraseSQLite() throws {
        let path = cli.dir + "/leads.sqlite"
        try eraseLeavesNoTrace(store: cli.store) {
            let dump = try shell("/usr/bin/env", ["sqlite3", path, ".dump"])
            return dump + Self.found(inBytesOf: path).joined(separator: " ") + Self.found(inBytesOf: path + "-wal").joined(separator: " ")
        }
        #expect(Self.found(inBytesOf: path) == [])
        #expect(Self.found(inBytesOf: path + "-wal") == [])
    }

    @Test("erase by e-mail (PostgreSQL): no trace in the exports or pg_dump; a new list with her is suppressed")
    func erasePostgres() throws {
        let store = try PostgresCLITests().storeURL()
        guard let query = store.range(of: "?") else { return }
        let server = String(store[..<query.lowerBound])
        let schema = String(store[store.index(query.lowerBound, offsetBy: 1)...]).replacingOccurrences(of: "schema=", with: "")
        try eraseLeavesNoTrace(store: store) {
            try shell("/usr/bin/env", ["pg_dump", "--dbname=\(server)", "--schema=\(schema)"])
        }
    }

    @Test("erase --lead and --dry-run: the dry run changes nothing, an unknown lead is an error")
    func eraseByLead() throws {
        let partner = write("partner.csv", Self.partnerCSV)
        _ = try cli.run(["import", "--store", cli.store, "--profile", "none", partner])
        let before = try cli.run(["export", "leads", "--store", cli.store]).stdout
        let dry = try cli.run(["erase", "--store", cli.store, "--lead", "3", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would erase 1 lead(s) (3)"), "\(dry.stdout)")
        #expect(try cli.run(["export", "leads", "--store", cli.store]).stdout == before)
        #expect(try cli.run(["suppressions", "--store", cli.store]).stdout.contains("no suppressions"))
        let missing = try cli.run(["erase", "--store", cli.store, "--lead", "99"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no lead 99"), "\(missing.stderr)")
        let erased = try cli.run(["erase", "--store", cli.store, "--lead", "3"])
        #expect(erased.stdout.contains("erased 1 lead(s) (3)"), "\(erased.stdout)")
        #expect(!(try cli.run(["export", "leads", "--store", cli.store]).stdout.contains("lena.vogel")))
    }

    @Test("erase --file: every person of the list, and the addresses nobody bears are suppressed all the same")
    func eraseFromList() throws {
        let partner = write("partner.csv", Self.partnerCSV)
        _ = try cli.run(["import", "--store", cli.store, "--profile", "none", partner])
        let list = write("requests.csv", "Email Address\nLENA.VOGEL@gmail.com\nnobody@example.com\n")
        let erased = try cli.run(["erase", "--store", cli.store, "--file", list, "--reason", "requests, December"])
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.stdout.contains("erased 1 lead(s) (3)"), "\(erased.stdout)")
        #expect(erased.stdout.contains("suppressed 2 identifier(s); 1 of those asked for are on no stored lead (suppressed all the same)"), "\(erased.stdout)")
        // A list that names nobody is an error with the row count, not a silent no-op.
        let empty = write("empty.csv", "Company\nAcme\n")
        let none = try cli.run(["erase", "--store", cli.store, "--file", empty])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no e-mail, phone, profile URL in 1 row(s); nothing to do"), "\(none.stderr)")
        // A whole domain from the command line.
        let domain = try cli.run(["suppress", "--store", cli.store, "--email", "@kwadrat.example"])
        #expect(domain.stdout.contains("suppressed 1 new identifier(s) (1 domain)"), "\(domain.stdout)")
        let again = write("again.csv", "First Name,Last Name,Email\nEwa,Lis,ewa.lis@kwadrat.example\n")
        #expect(try cli.run(["import", "--store", cli.store, "--profile", "none", again]).stdout.contains("1 suppressed"))
    }

    @Test("a do-not-contact list suppresses by e-mail (any spelling), phone (any format) and whole domain; only hashes are stored")
    func doNotContact() throws {
        let dnc = write("dnc.csv", """
            email,phone
            Press.Office@Example.org,
            ,+44 20 7946 0958
            @competitor.example,

            """)
        let suppress = try cli.run(["suppress", "--store", cli.store, "--file", dnc, "--reason", "legal hold"])
        #expect(suppress.status == 0, "\(suppress.stderr)")
        #expect(suppress.stdout.contains("suppressed 3 new identifier(s) (1 email, 1 phone, 1 domain) from 3 row(s)"), "\(suppress.stdout)")
        let list = write("webinar.csv", """
            First Name,Last Name,Email,Phone,Company,Country
            Pat,Lee,press.office@example.org,,Example Org,
            Sam,Okafor,sam.okafor@mail.example,020 7946 0958,Okafor Ltd,United Kingdom
            Kim,Berg,kim.berg@competitor.example,,Competitor,
            Noor,Haddad,noor.haddad@client.example,,Client Co,

            """)
        let imported = try cli.run(["import", "--store", cli.store, "--profile", "none", "--source-kind", "webinar", list])
        #expect(imported.stdout.contains("3 suppressed"), "\(imported.stdout)")
        #expect(imported.stdout.contains("1 new leads"), "\(imported.stdout)")
        let dump = try shell("/usr/bin/env", ["sqlite3", cli.dir + "/leads.sqlite", ".dump"])
        for value in ["press.office", "7946", "competitor", "okafor", "Pat,Lee", "kim.berg"] {
            #expect(!dump.localizedCaseInsensitiveContains(value), "\(value) is in the store")
        }
        #expect(dump.contains("noor.haddad@client.example"))
        let counts = try cli.run(["suppressions", "--store", cli.store])
        #expect(counts.stdout.contains("domain   1      legal hold"), "\(counts.stdout)")
        #expect(counts.stdout.contains("total 3"), "\(counts.stdout)")
        #expect(!counts.stdout.contains("competitor"))
        // Again: nothing new.
        let twice = try cli.run(["suppress", "--store", cli.store, "--file", dnc])
        #expect(twice.stdout.contains("suppressed 0 new identifier(s)"), "\(twice.stdout)")
        #expect(twice.stdout.contains("3 were suppressed already"), "\(twice.stdout)")
    }
}
