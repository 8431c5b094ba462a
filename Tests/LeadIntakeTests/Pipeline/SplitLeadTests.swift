import Foundation
import LeadCore
import LeadMatch
import LeadPipeline
import LeadStore
import Testing

/// One person split over two leads (their first records shared nothing but a name) becomes one lead
/// when a later record surely matches both; two namesakes stay apart.
@Suite("Leads found to be one person during a run")
struct SplitLeadTests {
    let dir = TempDir()

    @Test("a record that joins two leads of one person merges them; the older id survives", arguments: Backend.available)
    func bridgeMerges(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        // File 1, line 2: work identity. Line 3: the same person, personal identity only (shares only
        // the name): two leads. File 2: both identities at once.
        let first = dir.write("split.csv", """
            First Name,Last Name,Email,Mobile,Company,City
            Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,,Chmura Sp. z o.o.,Kraków
            Katarzyna,Wójcik-Brzęczek,kasia.wb@gmail.com,+48 601 234 567,,Kraków
            """)
        _ = try Pipeline().run(paths: [first], store: store, dryRun: false)
        #expect(try store.leadCount() == 2, "a name and a city alone never merge")
        let bridge = dir.write("bridge.csv", """
            First Name,Last Name,Email,Mobile,Company,City
            Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,+48 601 234 567,Chmura Sp. z o.o.,Kraków
            """)
        let report = try Pipeline().run(paths: [bridge], store: store, dryRun: false)
        #expect(report.recordsLoaded == 1)
        #expect(report.leadsMergedInRun == 1)
        #expect(try store.leadCount() == 1)
        var leads: [StoredLead] = []
        try store.forEachLead { leads.append($0) }
        let lead = try #require(leads.first)
        #expect(lead.id == 1, "the older id survives")
        #expect(Set(lead.lead.emails.compactMap(\.normalized)) == ["katarzyna.wojcik@chmura.pl", "kasia.wb@gmail.com"])
        #expect(try store.sourceRecords(leadID: 1).count == 3, "every record points at the surviving lead")
        let merges = try store.merges(leadID: 1)
        #expect(merges.count == 1 && merges.first?.mergedLeadID == 2)
        #expect(merges.first?.reason.contains("joins both") == true)
        // The merged id is never given to another person.
        let next = dir.write("next.csv", "First Name,Last Name,Email\nNadia,Haddad,nadia@atlas-soft.ma\n")
        _ = try Pipeline().run(paths: [next], store: store, dryRun: false)
        var ids: [Int64] = []
        try store.forEachLead { ids.append($0.id) }
        #expect(ids.sorted() == [1, 3])
    }

    @Test("within one file the bridging record makes one lead of all three, whatever the order", arguments: Backend.available)
    func bridgeInOneFile(_ backend: Backend) throws {
        let rows = [
            "Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,,Chmura Sp. z o.o.,Kraków",
            "Katarzyna,Wójcik-Brzęczek,kasia.wb@gmail.com,+48 601 234 567,,Kraków",
            "Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,+48 601 234 567,Chmura Sp. z o.o.,Kraków",
        ]
        for (n, order) in [[0, 1, 2], [2, 1, 0], [1, 2, 0]].enumerated() {
            let store = try backend.open(try backend.makeURL(in: dir.path + "/\(n)"))
            let file = dir.write("bridge-\(n).csv", (["First Name,Last Name,Email,Mobile,Company,City"] + order.map { rows[$0] }).joined(separator: "\n") + "\n")
            let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
            #expect(report.recordsLoaded == 3)
            #expect(report.newLeads == 1, "order \(order)")
            #expect(report.leadsMergedInRun == 0, "one cluster: no lead is made to be merged afterwards")
            #expect(try store.leadCount() == 1)
            let lead = try #require(try store.lead(id: 1))
            #expect(Set(lead.lead.emails.compactMap(\.normalized)) == ["katarzyna.wojcik@chmura.pl", "kasia.wb@gmail.com"])
        }
    }

    @Test("namesakes at different companies are not merged through a record that matches one", arguments: Backend.available)
    func namesakesStayApart(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let file = dir.write("namesakes.csv", """
            First Name,Last Name,Email,Mobile,Company,City
            John,Smith,john.smith@acme.com,,Acme Inc,Boston
            John,Smith,jsmith@globex.com,+1 617 555 0101,Globex Corporation,Austin
            John,Smith,john.smith@acme.com,+1 415 555 0199,Acme Inc,Boston
            """)
        let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
        #expect(report.leadsMergedInRun == 0)
        #expect(try store.leadCount() == 2)
    }

