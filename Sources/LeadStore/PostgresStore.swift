import Foundation
import LeadCore
import LeadMatch
import LeadScore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The shared store: a PostgreSQL database (or one schema of it), migrated on first use.
///
/// The `LeadStore` protocol is synchronous: every call blocks on a future of a private one-thread event
/// loop group (never call it from an async context). One connection, used by one caller at a time.
/// Writers take a transaction-level advisory lock, so imports into one store are serialized as with
/// SQLite's `BEGIN IMMEDIATE`; ids are assigned as `MAX(id) + 1` under that lock, which keeps them
/// dense and equal to what the SQLite store assigns (a rolled-back file leaves no gap).
public final class PostgresStore: LeadStore {
    public let location: String
    private let connection: Connection
    private let group: MultiThreadedEventLoopGroup
    /// Serializes callers: a transaction holds it from BEGIN to COMMIT.
    private let lock = NIOLock()

    /// Connects to the server named by `url` (`postgres://` or `postgresql://`), creates the schema
    /// named by `?schema=` if needed and migrates.
    public convenience init(url: String) throws {
        try self.init(config: PostgresURL(url))
    }

    public init(config: PostgresURL, busyTimeout: Double = BusyTimeout.default) throws {
        location = config.redacted
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "leadintake.postgres")
        logger.logLevel = .critical
        do {
            let configuration = try config.connectionConfiguration()
            let raw = try PostgresNIO.PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
            connection = Connection(raw: raw, logger: logger, lockKey: config.lockKey, busyTimeout: busyTimeout, location: config.redacted)
        } catch {
            try? group.syncShutdownGracefully()
            throw StoreError("cannot connect to PostgreSQL at \(config.endpoint) (database \(config.database), user \(config.user)): \(Connection.describe(error))")
        }
        do {
            // A store that is up to date is opened without the writers' lock: a reader (export, runs)
            // never waits for an import.
            if let schema = config.schema { try connection.exec("SET search_path TO \"\(schema)\"") }
            if try Self.isMigrated(connection) { return }
            // Under the writers' lock: two first uses at once neither race on CREATE SCHEMA nor migrate twice.
            try connection.writing { connection in
                if let schema = config.schema {
                    // An identifier cannot be a bound parameter; PostgresURL allows only [a-z0-9_] names.
                    try connection.exec("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"")
                    // SET (not SET LOCAL) stays for the session once the transaction commits.
                    try connection.exec("SET search_path TO \"\(schema)\"")
                }
                try Self.migrate(connection)
            }
        } catch let error as StoreBusyError {
            throw error
        } catch {
            // deinit closes the connection and shuts the event loop group down.
            throw StoreError("cannot open store \(location): \(error)")
        }
    }

    deinit {
        try? connection.raw.close().wait()
        try? group.syncShutdownGracefully()
    }

    // MARK: Schema

