import Foundation
import LeadStore
import Testing

/// `leadintake revert`: import A, import B, revert B gives back A's exports byte for byte, on both
/// stores; a revert that a later run blocks refuses, `--cascade` reverts both; merges and review
/// decisions are undone; kill -9 during a revert leaves the store as before or as after it.
@Suite("revert a run", .serialized)
struct RevertTests {
    let cli = CLITests()
    let concurrency = ConcurrencyTests()

    /// The first import: the three CSV fixtures. The second: every other kind of file, whose records
    /// update leads of the first (the same people in other layouts) and add new ones.
    static let first = ["fixtures/csv"]
    static let second = ["fixtures/html", "fixtures/xml", "fixtures/spreadsheets", "fixtures/xcard"]

    func exports(_ store: String) throws -> [String] {
        try ["leads", "provenance", "accounts"].map { what in
            let result = try cli.run(["export", what, "--store", store])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
    }

    func importAThenB(_ store: String) throws -> (afterA: [String], afterB: [String]) {
        #expect(try cli.run(["import", "--store", store] + Self.first).status == 1)
        let afterA = try exports(store)
        let second = try cli.run(["import", "--store", store] + Self.second)
        #expect(second.stdout.contains("31 records read, 30 loaded, 1 rejected, 18 new leads, 12 duplicates"), "\(second.stdout)")
        let afterB = try exports(store)
        #expect(afterA != afterB)
        return (afterA, afterB)
    }

    func revertRoundTrip(_ store: String) throws {
        let (afterA, afterB) = try importAThenB(store)
        // Run 1 is blocked by run 2, which changed leads it made.
        let blocked = try cli.run(["revert", "1", "--store", store])
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("run 1 cannot be reverted alone: later run(s) 2 changed leads or accounts it touched"), "\(blocked.stderr)")
        #expect(try exports(store) == afterB)
        // A dry run says what would change and changes nothing.
        let dry = try cli.run(["revert", "2", "--dry-run", "--store", store])
        #expect(dry.stdout.contains("would revert run 2\n  leads deleted 18, restored 5, merges undone 0"), "\(dry.stdout)")
        #expect(try exports(store) == afterB)

        let revert = try cli.run(["revert", "2", "--store", store])
        #expect(revert.status == 0, "\(revert.stderr)")
        #expect(revert.stdout.contains("source records removed 30, files removed 9"), "\(revert.stdout)")
        #expect(revert.stdout.contains("recorded as run 3 (mode revert)"), "\(revert.stdout)")
        let restored = try exports(store)
        for (a, b) in zip(afterA, restored) { #expect(a == b) }
        let runs = try cli.run(["runs", "--store", store]).stdout
        #expect(runs.contains("2    import   reverted"), "\(runs)")
        #expect(runs.contains("3    revert   succeeded"), "\(runs)")
        #expect(try cli.run(["revert", "2", "--store", store]).stderr.contains("run 2 was reverted already"))

        // B's files import again, to the same leads as the first time (run numbers aside).
        let again = try cli.run(["import", "--store", store] + Self.second)
        #expect(again.stdout.contains("31 records read, 30 loaded, 1 rejected, 18 new leads, 12 duplicates"), "\(again.stdout)")
        #expect(withoutRuns(try exports(store)[0]) == withoutRuns(afterB[0]))

        // --cascade reverts the later run too, newest first, in one transaction: the store is empty.
        let cascade = try cli.run(["revert", "1", "--cascade", "--store", store])
        #expect(cascade.status == 0, "\(cascade.stderr)")
        #expect(cascade.stdout.contains("reverted runs 4, 1"), "\(cascade.stdout)")
        let empty = try exports(store)
        #expect(empty[0].split(separator: "\r\n").count == 1)
        #expect(empty[1].split(separator: "\r\n").count == 1)
    }

    @Test("SQLite: import A, import B, revert B: exports byte-identical to after A; blocked, dry run, re-import, cascade")
    func sqlite() throws {
        try revertRoundTrip(cli.store)
    }

    @Test("PostgreSQL: the same round trip")
    func postgres() throws {
        try revertRoundTrip(try PostgresCLITests().storeURL())
    }

    @Test("a merge of two stored leads made by an import, and an accepted review, are undone with both leads back")
    func merges() throws {
        func write(_ name: String, _ text: String) -> String {
            let path = cli.dir + "/" + name
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }
        let header = "First Name,Last Name,Email,Phone,Company,City,Title\n"
        let a1 = write("crm.csv", header + "Dana,Whitfield,dana.whitfield@corp.example,,Corp Inc,Denver,Head of Sales\n")
        let a2 = write("event.csv", header + "Dana,Whitfield,,+1 415 555 0199,,Denver,Head of Sales\n")
        let bridge = write("bridge.csv", header + "Dana,Whitfield,dana.whitfield@corp.example,+1 415 555 0199,Corp Inc,Denver,Head of Sales\n")
        _ = try cli.run(["import", "--store", cli.store, a1, a2])
        let before = try exports(cli.store)
        #expect(before[0].split(separator: "\r\n").count == 3)
        let review = try cli.run(["review", "list", "--store", cli.store]).stdout
        #expect(review.contains("#1  pending"), "\(review)")

        // The bridging record shows both are one person: the import merges them.
        _ = try cli.run(["import", "--store", cli.store, bridge])
        #expect(try exports(cli.store)[0].split(separator: "\r\n").count == 2)
        let undo = try cli.run(["revert", "2", "--store", cli.store])
        #expect(undo.stdout.contains("leads deleted 0, restored 2, merges undone 1"), "\(undo.stdout)")
        #expect(undo.stdout.contains("review pairs restored 1"), "\(undo.stdout)")
        #expect(try exports(cli.store) == before)
        #expect(try cli.run(["review", "list", "--store", cli.store]).stdout == review)

        // An accepted review is a run of its own, and its revert puts the pair back in the queue.
        let accept = try cli.run(["review", "accept", "1", "--store", cli.store])
        #expect(accept.status == 0, "\(accept.stderr)")
        #expect(try exports(cli.store)[0].split(separator: "\r\n").count == 2)
        let runs = try cli.run(["runs", "--store", cli.store]).stdout
        #expect(runs.contains("4    review   succeeded"), "\(runs)")
        let undoAccept = try cli.run(["revert", "4", "--store", cli.store])
        #expect(undoAccept.stdout.contains("merges undone 1"), "\(undoAccept.stdout)")
        #expect(try exports(cli.store) == before)
        #expect(try cli.run(["review", "list", "--store", cli.store]).stdout == review)
    }

    @Test("review list: the pairs whose decision changes most come first (records of both leads, then fit)")
    func reviewOrder() throws {
        func write(_ name: String, _ text: String) -> String {
            let path = cli.dir + "/" + name
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }
        let header = "First Name,Last Name,Email,Phone,Company,City,Title\n"
        // Ben Ode's pair comes first in the files (review #1), Ana Ruiz's lead has three records.
        let crm = write("crm.csv", header + "Ben,Ode,ben.ode@one.example,,,Lagos,Analyst\n"
            + String(repeating: "Ana,Ruiz,ana.ruiz@one.example,,One Co,Madrid,Head of Sales\n", count: 3))
        let event = write("event.csv", header + "Ben,Ode,,+234 803 123 4567,,Lagos,Analyst\nAna,Ruiz,,+34 612 345 678,,Madrid,Head of Sales\n")
        _ = try cli.run(["import", "--store", cli.store, "--profile", "none", crm])
        _ = try cli.run(["import", "--store", cli.store, "--profile", "none", event])
        let list = try cli.run(["review", "list", "--store", cli.store]).stdout
        #expect(list == """
            #2  pending   P=1.000 (no merge: only the name agrees)  lead 2 Ana Ruiz  ~  lead 4 Ana Ruiz  [4 records]
            #1  pending   P=1.000 (no merge: only the name agrees)  lead 1 Ben Ode  ~  lead 3 Ben Ode  [2 records]

            """)
    }

    @Test("an erasure is not a run to revert, and a revert never brings an erased person back")
    func erasureSticks() throws {
        let (afterA, _) = try importAThenB(cli.store)
        _ = afterA
        // Priya Shah's lead was made by run 1 and updated by run 2.
        let erase = try cli.run(["erase", "--email", "priya@northwind.io", "--store", cli.store])
        #expect(erase.stdout.contains("erased 1 lead(s)"), "\(erase.stdout)")
        let refused = try cli.run(["revert", "3", "--store", cli.store])
        #expect(refused.stderr.contains("run 3 is an erase run: only imports and review decisions can be reverted"), "\(refused.stderr)")
        #expect(try cli.run(["revert", "2", "--store", cli.store]).status == 0)
        let dump = try exports(cli.store).joined()
        #expect(!dump.contains("priya"))
        #expect(!dump.contains("Priya"))
    }

    @Test("kill -9 at random moments of a revert leaves the store as before or as after it")
    func killNine() throws {
        let base = try concurrency.generated(1500)
        let grown = try concurrency.generated(2500)  // the same 1500 leads, then 1000 more
        let path = cli.dir + "/killed.sqlite", url = "sqlite:" + path
        #expect(try cli.run(["import", "--store", url, "--profile", "none", base]).status == 0)
        let afterA = try exports(url)
        var generator = SystemRandomNumberGenerator()
        var outcomes: [String] = []
        for attempt in 0..<4 {
            // B: the grown list again (a fresh copy, so a reverted file loads again).
            let copy = cli.dir + "/grown-\(attempt).csv"
            try FileManager.default.copyItem(atPath: grown, toPath: copy)
            let loaded = try cli.run(["import", "--store", url, "--profile", "none", copy])
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let before = try exports(url)
            let runs = try cli.run(["runs", "--store", url, "--json"]).stdout
            guard let id = (try JSONSerialization.jsonObject(with: Data(runs.utf8)) as? [[String: Any]])?.first?["id"] as? Int else {
                Issue.record("no run id in \(runs)")
                return
            }
            let process = try concurrency.start(["revert", String(id), "--store", url], name: "revert-\(attempt)")
            // A revert of this size takes about 0.3 s with the process start: kill within that window.
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.35, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try SQLiteStore(path: path).integrityCheck() == "ok")
            let after = try exports(url)
            if after == before {
                outcomes.append("before")
                // Not reverted: do it now, so the next attempt starts from A again.
                #expect(try cli.run(["revert", String(id), "--store", url]).status == 0)
            } else {
                outcomes.append("after")
                #expect(after == afterA, "attempt \(attempt): the store holds part of a revert")
            }
            #expect(try exports(url) == afterA)
        }
        #expect(outcomes.count == 4)
    }
}