    @Test("a job change with a rare name is found inside the file, whatever the order: no pass after the file", arguments: Backend.available)
    func rareNameJobChangeInFile(_ backend: Backend) throws {
        // The person's second record (a new employer; nothing shared but the name, the title and the
        // city) is in the same file as 250 other people: the whole file is matched at once, so the
        // name is known to be rare (borne by these two alone) wherever the records sit.
        var others: [String] = []
        let givens = ["Anna", "Omar", "Yuki", "Lena", "Tariq", "Ines", "Pavel", "Mei", "Kofi", "Sara"]
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for i in 0..<250 {
            let family = "Qu" + String(letters[i / 26 % 26]) + String(letters[i % 26]) + "rell"
            others.append("\(givens[i % givens.count]),\(family.capitalized),\(givens[i % givens.count].lowercased()).\(family)@firm\(i).example,Firm \(i) GmbH,,Hamburg,Germany")
        }
        let old = "David,Telvicnan,d.telvicnan@sakuramansten.de,Sakuramansten Software,CTO,Berlin,Germany"
        let new = "David,Telvicnan,d.telvicnan@wonkaro.fr,Wonkaro Group,CTO,Berlin,Germany"
        let header = "First Name,Last Name,Email,Company,Title,City,Country"
        for (n, lines) in [[old, new] + others, [old] + others + [new]].enumerated() {
            let store = try backend.open(try backend.makeURL(in: dir.path + "/\(n)"))
            let file = dir.write("late-\(n).csv", ([header] + lines).joined(separator: "\n") + "\n")
            let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
            #expect(report.recordsLoaded == 252)
            #expect(report.leadsMergedInRun == 0)
            #expect(try store.leadCount() == 251)
            let lead = try #require(try store.lead(id: 1))
            #expect(Set(lead.lead.emails.compactMap(\.normalized)) == ["d.telvicnan@sakuramansten.de", "d.telvicnan@wonkaro.fr"])
            #expect(try store.sourceRecords(leadID: 1).count == 2)
            let explained = try store.sourceRecords(leadID: 1).map(\.explanation)
            #expect(explained.contains { $0.contains("joins lead 1") }, "\(explained)")
            // The later record's job is the current one, the older one's is history.
            #expect(lead.lead.company == "Wonkaro Group")
            #expect(lead.lead.history.map(\.company) == ["Sakuramansten Software"])
        }
    }

    /// The matcher of an older version: no full-name or given-name counters among its keys.
    struct OlderKeys: Matcher {
        let id = "fellegi-sunter"
        let keyVersion = "fellegi-sunter/older"
        let current = ProbabilisticMatcher()
        func keys(for lead: Lead) -> [MatchKey] { current.keys(for: lead).filter { $0.kind != "tf-name" && $0.kind != "tf-given" } }
        func decide(_ record: LeadRecord, candidates: [Candidate], index: any LeadIndex) throws -> MatchDecision {
            try current.decide(record, candidates: candidates, index: index)
        }
    }

    @Test("a store indexed under older keys is re-indexed before a run; a dry run re-indexes only in its rolled-back transaction", arguments: Backend.available)
    func reindexOlderKeys(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        let first = dir.write("first.csv", "First Name,Last Name,Email\nDavid,Telvicnan,d.telvicnan@sakuramansten.de\n")
        _ = try Pipeline(matcher: OlderKeys()).run(paths: [first], store: store, dryRun: false)
        let fullName = MatchKey("tf-name", "david|telvicnan")
        func state() throws -> (String?, Int) {
            try store.transaction(commit: false) { tx in (try tx.keyVersion(), try tx.keyCount(fullName)) }
        }
        #expect(try state() == ("fellegi-sunter/older", 0))
        let second = dir.write("second.csv", "First Name,Last Name,Email\nNadia,Haddad,nadia@atlas-soft.ma\n")
        _ = try Pipeline().run(paths: [second], store: store, dryRun: true)
        #expect(try state() == ("fellegi-sunter/older", 0), "a dry run writes nothing")
        _ = try Pipeline().run(paths: [second], store: store, dryRun: false)
        #expect(try state() == (ProbabilisticMatcher().keyVersion, 1), "the lead stored before now counts")
    }
}