    /// The SQLite store's migrations, in PostgreSQL's types: INTEGER → BIGINT, REAL → DOUBLE PRECISION,
    /// JSON kept as TEXT (byte for byte what SQLite stores). Ids are assigned by the store (MAX + 1).
    static let migrations: [(String, [String])] = [
        ("v1", [
            """
            CREATE TABLE runs (
                id BIGINT PRIMARY KEY,
                mode TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL,
                command TEXT,
                files_seen BIGINT NOT NULL DEFAULT 0,
                files_loaded BIGINT NOT NULL DEFAULT 0,
                files_skipped BIGINT NOT NULL DEFAULT 0,
                files_failed BIGINT NOT NULL DEFAULT 0,
                records_read BIGINT NOT NULL DEFAULT 0,
                records_loaded BIGINT NOT NULL DEFAULT 0,
                records_rejected BIGINT NOT NULL DEFAULT 0,
                leads_new BIGINT NOT NULL DEFAULT 0,
                leads_merged BIGINT NOT NULL DEFAULT 0,
                errors TEXT NOT NULL DEFAULT '[]'
            )
            """,
            """
            CREATE TABLE files (
                id BIGINT PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                path TEXT NOT NULL,
                size BIGINT NOT NULL,
                format TEXT NOT NULL,
                facts TEXT NOT NULL,
                first_run_id BIGINT NOT NULL REFERENCES runs(id),
                records BIGINT NOT NULL DEFAULT 0,
                rejected BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE leads (
                id BIGINT PRIMARY KEY,
                display_name TEXT,
                email TEXT,
                company TEXT,
                data TEXT NOT NULL,
                created_run_id BIGINT NOT NULL REFERENCES runs(id),
                updated_run_id BIGINT NOT NULL REFERENCES runs(id)
            )
            """,
            """
            CREATE TABLE lead_keys (
                kind TEXT NOT NULL,
                key TEXT NOT NULL,
                lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                PRIMARY KEY (kind, key, lead_id)
            )
            """,
            "CREATE INDEX lead_keys_by_lead ON lead_keys(lead_id)",
            """
            CREATE TABLE source_records (
                id BIGINT PRIMARY KEY,
                run_id BIGINT NOT NULL REFERENCES runs(id),
                file_id BIGINT NOT NULL REFERENCES files(id),
                ordinal BIGINT NOT NULL,
                line BIGINT NOT NULL,
                importer TEXT NOT NULL,
                source_name TEXT NOT NULL,
                source_kind TEXT NOT NULL,
                lead_id BIGINT NOT NULL REFERENCES leads(id),
                match TEXT NOT NULL,
                explanation TEXT NOT NULL,
                raw TEXT NOT NULL,
                record TEXT NOT NULL,
                UNIQUE (file_id, ordinal)
            )
            """,
            "CREATE INDEX source_records_by_lead ON source_records(lead_id)",
            """
            CREATE TABLE record_issues (
                id BIGINT PRIMARY KEY,
                run_id BIGINT NOT NULL REFERENCES runs(id),
                file_id BIGINT REFERENCES files(id),
                file_name TEXT NOT NULL,
                ordinal BIGINT,
                line BIGINT,
                field TEXT,
                severity TEXT NOT NULL,
                code TEXT NOT NULL,
                message TEXT NOT NULL
            )
            """,
        ]),
        ("v2-matching", [
            "ALTER TABLE source_records ADD COLUMN comparison TEXT",
            """
            CREATE TABLE review_queue (
                id BIGINT PRIMARY KEY,
                run_id BIGINT NOT NULL REFERENCES runs(id),
                lead_id BIGINT NOT NULL,
                other_lead_id BIGINT NOT NULL,
                source_record_id BIGINT NOT NULL,
                probability DOUBLE PRECISION NOT NULL,
                comparison TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                decided_at TEXT,
                UNIQUE (lead_id, other_lead_id)
            )
            """,
            "CREATE INDEX review_queue_by_status ON review_queue(status)",
            """
            CREATE TABLE lead_merges (
                id BIGINT PRIMARY KEY,
                surviving_lead_id BIGINT NOT NULL,
                merged_lead_id BIGINT NOT NULL,
                reason TEXT NOT NULL,
                merged_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX lead_merges_by_survivor ON lead_merges(surviving_lead_id)",
            """
            CREATE TABLE match_model (
                id BIGINT PRIMARY KEY,
                created_at TEXT NOT NULL,
                model TEXT NOT NULL
            )
            """,
        ]),
        ("v3-scoring", [
            """
            CREATE TABLE scores (
                lead_id BIGINT PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
                fit BIGINT NOT NULL,
                tier TEXT NOT NULL,
                stage TEXT NOT NULL,
                engagement BIGINT NOT NULL,
                profile_version TEXT NOT NULL,
                card TEXT NOT NULL
            )
            """,
            "CREATE INDEX scores_by_stage ON scores(stage)",
            """
            CREATE TABLE account_facts (
                account TEXT PRIMARY KEY,
                facts TEXT NOT NULL
            )
            """,
        ]),
        ("v4-settings", ["CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"]),
        ("v5-leads-by-run", ["CREATE INDEX IF NOT EXISTS leads_by_created_run ON leads(created_run_id)"]),
        ("v6-suppressions", [SuppressionSchema.table]),
        ("v7-revert", RevertSchema.statements(postgres: true)),
    ]

    /// Applies the migrations not yet recorded, inside the caller's locked transaction.
    /// Whether every migration has run (read without a lock).
    static func isMigrated(_ connection: Connection) throws -> Bool {
        let exists = try connection.query("SELECT to_regclass('schema_migrations')::text")
        guard let row = exists.first, (try? row.string(0)) != nil else { return false }
        let done = Set(try connection.query("SELECT identifier FROM schema_migrations").map { try $0.string(0) })
        return migrations.allSatisfy { done.contains($0.0) }
    }

    static func migrate(_ connection: Connection) throws {
        try connection.exec("CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let done = Set(try connection.query("SELECT identifier FROM schema_migrations").map { try $0.string(0) })
        for (identifier, statements) in migrations where !done.contains(identifier) {
            for statement in statements { try connection.exec(statement) }
            try connection.exec("INSERT INTO schema_migrations (identifier) VALUES ($1)", [identifier])
        }
    }

    // MARK: LeadStore

    public func transaction<T>(commit: Bool, _ body: (inout any StoreTransaction) throws -> T) throws -> T {
        try lock.withLock {
            try connection.writing(commit: commit) { connection in
                var tx: any StoreTransaction = PostgresTransaction(connection: connection)
                return try body(&tx)
            }
        }
    }

    private func reading<T>(_ body: (Connection) throws -> T) throws -> T {
        try lock.withLock { try body(connection) }
    }

    private func writing<T>(_ body: (Connection) throws -> T) throws -> T {
        try lock.withLock { try connection.writing(body) }
    }

    static let runColumns = """
        id, mode, started_at, finished_at, status, command, files_seen, files_loaded, files_skipped, files_failed,
        records_read, records_loaded, records_rejected, leads_new, leads_merged, errors
        """

    static func runRecord(_ row: Row) throws -> RunRecord {
        var run = RunRecord(
            id: try row.int64(0), mode: try row.string(1), startedAt: try row.string(2), status: try row.string(4),
            command: try row.optionalString(5))
        run.finishedAt = try row.optionalString(3)
        run.filesSeen = try row.int(6)
        run.filesLoaded = try row.int(7)
        run.filesSkipped = try row.int(8)
        run.filesFailed = try row.int(9)
        run.recordsRead = try row.int(10)
        run.recordsLoaded = try row.int(11)
        run.recordsRejected = try row.int(12)
        run.leadsNew = try row.int(13)
        run.leadsMerged = try row.int(14)
        run.errors = (try? JSONDecoder().decode([String].self, from: Data(try row.string(15).utf8))) ?? []
        return run
    }

    public func runs() throws -> [RunRecord] {
        try reading { try $0.query("SELECT \(Self.runColumns) FROM runs ORDER BY id DESC").map(Self.runRecord) }
    }

    public func forEachLead(_ body: (StoredLead) throws -> Void) throws {
        let decoder = JSONDecoder()
        try reading { connection in
            try connection.stream("""
                SELECT l.id, l.data, l.created_run_id, l.updated_run_id, s.card
                FROM leads l LEFT JOIN scores s ON s.lead_id = l.id ORDER BY l.id
                """) { row in
                let lead = try decoder.decode(Lead.self, from: Data(try row.string(1).utf8))
                try body(StoredLead(
                    id: try row.int64(0), lead: lead, createdRunID: try row.int64(2), updatedRunID: try row.int64(3),
                    score: try row.optionalString(4).map { try decoder.decode(ScoreCard.self, from: Data($0.utf8)) }))
            }
        }
    }

    public func forEachProvenance(_ body: (ProvenanceRow) throws -> Void) throws {
        try reading { connection in
            try connection.stream("""
                SELECT f.name, s.ordinal, s.line, s.lead_id, s.source_name, s.source_kind, s.importer, f.sha256, s.run_id, s.match
                FROM source_records s JOIN files f ON f.id = s.file_id ORDER BY s.id
                """) { row in
                try body(ProvenanceRow(
                    file: try row.string(0), record: try row.int(1), line: try row.int(2), leadID: try row.int64(3),
                    source: try row.string(4), sourceKind: try row.string(5), importer: try row.string(6),
                    sha256: try row.string(7), runID: try row.int64(8), match: try row.string(9)))
            }
        }
    }

    public func leadCount() throws -> Int {
        try reading { try $0.query("SELECT COUNT(*) FROM leads").first?.int(0) ?? 0 }
    }

    public func lead(id: Int64) throws -> StoredLead? {
        try reading { connection in
            try connection.query("SELECT id, data, created_run_id, updated_run_id FROM leads WHERE id = $1", [id]).first.map {
                StoredLead(
                    id: try $0.int64(0), lead: try JSONDecoder().decode(Lead.self, from: Data(try $0.string(1).utf8)),
                    createdRunID: try $0.int64(2), updatedRunID: try $0.int64(3), score: nil)
            }
        }
    }

    public func sourceRecords(leadID: Int64) throws -> [SourceRecordRow] {
        let decoder = JSONDecoder()
        return try reading { connection in
            try connection.query("""
                SELECT s.id, f.name, s.ordinal, s.line, s.match, s.explanation, s.comparison, s.run_id, s.record
                FROM source_records s JOIN files f ON f.id = s.file_id WHERE s.lead_id = $1 ORDER BY s.id
                """, [leadID]).map { row in
                SourceRecordRow(
                    id: try row.int64(0), file: try row.string(1), record: try row.int(2), line: try row.int(3),
                    match: try row.string(4), explanation: try row.string(5),
                    comparison: try row.optionalString(6).map { try decoder.decode(Comparison.self, from: Data($0.utf8)) },
                    runID: try row.int64(7), data: try decoder.decode(LeadRecord.self, from: Data(try row.string(8).utf8)))
            }
        }
    }

    public func merges(leadID: Int64) throws -> [LeadMergeRow] {
        try reading { connection in
            try connection.query("""
                SELECT surviving_lead_id, merged_lead_id, reason, merged_at FROM lead_merges WHERE surviving_lead_id = $1 ORDER BY id
                """, [leadID]).map {
                LeadMergeRow(survivingLeadID: try $0.int64(0), mergedLeadID: try $0.int64(1), reason: try $0.string(2), mergedAt: try $0.string(3))
            }
        }
    }

    public func forEachSourceRecord(limit: Int, _ body: (LeadRecord) throws -> Void) throws {
        let decoder = JSONDecoder()
        try reading { connection in
            try connection.stream("SELECT record FROM source_records ORDER BY id LIMIT $1", [Int64(limit)]) { row in
                try body(try decoder.decode(LeadRecord.self, from: Data(try row.string(0).utf8)))
            }
        }
    }

    static let reviewColumns = "id, lead_id, other_lead_id, source_record_id, probability, comparison, status, run_id, decided_at"

    static func reviewItem(_ row: Row) throws -> ReviewItem {
        ReviewItem(
            id: try row.int64(0), leadID: try row.int64(1), otherLeadID: try row.int64(2), sourceRecordID: try row.int64(3),
            probability: try row.double(4), comparison: try JSONDecoder().decode(Comparison.self, from: Data(try row.string(5).utf8)),
            status: try row.string(6), createdRunID: try row.int64(7), decidedAt: try row.optionalString(8))
    }

    public func reviews(status: String?) throws -> [ReviewItem] {
        try reading { connection in
            if let status {
                return try connection.query(
                    "SELECT \(Self.reviewColumns) FROM review_queue WHERE status = $1 ORDER BY id", [status]
                ).map(Self.reviewItem)
            }
            return try connection.query("SELECT \(Self.reviewColumns) FROM review_queue ORDER BY id").map(Self.reviewItem)
        }
    }

    public func review(id: Int64) throws -> ReviewItem? {
        try reading { try $0.query("SELECT \(Self.reviewColumns) FROM review_queue WHERE id = $1", [id]).first.map(Self.reviewItem) }
    }

    public func decideReview(id: Int64, accept: Bool, at time: String) throws {
        try writing { connection in
            guard let row = try connection.query("SELECT \(Self.reviewColumns) FROM review_queue WHERE id = $1", [id]).first else {
                throw StoreError("no review item \(id)")
            }
            let item = try Self.reviewItem(row)
            guard item.status == "pending" else { throw StoreError("review item \(id) was already \(item.status)") }
            // The decision is a run of the ledger, so `revert` can take it back.
            var tx = PostgresTransaction(connection: connection)
            tx.runID = try tx.beginRun(mode: "review", command: "leadintake review \(accept ? "accept" : "reject") \(id)", startedAt: time)
            let survivor = min(item.leadID, item.otherLeadID), merged = max(item.leadID, item.otherLeadID)
            try tx.snapshot(review: id)
            if accept { try tx.snapshot(leads: [survivor, merged], moving: [merged]) }
            try connection.exec(
                "UPDATE review_queue SET status = $1, decided_at = $2 WHERE id = $3", [accept ? "accepted" : "rejected", time, id])
            if accept {
                try Self.mergeLeads(connection, survivor: survivor, merged: merged, reason: "review \(id) accepted: \(item.comparison.summary)", at: time, runID: tx.runID)
            }
            var run = RunRecord(id: tx.runID, mode: "review", startedAt: time, status: "succeeded", command: "leadintake review \(accept ? "accept" : "reject") \(id)")
            run.finishedAt = time
            if accept { run.leadsMerged = 1 }
            try tx.updateRun(run)
        }
    }

    /// Merges lead `merged` into `survivor` (the older id): data, keys, source records, queue entries.
    static func mergeLeads(_ connection: Connection, survivor: Int64, merged: Int64, reason: String, at time: String, runID: Int64) throws {
        let decoder = JSONDecoder()
        func load(_ id: Int64) throws -> Lead {
            guard let data = try connection.query("SELECT data FROM leads WHERE id = $1", [id]).first?.string(0) else {
                throw StoreError("lead \(id) no longer exists (merged earlier?)")
            }
            return try decoder.decode(Lead.self, from: Data(data.utf8))
        }
        var lead = try load(survivor)
        // The lead whose latest record came later holds the current job.
        func latest(_ id: Int64) throws -> Int64 {
            try connection.query("SELECT COALESCE(MAX(id), 0) FROM source_records WHERE lead_id = $1", [id]).first?.int64(0) ?? 0
        }
        LeadMerger.merge(lead: try load(merged), into: &lead, otherIsNewer: try latest(merged) > latest(survivor))
        try connection.exec(
            "UPDATE leads SET display_name = $1, email = $2, company = $3, data = $4 WHERE id = $5",
            [lead.name.best, lead.primaryEmail?.normalized, lead.company, try CompactJSON.encode(lead), survivor])
        try connection.exec(
            "INSERT INTO lead_keys (kind, key, lead_id) SELECT kind, key, $1 FROM lead_keys WHERE lead_id = $2 ON CONFLICT DO NOTHING",
            [survivor, merged])
        try connection.exec("DELETE FROM lead_keys WHERE lead_id = $1", [merged])
        try connection.exec("UPDATE source_records SET lead_id = $1 WHERE lead_id = $2", [survivor, merged])
        // SQLite's UPDATE OR IGNORE: a row whose new pair already exists keeps its old value.
        try connection.exec("""
            UPDATE review_queue r SET lead_id = $1 WHERE r.lead_id = $2 AND r.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM review_queue q WHERE q.lead_id = $1 AND q.other_lead_id = r.other_lead_id)
            """, [survivor, merged])
        try connection.exec("""
            UPDATE review_queue r SET other_lead_id = $1 WHERE r.other_lead_id = $2 AND r.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM review_queue q WHERE q.lead_id = r.lead_id AND q.other_lead_id = $1)
            """, [survivor, merged])
        try connection.exec("DELETE FROM review_queue WHERE status = 'pending' AND lead_id = other_lead_id")
        try connection.exec("DELETE FROM scores WHERE lead_id = $1", [merged])
        try connection.exec("DELETE FROM leads WHERE id = $1", [merged])
        try connection.exec("""
            INSERT INTO lead_merges (id, surviving_lead_id, merged_lead_id, reason, merged_at, run_id)
            VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM lead_merges), $1, $2, $3, $4, $5)
            """, [survivor, merged, reason, time, runID])
    }

    public func scoreCard(leadID: Int64) throws -> ScoreCard? {
        try reading { connection in
            try connection.query("SELECT card FROM scores WHERE lead_id = $1", [leadID]).first.map {
                try JSONDecoder().decode(ScoreCard.self, from: Data(try $0.string(0).utf8))
            }
        }
    }

    public func rescore(force: Bool, profileVersion: String, _ score: (Lead, CompanyFacts?) -> ScoreCard) throws -> Int {
        try writing { connection in
            var tx = PostgresTransaction(connection: connection)
            tx.runID = 0
            let rows = try connection.query("""
                SELECT l.id, l.data FROM leads l LEFT JOIN scores s ON s.lead_id = l.id
                WHERE $1 OR s.profile_version IS NULL OR s.profile_version <> $2 ORDER BY l.id
                """, [force, profileVersion])
            let decoder = JSONDecoder()
            for row in rows {
                let lead = try decoder.decode(Lead.self, from: Data(try row.string(1).utf8))
                let account = try LeadFacts.accountKey(lead).flatMap { try tx.accountFacts($0) }
                try tx.saveScore(leadID: try row.int64(0), score(lead, account))
            }
            return rows.count
        }
    }

    public func sourceYield() throws -> [SourceYield] {
        try reading { connection in
            var result: [SourceYield] = []
            // Fixed expressions (no values): SQLite's json_extract(record, '$.referredBy') is ->> here.
            for (column, kind) in [("s.source_name", "source"), ("(s.record::json ->> 'referredBy')", "referrer")] {
                let rows = try connection.query("""
                    SELECT \(column) AS name, MIN(s.source_kind), COUNT(*),
                      SUM(CASE WHEN s.match = 'new' THEN 1 ELSE 0 END), SUM(CASE WHEN s.match = 'merged' THEN 1 ELSE 0 END)
                    FROM source_records s WHERE \(column) IS NOT NULL GROUP BY \(column) ORDER BY \(column) COLLATE "C"
                    """)
                for row in rows {
                    let name = try row.string(0)
                    var stages: [String: Int] = [:]
                    for stageRow in try connection.query("""
                        SELECT COALESCE(sc.stage, 'unscored'), COUNT(DISTINCT s.lead_id)
                        FROM source_records s LEFT JOIN scores sc ON sc.lead_id = s.lead_id
                        WHERE \(column) = $1 GROUP BY 1
                        """, [name])
                    {
                        stages[try stageRow.string(0)] = try stageRow.int(1)
                    }
                    result.append(SourceYield(
                        name: name, kind: kind, sourceKind: kind == "source" ? try row.optionalString(1) : nil, records: try row.int(2),
                        newLeads: try row.optionalInt(3) ?? 0, alreadyKnown: try row.optionalInt(4) ?? 0, stages: stages))
                }
            }
            return result
        }
    }

    public func matchModel() throws -> MatchModel? {
        try reading { connection in
            try connection.query("SELECT model FROM match_model ORDER BY id DESC LIMIT 1").first.map {
                try JSONDecoder().decode(MatchModel.self, from: Data(try $0.string(0).utf8))
            }
        }
    }

    public func saveMatchModel(_ model: MatchModel, at time: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(model), as: UTF8.self)
        try writing { connection in
            _ = try connection.exec(
                "INSERT INTO match_model (id, created_at, model) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM match_model), $1, $2)", [time, json])
        }
    }

    public func suppressionCounts() throws -> [SuppressionCount] {
        try reading { connection in try PostgresTransaction(connection: connection).suppressionCountRows() }
    }

    public func suppressionSnapshot() throws -> (hasher: SuppressionHasher, hashes: Set<String>)? {
        try reading { connection in try PostgresTransaction(connection: connection).snapshotRows() }
    }

    public func purgeDeleted() throws -> String {
        try reading { connection in
            // Marks the deleted rows' space free (outside a transaction, as VACUUM must run); pg_dump
            // never read them. What WAL archives and backups keep is the operator's retention policy.
            for table in ["leads", "lead_keys", "source_records", "record_issues", "review_queue", "lead_merges", "scores", "account_facts", "files"] {
                try connection.exec("VACUUM \(table)")
            }
            return "deleted rows vacuumed; WAL archives and backups keep them until their retention ends (docs/privacy.md)"
        }
    }

    public func markInterruptedRuns() throws {
        try writing { _ = try $0.exec("UPDATE runs SET status = 'interrupted' WHERE status = 'running'") }
    }
}

/// The open transaction on the store's connection.
struct PostgresTransaction: StoreTransaction, RunScoped {
    let connection: PostgresStore.Connection
    var sql: any SQLExecutor { PostgresExecutor(connection: connection) }
    var runID: Int64 = 0
    /// Lead count, read once then kept up to date by inserts.
    final class Counter {
        var leads: Int?
        /// Next id per table, read once (MAX(id)) then counted here: the store's lock keeps other writers out.
        var nextID: [String: Int64] = [:]
    }
    let counter = Counter()
    let decoder = JSONDecoder()

    init(connection: PostgresStore.Connection) {
        self.connection = connection
    }

    /// Stored JSON (leads, records, comparisons, cards): the streaming encoder of LeadCore.
    private func json<T: Encodable>(_ value: T) throws -> String {
        try CompactJSON.encode(value)
    }

    let cache = LeadCache()
    let keyCounts = KeyCounts()

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try connection.exec("SAVEPOINT file_load")
        let (count, ids) = (counter.leads, counter.nextID)
        do {
            let result = try body()
            try connection.exec("RELEASE SAVEPOINT file_load")
            return result
        } catch {
            _ = try? connection.flush()
            try connection.exec("ROLLBACK TO SAVEPOINT file_load")
            try connection.exec("RELEASE SAVEPOINT file_load")
            (counter.leads, counter.nextID) = (count, ids)
            cache.leads.removeAll()
            keyCounts.counts.removeAll()
            throw error
        }
    }

    /// Inserts a row whose id is one more than the table's largest (for leads: than any lead id ever
    /// given, merged ones included, as in the SQLite store) and returns the id.
    /// The id is counted here, so the INSERT is pipelined: no wait for the server per row.
    private func insert(_ table: String, _ columns: [String], _ values: [any PGValue]) throws -> Int64 {
        let id: Int64
        if let next = counter.nextID[table] {
            id = next
        } else {
            // A merged lead's id is never given to another person: ids stay stable in the ledger.
            let sql = table == "leads"
                ? "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM leads), (SELECT COALESCE(MAX(merged_lead_id), 0) FROM lead_merges))"
                : "SELECT COALESCE(MAX(id), 0) FROM \(table)"
            id = (try connection.query(sql).first?.int64(0) ?? 0) + 1
        }
        counter.nextID[table] = id + 1
        let placeholders = (1...values.count + 1).map { "$\($0)" }.joined(separator: ", ")
        try connection.pipelined(
            "INSERT INTO \(table) (id, \(columns.joined(separator: ", "))) VALUES (\(placeholders))", [id as any PGValue] + values)
        return id
    }

    func beginRun(mode: String, command: String?, startedAt: String) throws -> Int64 {
        guard let id = try connection.query("""
            INSERT INTO runs (id, mode, started_at, status, command)
            VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM runs), $1, $2, 'running', $3) RETURNING id
            """, [mode, startedAt, command]).first?.int64(0) else { throw StoreError("INSERT INTO runs returned no id") }
        return id
    }

    func updateRun(_ run: RunRecord) throws {
        try connection.pipelined("""
            UPDATE runs SET finished_at = $1, status = $2, files_seen = $3, files_loaded = $4, files_skipped = $5,
              files_failed = $6, records_read = $7, records_loaded = $8, records_rejected = $9, leads_new = $10,
              leads_merged = $11, errors = $12 WHERE id = $13
            """, [
                run.finishedAt, run.status, run.filesSeen, run.filesLoaded, run.filesSkipped, run.filesFailed,
                run.recordsRead, run.recordsLoaded, run.recordsRejected, run.leadsNew, run.leadsMerged,
                try json(run.errors), run.id,
            ])
    }

    func loadedFile(sha256: String) throws -> LoadedFile? {
        try connection.query("SELECT id, sha256, name, first_run_id, records FROM files WHERE sha256 = $1", [sha256]).first.map {
            LoadedFile(id: try $0.int64(0), sha256: try $0.string(1), name: try $0.string(2), firstRunID: try $0.int64(3), records: try $0.int(4))
        }
    }

    func insertFile(_ file: FileEntry) throws -> Int64 {
        try insert(
            "files", ["sha256", "name", "path", "size", "format", "facts", "first_run_id"],
            [file.sha256, file.name, file.path, file.size, file.format, try json(file.facts), runID])
    }

    func finishFile(id: Int64, records: Int, rejected: Int, facts: [String: String]) throws {
        try connection.pipelined("UPDATE files SET records = $1, rejected = $2, facts = $3 WHERE id = $4", [records, rejected, try json(facts), id])
    }

    func lead(id: Int64) throws -> Lead? {
        if let cached = cache.leads[id] { return cached.lead }
        guard let lead = try connection.query("SELECT data FROM leads WHERE id = $1", [id]).first.map({
            try decoder.decode(Lead.self, from: Data(try $0.string(0).utf8))
        }) else { return nil }
        cache.put(id, lead, createdRun: nil)
        return lead
    }

    func accountFacts(_ account: String) throws -> CompanyFacts? {
        try connection.query("SELECT facts FROM account_facts WHERE account = $1", [account]).first.map {
            try decoder.decode(CompanyFacts.self, from: Data(try $0.string(0).utf8))
        }
    }

    func mergeAccountFacts(_ accounts: [(String, CompanyFacts)]) throws {
        let changed = accounts.filter { !$0.1.isEmpty }
        try connection.flush()
        try snapshot(accounts: changed.map(\.0))
        for (account, facts) in changed { try upsertAccountFacts(account, facts) }
    }

    func mergeAccountFacts(_ account: String, _ facts: CompanyFacts) throws {
        guard !facts.isEmpty else { return }
        try snapshot(account: account)
        try upsertAccountFacts(account, facts)
    }

    private func upsertAccountFacts(_ account: String, _ facts: CompanyFacts) throws {
        let merged = facts.filled(from: try accountFacts(account))
        try connection.pipelined(
            "INSERT INTO account_facts (account, facts) VALUES ($1, $2) ON CONFLICT (account) DO UPDATE SET facts = excluded.facts",
            [account, try json(merged)])
    }

    func saveScore(leadID: Int64, _ card: ScoreCard) throws {
        try connection.pipelined("""
            INSERT INTO scores (lead_id, fit, tier, stage, engagement, profile_version, card) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (lead_id) DO UPDATE SET fit = excluded.fit, tier = excluded.tier, stage = excluded.stage,
              engagement = excluded.engagement, profile_version = excluded.profile_version, card = excluded.card
            """, [leadID, card.fit, card.tier, card.stage.rawValue, card.engagement, card.profileVersion, try json(card)])
    }

    func keyCount(_ key: MatchKey) throws -> Int {
        if let count = keyCounts.counts[key] { return count }
        let count = try connection.query("SELECT COUNT(*) FROM lead_keys WHERE kind = $1 AND key = $2", [key.kind, key.value]).first?.int(0) ?? 0
        keyCounts.put(key, count)
        return count
    }

    func indexedLeadCount() throws -> Int {
        if let count = counter.leads { return count }
        let count = try connection.query("SELECT COUNT(*) FROM leads").first?.int(0) ?? 0
        counter.leads = count
        return count
    }

    func isRejectedPair(_ a: Int64, _ b: Int64) throws -> Bool {
        try !connection.query("""
            SELECT 1 FROM review_queue WHERE status = 'rejected' AND ((lead_id = $1 AND other_lead_id = $2) OR (lead_id = $2 AND other_lead_id = $1))
            """, [a, b]).isEmpty
    }

    func mergeLeads(survivor: Int64, merged: Int64, reason: String, at time: String) throws {
        try connection.flush()
        try snapshot(leads: [survivor, merged], moving: [merged])
        try PostgresStore.mergeLeads(connection, survivor: survivor, merged: merged, reason: reason, at: time, runID: runID)
        if let count = counter.leads { counter.leads = count - 1 }
        cache.leads[survivor] = nil
        cache.leads[merged] = nil
        keyCounts.counts.removeAll(keepingCapacity: true)
    }

    func insertReview(leadID: Int64, otherLeadID: Int64, sourceRecordID: Int64, probability: Double, comparison: Comparison) throws {
        try connection.pipelined("""
            INSERT INTO review_queue (id, run_id, lead_id, other_lead_id, source_record_id, probability, comparison)
            VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM review_queue), $1, $2, $3, $4, $5, $6)
            ON CONFLICT (lead_id, other_lead_id) DO NOTHING
            """, [runID, leadID, otherLeadID, sourceRecordID, probability, try json(comparison)])
    }

    /// Leads sharing a key, most shared keys first; same rules as the SQLite store (a key shared by more
    /// than `maxBlock` leads is skipped, at most `maxCandidates` leads are read), in two round trips:
    /// every key's block in one query, then the chosen leads in one.
    func candidates(for keys: [MatchKey]) throws -> [Candidate] {
        let maxBlock = 50, maxCandidates = 20
        guard !keys.isEmpty else { return [] }
        let rows = try connection.query("""
            SELECT k.ordinality, b.lead_id
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(kind, key, ordinality)
            CROSS JOIN LATERAL (
              SELECT lead_id FROM lead_keys WHERE kind = k.kind AND key = k.key LIMIT \(maxBlock + 1)
            ) b
            """, [keys.map(\.kind), keys.map(\.value)])
        var blocks: [Int64: Set<Int64>] = [:]
        var sizes: [Int64: Int] = [:]
        for row in rows {
            let ordinal = try row.int64(0)
            sizes[ordinal, default: 0] += 1
            blocks[ordinal, default: []].insert(try row.int64(1))
        }
        var shared: [Int64: Int] = [:]
        for (ordinal, ids) in blocks where sizes[ordinal, default: 0] <= maxBlock {
            for id in ids { shared[id, default: 0] += 1 }
        }
        let chosen = shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxCandidates).map(\.key)
        guard !chosen.isEmpty else { return [] }
        // Leads this transaction decoded before are not read again.
        let unread = chosen.filter { cache.leads[$0]?.createdRun == nil }
        if !unread.isEmpty {
            for row in try connection.query("SELECT id, data, created_run_id FROM leads WHERE id = ANY($1::bigint[])", [unread]) {
                let id = try row.int64(0)
                if let cached = cache.leads[id] {
                    cache.put(id, cached.lead, createdRun: try row.int64(2), memo: cached.memo)
                } else {
                    cache.put(id, try decoder.decode(Lead.self, from: Data(try row.string(1).utf8)), createdRun: try row.int64(2))
                }
            }
        }
        return chosen.compactMap { id in
            guard let cached = cache.leads[id], let created = cached.createdRun else { return nil }
            return Candidate(id: id, lead: cached.lead, createdInThisRun: created == runID, memo: cached.memo)
        }
    }

    func insertLead(_ lead: Lead, keys: [MatchKey]) throws -> Int64 {
        let id = try insert(
            "leads", ["display_name", "email", "company", "data", "created_run_id", "updated_run_id"],
            [lead.name.best, lead.primaryEmail?.normalized, lead.company, try json(lead), runID, runID])
        try insertKeys(keys, leadID: id)
        if let count = counter.leads { counter.leads = count + 1 }
        cache.put(id, lead, createdRun: runID)
        return id
    }

    func updateLead(id: Int64, lead: Lead, keys: [MatchKey]) throws {
        try connection.pipelined("""
            UPDATE leads SET display_name = $1, email = $2, company = $3, data = $4, updated_run_id = $5 WHERE id = $6
            """, [lead.name.best, lead.primaryEmail?.normalized, lead.company, try json(lead), runID, id])
        try insertKeys(keys, leadID: id)
        cache.put(id, lead, createdRun: nil)
    }

    func erase(leads ids: [Int64], scrubbing strings: [String]) throws -> ErasureResult {
        try connection.flush()
        let result = try eraseRows(leads: ids, scrubbing: strings)
        cache.leads.removeAll()
        keyCounts.counts.removeAll()
        counter.leads = nil
        return result
    }

    /// All keys of a lead in one statement (arrays unnested server-side).
    func keyVersion() throws -> String? {
        try connection.query("SELECT value FROM settings WHERE name = 'key_version'").first.map { try $0.string(0) }
    }

    func reindex(version: String, keys: (Lead) -> [MatchKey]) throws -> Int {
        // A page of leads at a time: the whole table is not held in memory.
        var count = 0, after: Int64 = 0
        while true {
            let rows = try connection.query("SELECT id, data FROM leads WHERE id > $1 ORDER BY id LIMIT 1000", [after])
            guard !rows.isEmpty else { break }
            for row in rows {
                let id = try row.int64(0)
                try insertKeys(keys(try decoder.decode(Lead.self, from: Data(try row.string(1).utf8))), leadID: id)
                after = id
                count += 1
            }
        }
        try connection.exec("""
            INSERT INTO settings (name, value) VALUES ('key_version', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, [version])
        return count
    }

    private func insertKeys(_ keys: [MatchKey], leadID: Int64) throws {
        guard !keys.isEmpty else { return }
        // Pipelined, so whether a key was new is not known here: its count is read again when asked.
        for key in keys { keyCounts.counts[key] = nil }
        try connection.pipelined("""
            INSERT INTO lead_keys (kind, key, lead_id) SELECT kind, key, $3 FROM unnest($1::text[], $2::text[]) AS k(kind, key)
            ON CONFLICT DO NOTHING
            """, [keys.map(\.kind), keys.map(\.value), leadID])
    }

    @discardableResult
    func insertSourceRecord(_ entry: SourceRecordEntry) throws -> Int64 {
        let p = entry.record.provenance
        return try insert(
            "source_records",
            ["run_id", "file_id", "ordinal", "line", "importer", "source_name", "source_kind", "lead_id", "match",
             "explanation", "raw", "record", "comparison"],
            [
                runID, entry.fileID, p.record, p.line, p.importer, entry.record.source.name,
                entry.record.source.kind.rawValue, entry.leadID, entry.match, entry.explanation,
                try json(entry.raw), try json(entry.record), try entry.comparison.map(json),
            ])
    }

    func insertIssue(_ issue: Issue, fileID: Int64?) throws {
        _ = try insert(
            "record_issues", ["run_id", "file_id", "file_name", "ordinal", "line", "field", "severity", "code", "message"],
            [
                runID, fileID, issue.location.file, issue.location.record, issue.location.line, issue.location.field,
                issue.severity.rawValue, issue.code, issue.message,
            ])
    }
}

