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
        // Line 2: work identity. Line 3: the same person, personal identity only (shares only the name).
        // Line 4: both identities at once.
        let file = dir.write("bridge.csv", """
            First Name,Last Name,Email,Mobile,Company,City
            Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,,Chmura Sp. z o.o.,Kraków
            Katarzyna,Wójcik-Brzęczek,kasia.wb@gmail.com,+48 601 234 567,,Kraków
            Katarzyna,Wójcik-Brzęczek,katarzyna.wojcik@chmura.pl,+48 601 234 567,Chmura Sp. z o.o.,Kraków
            """)
        let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
        #expect(report.recordsLoaded == 3)
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

    @Test("leads are compared as wholes after each file: a job change the store could not judge yet is merged at the end", arguments: Backend.available)
    func reconcileAfterFile(_ backend: Backend) throws {
        let store = try backend.open(try backend.makeURL(in: dir.path))
        // The person's second record (a new employer; nothing shared but the name, the title and the
        // city) comes when the store holds one lead: too few to know that the name is rare, so it
        // becomes a lead of its own. By the end of the file the store holds 252 leads and the name is
        // still borne by these two alone.
        var lines = [
            "First Name,Last Name,Email,Company,Title,City,Country",
            "David,Telvicnan,d.telvicnan@sakuramansten.de,Sakuramansten Software,CTO,Berlin,Germany",
            "David,Telvicnan,d.telvicnan@wonkaro.fr,Wonkaro Group,CTO,Berlin,Germany",
        ]
        let givens = ["Anna", "Omar", "Yuki", "Lena", "Tariq", "Ines", "Pavel", "Mei", "Kofi", "Sara"]
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for i in 0..<250 {
            let family = "Qu" + String(letters[i / 26 % 26]) + String(letters[i % 26]) + "rell"
            lines.append("\(givens[i % givens.count]),\(family.capitalized),\(givens[i % givens.count].lowercased()).\(family)@firm\(i).example,Firm \(i) GmbH,,Hamburg,Germany")
        }
        let file = dir.write("late.csv", lines.joined(separator: "\n") + "\n")
        let report = try Pipeline().run(paths: [file], store: store, dryRun: false)
        #expect(report.recordsLoaded == 252)
        #expect(report.leadsMergedInRun == 1)
        #expect(try store.leadCount() == 251)
        let merges = try store.merges(leadID: 1)
        #expect(merges.count == 1 && merges.first?.mergedLeadID == 2)
        #expect(merges.first?.reason.contains("match as wholes") == true)
        let lead = try #require(try store.lead(id: 1))
        #expect(Set(lead.lead.emails.compactMap(\.normalized)) == ["d.telvicnan@sakuramansten.de", "d.telvicnan@wonkaro.fr"])
        #expect(try store.sourceRecords(leadID: 1).count == 2)
        // The merged lead's record came later: its job is the current one, the older lead's is history.
        #expect(lead.lead.company == "Wonkaro Group")
        #expect(lead.lead.history.map(\.company) == ["Sakuramansten Software"])
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
