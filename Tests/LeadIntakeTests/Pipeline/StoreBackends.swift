import Foundation
import LeadPipeline
import LeadStore
import Testing

/// The store backends the store and pipeline tests run on.
///
/// SQLite always; PostgreSQL when `LEADINTAKE_TEST_POSTGRES` names a server (`make test` starts one on
/// loopback) or `LEADINTAKE_REQUIRE_POSTGRES=1` says it must: then an unreachable or unnamed server fails
/// the PostgreSQL cases instead of skipping them. Each PostgreSQL store is a fresh schema of that
/// database (`?schema=t_...`), so tests run in parallel without seeing each other.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let serverURL = ProcessInfo.processInfo.environment["LEADINTAKE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["LEADINTAKE_REQUIRE_POSTGRES"] == "1"

    /// The backends to test here.
    static var available: [Backend] { serverURL != nil || required ? [.sqlite, .postgres] : [.sqlite] }

    static let skipMessage = """
        PostgreSQL store tests skipped: set LEADINTAKE_TEST_POSTGRES=postgres://USER:PASSWORD@127.0.0.1:PORT/DB \
        (make test starts a server and sets it; LEADINTAKE_REQUIRE_POSTGRES=1 turns a missing server into a failure)
        """

    /// The URL of a new, empty store of this backend (a file in `dir`, or a new schema).
    func makeURL(in dir: String) throws -> String {
        switch self {
        case .sqlite:
            return "sqlite:" + dir + "/store/leads.sqlite"
        case .postgres:
            guard let base = Self.serverURL else {
                if Self.required { throw StoreError("LEADINTAKE_REQUIRE_POSTGRES=1 but LEADINTAKE_TEST_POSTGRES is not set") }
                try Test.cancel(Comment(rawValue: Self.skipMessage))
            }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        }
    }

    /// Opens the store at `url`; an unreachable server fails when required, else skips the case.
    func open(_ url: String) throws -> any LeadStore {
        do {
            return try StoreURL.open(url)
        } catch let error as StoreError where self == .postgres && !Self.required && error.message.hasPrefix("cannot connect") {
            try Test.cancel(Comment(rawValue: "PostgreSQL store tests skipped: \(error.message)"))
        }
    }
}

@Suite("Store backends")
struct StoreBackendTests {
    @Test("PostgreSQL is tested when a server is named (make test starts one)")
    func postgresAvailability() throws {
        if Backend.serverURL == nil && !Backend.required { try Test.cancel(Comment(rawValue: Backend.skipMessage)) }
        let dir = TempDir()
        let url = try Backend.postgres.makeURL(in: dir.path)
        let store = try Backend.postgres.open(url)
        #expect(try store.leadCount() == 0)
        // The location never shows the password.
        let password = try StoreURL.parse(url).postgresPassword
        if let password, !password.isEmpty { #expect(!store.location.contains(password)) }
        #expect(store.location.hasPrefix("postgres://"))
    }

    @Test("two imports of the same files into one shared store at once: each file loaded once, the other run skips it")
    func concurrentImports() throws {
        if Backend.serverURL == nil && !Backend.required { try Test.cancel(Comment(rawValue: Backend.skipMessage)) }
        let dir = TempDir()
        let url = try Backend.postgres.makeURL(in: dir.path)
        // Both open (create the schema, migrate) and import at once.
        let opened = Stores()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in opened.append(Result { try Backend.postgres.open(url) }) }
        let stores = try opened.all.map { try $0.get() }
        let reports = Reports()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            reports.append(Result { try Pipeline().run(paths: [Paths.fixture("csv")], store: stores[i], dryRun: false) })
        }
        let done = try reports.all.map { try $0.get() }
        #expect(done.count == 2)
        #expect(done.map(\.filesLoaded).reduce(0, +) == 3)
        #expect(done.map { $0.files.filter { $0.status == .alreadyLoaded }.count }.reduce(0, +) == 3)
        #expect(try stores[0].leadCount() == 7)
        var provenance = 0
        try stores[1].forEachProvenance { _ in provenance += 1 }
        #expect(provenance == 9)
        #expect(try stores[0].runs().map(\.id).sorted() == [1, 2])
    }

    final class Stores: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<any LeadStore, any Error>] = []
        func append(_ result: Result<any LeadStore, any Error>) { lock.withLock { results.append(result) } }
        var all: [Result<any LeadStore, any Error>] { lock.withLock { results } }
    }

    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<RunReport, any Error>] = []
        func append(_ result: Result<RunReport, any Error>) { lock.withLock { results.append(result) } }
        var all: [Result<RunReport, any Error>] { lock.withLock { results } }
    }

    @Test("store URLs: sqlite and postgres forms, bad ones named")
    func urls() throws {
        #expect(try StoreURL.parse("sqlite:data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        guard case .postgres(let url) = try StoreURL.parse("postgresql://ann:p%40ss@db.example:6543/leads?schema=team_a&sslmode=require") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(url.host == "db.example" && url.port == 6543 && url.user == "ann" && url.password == "p@ss")
        #expect(url.database == "leads" && url.schema == "team_a" && url.sslMode == "require")
        #expect(url.redacted == "postgres://ann@db.example:6543/leads?schema=team_a&sslmode=require")
        guard case .postgres(let plain) = try StoreURL.parse("postgres://bob@[::1]/leads") else { return }
        #expect(plain.port == 5432 && plain.host == "::1" && plain.endpoint == "[::1]:5432" && plain.password == nil)
        #expect(throws: StoreError.self) { try StoreURL.parse("postgres:///leads") }
        #expect(throws: StoreError.self) { try StoreURL.parse("postgres://h/db?schema=Robert'); DROP TABLE leads") }
        #expect(throws: StoreError.self) { try StoreURL.parse("postgres://h/db?user=x") }
        #expect(throws: StoreError.self) { try StoreURL.parse("mysql://h/db") }
    }

    @Test("an unreachable server: a clear error naming host and port, never the password")
    func unreachable() throws {
        let error = try #require(throws: StoreError.self) { try StoreURL.open("postgres://ann:s3cret@127.0.0.1:1/leads") }
        #expect(error.message.contains("127.0.0.1:1"))
        #expect(error.message.contains("connection refused"))
        #expect(!error.message.contains("s3cret"))
    }
}

extension StoreURL.Parsed {
    var postgresPassword: String? {
        if case .postgres(let url) = self { return url.password }
        return nil
    }
}