// MARK: - Connection

extension PostgresStore {
    /// The store's one connection with blocking helpers. Used by one caller at a time (the store's lock).
    final class Connection: @unchecked Sendable {
        let raw: PostgresNIO.PostgresConnection
        let logger: Logger
        /// Advisory lock taken by every writing transaction (per schema).
        let lockKey: Int64
        /// Seconds a writer waits for that lock, and the store's name for the error past it.
        let busyTimeout: Double
        let location: String

        init(raw: PostgresNIO.PostgresConnection, logger: Logger, lockKey: Int64, busyTimeout: Double, location: String) {
            self.raw = raw
            self.logger = logger
            self.lockKey = lockKey
            self.busyTimeout = busyTimeout
            self.location = location
        }

        /// Writes sent without waiting for their answers (the connection keeps their order); the next
        /// statement that waits checks them first, so an error still fails the statement after it.
        private var pending: [EventLoopFuture<PostgresQueryResult>] = []

        private func bindings(_ values: [any PGValue]) throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: values.count)
            for value in values { try value.bind(into: &bindings) }
            return bindings
        }

        private func send(_ sql: String, _ values: [any PGValue]) throws -> EventLoopFuture<PostgresQueryResult> {
            raw.query(PostgresQuery(unsafeSQL: sql, binds: try bindings(values)), logger: logger)
        }

        /// Sends `sql` and waits for it, after the writes sent before it; their error comes first.
        private func run(_ sql: String, _ values: [any PGValue]) throws -> PostgresQueryResult {
            let future = try send(sql, values)
            let earlier = Result { try flush() }
            let result = Result { try future.wait() }
            try earlier.get()
            do { return try result.get() } catch { throw StoreError("PostgreSQL: \(Self.describe(error))") }
        }

        /// Runs one statement with bound parameters (`$1`, `$2`, ...) and returns its rows.
        func query(_ sql: String, _ values: [any PGValue] = []) throws -> [Row] {
            try run(sql, values).map(Row.init)
        }

        /// Runs one statement; returns its command tag (`COMMIT`, `ROLLBACK`, `UPDATE 3`).
        @discardableResult
        func exec(_ sql: String, _ values: [any PGValue] = []) throws -> String {
            try run(sql, values).metadata.command
        }

        /// Runs one statement; returns how many rows it changed (or returned).
        func changed(_ sql: String, _ values: [any PGValue] = []) throws -> Int {
            try run(sql, values).metadata.rows ?? 0
        }

        /// Sends a write without waiting for it (pipelined): its error surfaces at the next waiting
        /// statement (at the latest COMMIT or RELEASE SAVEPOINT), which then fails.
        func pipelined(_ sql: String, _ values: [any PGValue] = []) throws {
            pending.append(try send(sql, values))
            if pending.count >= 256 { try flush() }
        }

        /// Waits for the pipelined writes; throws the first one's error.
        func flush() throws {
            guard !pending.isEmpty else { return }
            let futures = pending
            pending = []
            var first: (any Error)?
            for future in futures {
                do { _ = try future.wait() } catch { if first == nil { first = error } }
            }
            if let first { throw StoreError("PostgreSQL: \(Self.describe(first))") }
        }

        /// A writing transaction: BEGIN, the store's advisory lock, `body`, then COMMIT (or ROLLBACK).
        func writing<T>(commit: Bool = true, _ body: (Connection) throws -> T) throws -> T {
            try exec("BEGIN")
            do {
                // Wait for another writer at most the busy timeout (lock_timeout is local to this
                // transaction); past it the server answers 55P03, a StoreBusyError.
                try exec("SELECT set_config('lock_timeout', $1, true)", ["\(Int(busyTimeout * 1000))ms"])
                do {
                    try exec("SELECT pg_advisory_xact_lock($1)", [lockKey])
                } catch let error as StoreError where error.message.contains("SQLSTATE 55P03") {
                    throw StoreBusyError(store: location, waited: busyTimeout)
                }
                try exec("SELECT set_config('lock_timeout', '0', true)")
                let result = try body(self)
                if commit {
                    // COMMIT of a transaction that an error aborted answers ROLLBACK: say so.
                    guard try exec("COMMIT") == "COMMIT" else { throw StoreError("PostgreSQL: the transaction was aborted and rolled back") }
                } else {
                    try exec("ROLLBACK")
                }
                return result
            } catch {
                _ = try? exec("ROLLBACK")
                throw error
            }
        }

        /// Streams a query's rows through a cursor, `batch` at a time, in a read-only snapshot.
        func stream(_ sql: String, _ values: [any PGValue] = [], batch: Int = 1000, _ body: (Row) throws -> Void) throws {
            try exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                try exec("DECLARE leadintake_cursor NO SCROLL CURSOR FOR \(sql)", values)
                while true {
                    let rows = try query("FETCH FORWARD \(batch) FROM leadintake_cursor")
                    for row in rows { try body(row) }
                    if rows.count < batch { break }
                }
                try exec("CLOSE leadintake_cursor")
                try exec("COMMIT")
            } catch {
                _ = try? exec("ROLLBACK")
                throw error
            }
        }

        /// A message without personal data: the server's message and SQLSTATE, or the network error.
        static func describe(_ error: any Error) -> String {
            if let error = error as? StoreError { return error.message }
            if let error = error as? PSQLError {
                if let info = error.serverInfo {
                    let message = info[.message] ?? "error"
                    return info[.sqlState].map { "\(message) (SQLSTATE \($0))" } ?? message
                }
                if let underlying = error.underlying {
                    return error.code == .connectionError ? describe(underlying) : "\(error.code): \(describe(underlying))"
                }
                return "\(error.code)"
            }
            if let error = error as? NIOConnectionError {
                if let first = error.connectionErrors.first { return describe(first.error) }
                if let dns = error.dnsAAAAError ?? error.dnsAError { return "cannot resolve host: \(dns)" }
                return "\(error)"
            }
            if let error = error as? IOError {
                switch error.errnoCode {
                case ECONNREFUSED: return "connection refused"
                case ETIMEDOUT: return "connection timed out"
                case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
                default: return "\(error)"
                }
            }
            if error is ChannelError { return "connection failed: \(error)" }
            return "\(error)"
        }
    }

    /// One result row, decoded by column position.
    struct Row {
        let cells: PostgresRandomAccessRow
        init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

        func string(_ i: Int) throws -> String { try cells[i].decode(String.self) }
        func optionalString(_ i: Int) throws -> String? { try cells[i].decode(String?.self) }
        func int64(_ i: Int) throws -> Int64 { try cells[i].decode(Int64.self) }
        func int(_ i: Int) throws -> Int { try cells[i].decode(Int.self) }
        func optionalInt(_ i: Int) throws -> Int? { try cells[i].decode(Int?.self) }
        func double(_ i: Int) throws -> Double { try cells[i].decode(Double.self) }
    }
}

