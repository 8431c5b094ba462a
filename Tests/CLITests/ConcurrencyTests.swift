import Foundation
import LeadStore
import Testing

/// Two writers at once, a reader during a write, and kill -9 in the middle of an import: the store is
/// never corrupt or mixed, and a rerun completes.
@Suite("Concurrent writers and crashes", .serialized)
struct ConcurrencyTests {
    let cli = CLITests()

    /// Starts the binary without waiting; its output goes to files in the test folder.
    func start(_ arguments: [String], environment: [String: String] = [:], name: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: cli.dir + "/\(name).out", contents: nil)
        FileManager.default.createFile(atPath: cli.dir + "/\(name).err", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: cli.dir + "/\(name).out")
        process.standardError = FileHandle(forWritingAtPath: cli.dir + "/\(name).err")
        try process.run()
        return process
    }

    func output(_ name: String) -> (out: String, err: String) {
        let read = { (suffix: String) in (try? String(contentsOfFile: cli.dir + "/\(name).\(suffix)", encoding: .utf8)) ?? "" }
        return (read("out"), read("err"))
    }

    /// Runs the binary to its end with extra environment.
    func run(_ arguments: [String], environment: [String: String] = [:], name: String) throws -> (status: Int32, out: String, err: String) {
        let process = try start(arguments, environment: environment, name: name)
        process.waitUntilExit()
        let (out, err) = output(name)
        return (process.terminationStatus, out, err)
    }

    /// A generated CSV of `count` distinct leads (scripts/gen-leads-csv, seeded).
    func generated(_ count: Int) throws -> String {
        let path = cli.dir + "/leads-\(count).csv"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLITests.root + "/scripts/gen-leads-csv", String(count)]
        FileManager.default.createFile(atPath: path, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: path)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return path
    }

    /// Every test of a writer held by another: the second writer exits 75 past the bound, or waits and
    /// runs once the first lets go; a reader reads the committed state meanwhile.
    func heldStore(url: String, open: () throws -> any LeadStore) throws {
        // The store with one file loaded.
        let first = try cli.run(["import", "--store", url, "fixtures/csv/partner-referrals.csv"])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try cli.run(["export", "leads", "--store", url]).stdout
        let holder = try open()
        let waiting = try holder.transaction(commit: true) { _ -> Process in
            // Past the bound: exit 75, a clear message, nothing written.
            let busy = try run(
                ["import", "--store", url, "fixtures/csv/excel-german-semicolon.csv"], environment: ["LEADINTAKE_BUSY_TIMEOUT": "1"],
                name: "busy")
            #expect(busy.status == 75, "\(busy.err)")
            #expect(busy.err.contains("store is busy"))
            // A reader is not held up and sees the committed state.
            let reader = try run(["export", "leads", "--store", url], name: "reader")
            #expect(reader.status == 0, "\(reader.err)")
            #expect(reader.out == before)
            // Within the bound: the writer waits, then runs.
            let waiting = try start(
                ["import", "--store", url, "fixtures/csv/excel-german-semicolon.csv"], environment: ["LEADINTAKE_BUSY_TIMEOUT": "60"],
                name: "waiting")
            Thread.sleep(forTimeInterval: 1.5)
            #expect(waiting.isRunning)
            return waiting
        }
        // The holder let go: the waiting writer finishes and loads its file.
        waiting.waitUntilExit()
        let waited = output("waiting")
        #expect(waiting.terminationStatus == 0, "\(waited.err)")
        #expect(waited.out.contains("1 file(s)"), "\(waited.err)")
        #expect(!waited.out.contains("FAILED"))
        let runs = try cli.run(["runs", "--store", url]).stdout
        #expect(runs.split(separator: "\n").count == 3, "\(runs)")  // header, the first import, the waiting one
        #expect(!runs.contains("running"))
    }

    @Test("SQLite: a second writer waits for the first, or past LEADINTAKE_BUSY_TIMEOUT exits 75; a reader is not held up")
    func sqliteHeld() throws {
        let path = cli.dir + "/held.sqlite"
        try heldStore(url: "sqlite:" + path) { try SQLiteStore(path: path) }
    }

    @Test("PostgreSQL: the same, through the advisory lock and lock_timeout")
    func postgresHeld() throws {
        let url = try PostgresCLITests().storeURL()
        try heldStore(url: url) { try PostgresStore(url: url) }
    }

    @Test("SQLite: two imports started at once both load, one after the other, with nothing mixed")
    func twoImports() throws {
        let a = try generated(1500)
        let b = cli.dir + "/b.csv"
        try FileManager.default.copyItem(atPath: "fixtures/csv/partner-referrals.csv".absolute, toPath: b)
        let url = cli.store
        let first = try start(["import", "--store", url, a], name: "a")
        let second = try start(["import", "--store", url, b], name: "b")
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(output("a").err)")
        #expect(second.terminationStatus == 0, "\(output("b").err)")
        let runs = try cli.run(["runs", "--store", url]).stdout.split(separator: "\n")
        #expect(runs.count == 3)
        #expect(runs.dropFirst().allSatisfy { $0.contains("succeeded") })
        // The same leads as one import after the other.
        let leads = try cli.run(["export", "leads", "--store", url]).stdout.split(separator: "\r\n").count
        let reference = "sqlite:" + cli.dir + "/reference.sqlite"
        _ = try cli.run(["import", "--store", reference, a])
        _ = try cli.run(["import", "--store", reference, b])
        #expect(leads == (try cli.run(["export", "leads", "--store", reference]).stdout.split(separator: "\r\n").count))
    }

    @Test("kill -9 at random moments of an import leaves the store intact, and the rerun completes")
    func killNine() throws {
        let file = try generated(2000)
        // The leads of the partner file then the generated one, imported without interruption.
        let reference = "sqlite:" + cli.dir + "/reference.sqlite"
        _ = try cli.run(["import", "--store", reference, "fixtures/csv/partner-referrals.csv"])
        #expect(try cli.run(["import", "--store", reference, file]).status == 0)
        let combined = try cli.run(["export", "leads", "--store", reference]).stdout
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<3 {
            let path = cli.dir + "/killed-\(attempt).sqlite"
            let url = "sqlite:" + path
            // A store with one file in it, then the import that gets killed.
            #expect(try cli.run(["import", "--store", url, "fixtures/csv/partner-referrals.csv"]).status == 0)
            let before = try cli.run(["export", "leads", "--store", url]).stdout
            let process = try start(["import", "--store", url, file], name: "killed-\(attempt)")
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...2.5, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Intact: SQLite's own check, and the leads are those before the killed file or after it.
            let store = try SQLiteStore(path: path)
            #expect(try store.integrityCheck() == "ok")
            let after = try cli.run(["export", "leads", "--store", url]).stdout
            #expect(
                withoutRuns(after) == withoutRuns(before) || withoutRuns(after) == withoutRuns(combined),
                "attempt \(attempt): the store holds part of the killed file")
            // The rerun completes: the file is loaded once, the killed run is marked interrupted.
            let rerun = try cli.run(["import", "--store", url, file])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(withoutRuns(try cli.run(["export", "leads", "--store", url]).stdout) == withoutRuns(combined))
            let runs = try cli.run(["runs", "--store", url]).stdout
            #expect(!runs.contains("running"))
        }
    }
}

/// A leads export without its run columns (`created_run`, `updated_run`): a killed run takes a run id,
/// so the same leads carry other run numbers than in an uninterrupted store.
func withoutRuns(_ csv: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var iterator = csv.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar?
    while let c = pending ?? iterator.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                let next = iterator.next()
                if next == "\"" { field.unicodeScalars.append(c) } else { quoted = false; pending = next }
            } else {
                field.unicodeScalars.append(c)
            }
            continue
        }
        switch c {
        case "\"": quoted = true
        case ",": row.append(field); field = ""
        case "\r": break
        case "\n": row.append(field); field = ""; rows.append(row); row = []
        default: field.unicodeScalars.append(c)
        }
    }
    guard let header = rows.first else { return rows }
    let drop = Set(header.indices.filter { ["created_run", "updated_run"].contains(header[$0]) })
    return rows.map { row in row.indices.filter { !drop.contains($0) }.map { row[$0] } }
}

extension String {
    /// The path relative to the package root.
    fileprivate var absolute: String { CLITests.root + "/" + self }
}
