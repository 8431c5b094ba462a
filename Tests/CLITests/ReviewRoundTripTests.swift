import Foundation
import Testing

/// The review queue end to end: a rejected pair stays apart when the same people come again and when
/// a record shows both leads' e-mails (the reconciliation that would otherwise join two stored leads
/// of one person); an accepted pair merges, and the other pending pairs of the merged lead follow it.
@Suite("review round trip")
struct ReviewRoundTripTests {
    let cli = CLITests()

    func write(_ name: String, _ rows: [String]) throws -> String {
        let path = cli.dir + "/" + name
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func reviewList() throws -> String {
        try cli.run(["review", "list", "--all", "--store", cli.store]).stdout
    }

    @Test("reject keeps apart on re-import and reconciliation; accept merges and moves the pending pairs")
    func roundTrip() throws {
        let header = "First Name,Last Name,Email,Company,City,Title"
        let first = try write("first.csv", [header, "Katherine,Nguyen,knguyen@acme.com,Acme,Boston,VP Marketing", "Robert,Smith,rsmith@acme.com,Acme Inc,Boston,CTO"])
        let second = try write("second.csv", [header, "Kate,Nguyen,kate.nguyen@hooli.com,Hooli,Boston,VP Marketing", "Bob,Smith,bob.smith@initech.com,Initech,Boston,CTO"])
        let third = try write("third.csv", [header, "Kate,Nguyen,kate.nguyen@globex.com,Globex,Boston,VP Marketing"])
        #expect(try cli.run(["import", "--store", cli.store, first]).status == 0)
        #expect(try cli.run(["import", "--store", cli.store, second]).stdout.contains("2 new leads, 0 duplicates, 2 to review"))
        #expect(try cli.run(["import", "--store", cli.store, third]).stdout.contains("1 new leads, 0 duplicates, 1 to review"))
        #expect(try reviewList() == """
            #1  pending   P=0.967 (no merge: only the name agrees)  lead 1 Katherine Nguyen  ~  lead 3 Kate Nguyen  [2 records]
            #2  pending   P=0.967 (no merge: only the name agrees)  lead 2 Robert Smith  ~  lead 4 Bob Smith  [2 records]
            #3  pending   P=1.000 (no merge: only the name agrees)  lead 3 Kate Nguyen  ~  lead 5 Kate Nguyen  [2 records]

            """)

        #expect(try cli.run(["review", "accept", "1", "--store", cli.store]).stdout == "merged lead 3 into lead 1\n")
        #expect(try cli.run(["review", "reject", "2", "--store", cli.store]).stdout == "kept apart\n")
        // Lead 3 is gone: its pending pair with lead 5 is now lead 1's.
        #expect(try reviewList() == """
            #3  pending   P=1.000 (no merge: only the name agrees)  lead 1 Katherine Nguyen  ~  lead 5 Kate Nguyen  [3 records]
            #1  accepted  P=0.967 (no merge: only the name agrees)  lead 1 Katherine Nguyen  ~  lead 3 (merged)  [2 records]
            #2  rejected  P=0.967 (no merge: only the name agrees)  lead 2 Robert Smith  ~  lead 4 Bob Smith  [2 records]

            """)

        // A record with both of the rejected pair's e-mails joins one lead, never both.
        let bridge = try write("bridge.csv", [
            "First Name,Last Name,Email,Secondary Email,Company,City,Title", "Robert,Smith,rsmith@acme.com,bob.smith@initech.com,Acme Inc,Boston,CTO",
        ])
        #expect(try cli.run(["import", "--store", cli.store, bridge]).stdout.contains("0 new leads, 1 duplicates\n"))
        // The same person again in another file: a duplicate of one lead, no new review of the pair.
        let again = try write("again.csv", [header, "Bob,Smith,bob.smith@initech.com,Initech,Boston,CTO"])
        let repeated = try cli.run(["import", "--store", cli.store, again])
        #expect(repeated.stdout.contains("0 new leads, 1 duplicates\n"), "\(repeated.stdout)")
        let leads = try cli.run(["export", "leads", "--store", cli.store, "--format", "csv"]).stdout
        let ids = leads.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" }
        #expect(ids == ["1", "2", "4", "5"])
        #expect(try reviewList().contains("#2  rejected  P=0.967 (no merge: only the name agrees)  lead 2 Robert Smith  ~  lead 4 Bob Smith  [4 records]"))
        #expect(try cli.run(["review", "list", "--store", cli.store]).stdout.split(whereSeparator: \.isNewline).count == 1)
    }
}