/// A value bound as a statement parameter. Text loses NUL characters, which PostgreSQL text cannot hold.
protocol PGValue {
    func bind(into bindings: inout PostgresBindings) throws
}

extension Int64: PGValue { func bind(into bindings: inout PostgresBindings) { bindings.append(self) } }
extension Int: PGValue { func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self)) } }
extension Double: PGValue { func bind(into bindings: inout PostgresBindings) { bindings.append(self) } }
extension Bool: PGValue { func bind(into bindings: inout PostgresBindings) { bindings.append(self) } }
extension String: PGValue {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self.pgText) }
    var pgText: String { contains("\u{0}") ? replacingOccurrences(of: "\u{0}", with: "") : self }
}
extension Array: PGValue where Element: PGArrayElement {
    func bind(into bindings: inout PostgresBindings) { Element.bindArray(self, into: &bindings) }
}
extension Optional: PGValue where Wrapped: PGValue {
    func bind(into bindings: inout PostgresBindings) throws {
        if let value = self { try value.bind(into: &bindings) } else { bindings.appendNull() }
    }
}
protocol PGArrayElement { static func bindArray(_ values: [Self], into bindings: inout PostgresBindings) }
extension String: PGArrayElement {
    static func bindArray(_ values: [String], into bindings: inout PostgresBindings) { bindings.append(values.map(\.pgText)) }
}
extension Int64: PGArrayElement {
    static func bindArray(_ values: [Int64], into bindings: inout PostgresBindings) { bindings.append(values) }
}

// MARK: - URL

/// A parsed `postgres://USER:PASSWORD@HOST:PORT/DATABASE?schema=NAME&sslmode=MODE` store URL.
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// A schema of the database to keep the store in (created on first use); nil: the search path's.
    public var schema: String?
    /// disable, prefer (default, as libpq), require (encrypted, certificate not checked), verify-full.
    public var sslMode: String

    public init(_ url: String) throws {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), let components = URLComponents(string: url) else {
            throw StoreError("bad PostgreSQL store URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError("PostgreSQL store URL has no host (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw StoreError("PostgreSQL store URL has a bad port \(port)") }
        user = components.user?.removingPercentEncoding ?? "postgres"
        password = components.password?.removingPercentEncoding
        let path = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !path.contains("/") else { throw StoreError("PostgreSQL store URL: database name \"\(path)\" contains a slash") }
        database = path.isEmpty ? user : path
        sslMode = "prefer"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "schema", "currentSchema":
                guard let value = item.value, value.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw StoreError("PostgreSQL store URL: schema must be a lowercase name of letters, digits and _")
                }
                schema = value
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require", "verify-full"].contains(value) else {
                    throw StoreError("PostgreSQL store URL: sslmode must be disable, prefer, require or verify-full")
                }
                sslMode = value
            default:
                throw StoreError("PostgreSQL store URL: unknown parameter \"\(item.name)\" (known: schema, sslmode)")
            }
        }
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var endpoint: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// The URL without its password, for messages and the run report.
    public var redacted: String {
        var text = "postgres://\(user)@\(endpoint)/\(database)"
        var parameters: [String] = []
        if let schema { parameters.append("schema=\(schema)") }
        if sslMode != "prefer" { parameters.append("sslmode=\(sslMode)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// The key of the advisory lock that serializes writers of this store (FNV-1a of the schema name).
    var lockKey: Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("leadintake:" + (schema ?? "public")).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    func connectionConfiguration() throws -> PostgresNIO.PostgresConnection.Configuration {
        let tls: PostgresNIO.PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable":
            tls = .disable
        case "verify-full":
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            tls = sslMode == "require" ? .require(context) : .prefer(context)
        }
        var configuration = PostgresNIO.PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

// MARK: - Bulk reads of the set-based engine

extension PostgresTransaction {
    /// Every key's block in one round trip (a per-key LIMIT cuts a common key at limit + 1).
    func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]] {
        guard !keys.isEmpty else { return [:] }
        var found: [MatchKey: [Int64]] = [:]
        for row in try connection.query("""
            SELECT k.ordinality, b.lead_id
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(kind, key, ordinality)
            CROSS JOIN LATERAL (SELECT lead_id FROM lead_keys WHERE kind = k.kind AND key = k.key LIMIT \(limit + 1)) b
            """, [keys.map(\.kind), keys.map(\.value)])
        {
            found[keys[Int(try row.int64(0)) - 1], default: []].append(try row.int64(1))
        }
        return found
    }

    /// The leads in one round trip; their JSON decoded (and their profiles built) on every core.
    func candidateLeads(ids: [Int64]) throws -> [Candidate] {
        guard !ids.isEmpty else { return [] }
        var read: [(Int64, String, Int64)] = []
        for row in try connection.query("SELECT id, data, created_run_id FROM leads WHERE id = ANY($1::bigint[]) ORDER BY id", [ids]) {
            read.append((try row.int64(0), try row.string(1), try row.int64(2)))
        }
        let runID = self.runID, rows = read
        return try Parallel.map(rows.count) { i throws(StoreError) -> Candidate in
            let (id, data, run) = rows[i]
            return try Candidate.decoding(id: id, data: data, createdInThisRun: run == runID)
        }
    }

    /// Term counts of every key in one round trip (the ones not counted before in this transaction).
    func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int] {
        var counts: [MatchKey: Int] = [:]
        var unknown: [MatchKey] = []
        for key in keys {
            if let count = keyCounts.counts[key] { counts[key] = count } else { unknown.append(key) }
        }
        if !unknown.isEmpty {
            try connection.flush()
            var fetched: [MatchKey: Int] = [:]
            for row in try connection.query("""
                SELECT k.ordinality, (SELECT COUNT(*) FROM lead_keys WHERE kind = k.kind AND key = k.key)
                FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(kind, key, ordinality)
                """, [unknown.map(\.kind), unknown.map(\.value)])
            {
                fetched[unknown[Int(try row.int64(0)) - 1]] = try row.int(1)
            }
            for key in unknown {
                let count = fetched[key] ?? 0
                keyCounts.put(key, count)
                counts[key] = count
            }
        }
        return counts.filter { $0.value > 0 }
    }

    func rejectedPairs(among ids: [Int64]) throws -> Set<LeadPair> {
        guard !ids.isEmpty else { return [] }
        var pairs = Set<LeadPair>()
        for row in try connection.query("""
            SELECT lead_id, other_lead_id FROM review_queue
            WHERE status = 'rejected' AND (lead_id = ANY($1::bigint[]) OR other_lead_id = ANY($1::bigint[]))
            """, [ids])
        {
            pairs.insert(LeadPair(try row.int64(0), try row.int64(1)))
        }
        return pairs
    }

    func latestRecordIDs(leadIDs: [Int64]) throws -> [Int64: Int64] {
        guard !leadIDs.isEmpty else { return [:] }
        var result: [Int64: Int64] = [:]
        for row in try connection.query(
            "SELECT lead_id, MAX(id) FROM source_records WHERE lead_id = ANY($1::bigint[]) GROUP BY lead_id", [leadIDs])
        {
            result[try row.int64(0)] = try row.int64(1)
        }
        return result
    }

    func apply(_ plan: ChunkPlan, records: [LeadRecord], raw: [[ExtraField]], fileID: Int64, at time: String) throws -> [Int64] {
        try connection.flush()
        try snapshot(plan)
        return try applyRowByRow(plan, records: records, raw: raw, fileID: fileID, at: time)
    }
}
