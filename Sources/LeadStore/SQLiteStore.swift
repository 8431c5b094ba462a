import LeadCore
import LeadMatch
import LeadScore
import Foundation
import GRDB

/// The embedded store: one SQLite file (WAL), migrated on open.
public final class SQLiteStore: LeadStore {
    public let location: String
    private let queue: DatabaseQueue
    private let busyTimeout: Double

    /// Opens (and creates, unless `mustExist`) the store at `path`; `nil` path: an in-memory store.
    /// A writer waits up to `busyTimeout` seconds for another writer (another process importing into
    /// the same file), then fails with ``StoreBusyError``.
    public init(path: String?, busyTimeout: Double = BusyTimeout.default) throws {
        self.busyTimeout = busyTimeout
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "leadintake"
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            if db.configuration.readonly == false {
                // A large page cache: a million-lead key index is written and read at random places,
                // and SQLite's default (2 MB) would turn most of those into reads from the file.
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144")
            }
        }
        do {
            if let path {
                let dir = (path as NSString).deletingLastPathComponent
                if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                queue = try Self.open(path: path, configuration: config, busyTimeout: busyTimeout)
                location = "sqlite:\(path)"
            } else {
                queue = try DatabaseQueue(configuration: config)
                location = "sqlite::memory:"
            }
            try Self.migrate(queue, busyTimeout: busyTimeout)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreBusyError(store: "sqlite:\(path ?? ":memory:")", waited: busyTimeout)
        } catch {
            throw StoreError("cannot open store \(path ?? ":memory:"): \(error)")
        }
    }

    /// Opens the file. Two processes that open a new file at once race for `PRAGMA journal_mode =
    /// WAL`, which SQLite answers with SQLITE_BUSY at once (without the busy handler) while the other
    /// connection switches the file: such a BUSY, sooner than the timeout, is retried; one that
    /// waited the whole timeout is another writer (``StoreBusyError``).
    static func open(path: String, configuration: Configuration, busyTimeout: Double) throws -> DatabaseQueue {
        var attempt = 0
        while true {
            let started = ContinuousClock.now
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 40 {
                if ContinuousClock.now - started >= .milliseconds(Int64(busyTimeout * 900)) { throw error }
                attempt += 1
                Thread.sleep(forTimeInterval: 0.02 * Double(min(attempt, 10)))
            }
        }
    }

    /// Migrates the file. Two processes that open a new store at once race between reading which
    /// migrations ran and running the next (GRDB reads outside the write lock): the loser's migration
    /// fails on a table the winner made. It then reads again and goes on from where the winner is.
    ///
    /// The same race can also end in SQLITE_BUSY at once, without the busy timeout's wait: a migration
    /// whose transaction read the schema before the winner committed cannot write (WAL's snapshot
    /// rule). A BUSY that came sooner than the timeout is that race and is retried the same way; one
    /// that waited the whole timeout is another writer holding the store (``StoreBusyError``).
    static func migrate(_ queue: DatabaseQueue, busyTimeout: Double) throws {
        var attempt = 0
        while true {
            let started = ContinuousClock.now
            do {
                try migrator.migrate(queue)
                return
            } catch let error as DatabaseError where attempt < 20 {
                let waited = ContinuousClock.now - started
                if error.resultCode == .SQLITE_BUSY && waited >= .milliseconds(Int64(busyTimeout * 900)) { throw error }
                attempt += 1
                if error.resultCode == .SQLITE_BUSY { Thread.sleep(forTimeInterval: 0.05 * Double(attempt)) }
                if try queue.read({ try migrator.hasCompletedMigrations($0) }) { return }
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    mode TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,
                    command TEXT,
                    files_seen INTEGER NOT NULL DEFAULT 0,
                    files_loaded INTEGER NOT NULL DEFAULT 0,
                    files_skipped INTEGER NOT NULL DEFAULT 0,
                    files_failed INTEGER NOT NULL DEFAULT 0,
                    records_read INTEGER NOT NULL DEFAULT 0,
                    records_loaded INTEGER NOT NULL DEFAULT 0,
                    records_rejected INTEGER NOT NULL DEFAULT 0,
                    leads_new INTEGER NOT NULL DEFAULT 0,
                    leads_merged INTEGER NOT NULL DEFAULT 0,
                    errors TEXT NOT NULL DEFAULT '[]'
                );
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    format TEXT NOT NULL,
                    facts TEXT NOT NULL,
                    first_run_id INTEGER NOT NULL REFERENCES runs(id),
                    records INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE leads (
                    id INTEGER PRIMARY KEY,
                    display_name TEXT,
                    email TEXT,
                    company TEXT,
                    data TEXT NOT NULL,
                    created_run_id INTEGER NOT NULL REFERENCES runs(id),
                    updated_run_id INTEGER NOT NULL REFERENCES runs(id)
                );
                CREATE TABLE lead_keys (
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                    PRIMARY KEY (kind, key, lead_id)
                ) WITHOUT ROWID;
                CREATE INDEX lead_keys_by_lead ON lead_keys(lead_id);
                CREATE TABLE source_records (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    ordinal INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    importer TEXT NOT NULL,
                    source_name TEXT NOT NULL,
                    source_kind TEXT NOT NULL,
                    lead_id INTEGER NOT NULL REFERENCES leads(id),
                    match TEXT NOT NULL,
                    explanation TEXT NOT NULL,
                    raw TEXT NOT NULL,
                    record TEXT NOT NULL,
                    UNIQUE (file_id, ordinal)
                );
                CREATE INDEX source_records_by_lead ON source_records(lead_id);
                CREATE TABLE record_issues (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    file_id INTEGER REFERENCES files(id),
                    file_name TEXT NOT NULL,
                    ordinal INTEGER,
                    line INTEGER,
                    field TEXT,
                    severity TEXT NOT NULL,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-matching") { db in
            try db.execute(sql: """
                ALTER TABLE source_records ADD COLUMN comparison TEXT;
                CREATE TABLE review_queue (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    lead_id INTEGER NOT NULL,
                    other_lead_id INTEGER NOT NULL,
                    source_record_id INTEGER NOT NULL,
                    probability REAL NOT NULL,
                    comparison TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    decided_at TEXT,
                    UNIQUE (lead_id, other_lead_id)
                );
                CREATE INDEX review_queue_by_status ON review_queue(status);
                CREATE TABLE lead_merges (
                    id INTEGER PRIMARY KEY,
                    surviving_lead_id INTEGER NOT NULL,
                    merged_lead_id INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    merged_at TEXT NOT NULL
                );
                CREATE INDEX lead_merges_by_survivor ON lead_merges(surviving_lead_id);
                CREATE TABLE match_model (
                    id INTEGER PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    model TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-scoring") { db in
            try db.execute(sql: """
                CREATE TABLE scores (
                    lead_id INTEGER PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
                    fit INTEGER NOT NULL,
                    tier TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    engagement INTEGER NOT NULL,
                    profile_version TEXT NOT NULL,
                    card TEXT NOT NULL
                );
                CREATE INDEX scores_by_stage ON scores(stage);
                CREATE TABLE account_facts (
                    account TEXT PRIMARY KEY,
                    facts TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4-settings") { db in
            try db.execute(sql: "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        // The leads each run created. Also what COUNT(*) reads: an index of one integer column, where
        // the table itself (a JSON document per lead) made counting a million leads read gigabytes.
        // Immediate foreign-key checks: the deferred default re-checks every table afterwards, which on a
        // store of a million leads read the whole file (half a minute) to add one index.
        migrator.registerMigration("v5-leads-by-run", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS leads_by_created_run ON leads(created_run_id)")
        }
        migrator.registerMigration("v6-suppressions") { db in
            try db.execute(sql: SuppressionSchema.table)
        }
        migrator.registerMigration("v7-revert", foreignKeyChecks: .immediate) { db in
            for statement in RevertSchema.statements(postgres: false) { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// SQLite's own consistency check of the file: "ok", or the problems it found.
    public func integrityCheck() throws -> String {
        try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    public func transaction<T>(commit: Bool, _ body: (inout any StoreTransaction) throws -> T) throws -> T {
        do {
            return try writeTransaction(commit: commit, body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreBusyError(store: location, waited: busyTimeout)
        }
    }

    /// A write outside the import's transaction (ledger, review decisions); a store another writer
    /// holds past the busy timeout is a ``StoreBusyError``.
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreBusyError(store: location, waited: busyTimeout)
        }
    }

    private func writeTransaction<T>(commit: Bool, _ body: (inout any StoreTransaction) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            // IMMEDIATE: the write lock is taken (or waited for) here, never half-way through the file.
            try db.execute(sql: "BEGIN IMMEDIATE TRANSACTION")
            var tx: any StoreTransaction = SQLiteTransaction(db: db)
            do {
                let result = try body(&tx)
                try db.execute(sql: commit ? "COMMIT" : "ROLLBACK")
                return result
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }

    public func runs() throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC").map(Self.runRecord)
        }
    }

    static func runRecord(_ row: Row) -> RunRecord {
        var run = RunRecord(id: row["id"], mode: row["mode"], startedAt: row["started_at"], status: row["status"], command: row["command"])
        run.finishedAt = row["finished_at"]
        run.filesSeen = row["files_seen"]
        run.filesLoaded = row["files_loaded"]
        run.filesSkipped = row["files_skipped"]
        run.filesFailed = row["files_failed"]
        run.recordsRead = row["records_read"]
        run.recordsLoaded = row["records_loaded"]
        run.recordsRejected = row["records_rejected"]
        run.leadsNew = row["leads_new"]
        run.leadsMerged = row["leads_merged"]
        let errors: String = row["errors"]
        run.errors = (try? JSONDecoder().decode([String].self, from: Data(errors.utf8))) ?? []
        return run
    }

    public func forEachLead(_ body: (StoredLead) throws -> Void) throws {
        let decoder = JSONDecoder()
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT l.id, l.data, l.created_run_id, l.updated_run_id, s.card
                FROM leads l LEFT JOIN scores s ON s.lead_id = l.id ORDER BY l.id
                """)
            while let row = try rows.next() {
                let data: String = row["data"]
                let lead = try decoder.decode(Lead.self, from: Data(data.utf8))
                let card: String? = row["card"]
                try body(StoredLead(
                    id: row["id"], lead: lead, createdRunID: row["created_run_id"], updatedRunID: row["updated_run_id"],
                    score: try card.map { try decoder.decode(ScoreCard.self, from: Data($0.utf8)) }))
            }
        }
    }

    public func forEachProvenance(_ body: (ProvenanceRow) throws -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT f.name, s.ordinal, s.line, s.lead_id, s.source_name, s.source_kind, s.importer, f.sha256, s.run_id, s.match
                FROM source_records s JOIN files f ON f.id = s.file_id ORDER BY s.id
                """)
            while let row = try rows.next() {
                try body(ProvenanceRow(
                    file: row[0], record: row[1], line: row[2], leadID: row[3], source: row[4], sourceKind: row[5],
                    importer: row[6], sha256: row[7], runID: row[8], match: row[9]))
            }
        }
    }

    public func leadCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads") ?? 0 }
    }

    public func lead(id: Int64) throws -> StoredLead? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT id, data, created_run_id, updated_run_id FROM leads WHERE id = ?", arguments: [id]).map {
                let data: String = $0["data"]
                return StoredLead(
                    id: $0["id"], lead: try JSONDecoder().decode(Lead.self, from: Data(data.utf8)),
                    createdRunID: $0["created_run_id"], updatedRunID: $0["updated_run_id"], score: nil)
            }
        }
    }

    public func sourceRecords(leadID: Int64) throws -> [SourceRecordRow] {
        let decoder = JSONDecoder()
        return try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, f.name, s.ordinal, s.line, s.match, s.explanation, s.comparison, s.run_id, s.record
                FROM source_records s JOIN files f ON f.id = s.file_id WHERE s.lead_id = ? ORDER BY s.id
                """, arguments: [leadID]).map { row in
                let comparison: String? = row[6]
                let record: String = row[8]
                return SourceRecordRow(
                    id: row[0], file: row[1], record: row[2], line: row[3], match: row[4], explanation: row[5],
                    comparison: try comparison.map { try decoder.decode(Comparison.self, from: Data($0.utf8)) },
                    runID: row[7], data: try decoder.decode(LeadRecord.self, from: Data(record.utf8)))
            }
        }
    }

    public func merges(leadID: Int64) throws -> [LeadMergeRow] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM lead_merges WHERE surviving_lead_id = ? ORDER BY id", arguments: [leadID]).map {
                LeadMergeRow(survivingLeadID: $0["surviving_lead_id"], mergedLeadID: $0["merged_lead_id"], reason: $0["reason"], mergedAt: $0["merged_at"])
            }
        }
    }

    public func forEachSourceRecord(limit: Int, _ body: (LeadRecord) throws -> Void) throws {
        let decoder = JSONDecoder()
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record FROM source_records ORDER BY id LIMIT ?", arguments: [limit])
            while let row = try rows.next() {
                let record: String = row[0]
                try body(try decoder.decode(LeadRecord.self, from: Data(record.utf8)))
            }
        }
    }

    static func reviewItem(_ row: Row) throws -> ReviewItem {
        let comparison: String = row["comparison"]
        return ReviewItem(
            id: row["id"], leadID: row["lead_id"], otherLeadID: row["other_lead_id"], sourceRecordID: row["source_record_id"],
            probability: row["probability"], comparison: try JSONDecoder().decode(Comparison.self, from: Data(comparison.utf8)),
            status: row["status"], createdRunID: row["run_id"], decidedAt: row["decided_at"])
    }

    public func reviews(status: String?) throws -> [ReviewItem] {
        try queue.read { db in
            if let status {
                return try Row.fetchAll(db, sql: "SELECT * FROM review_queue WHERE status = ? ORDER BY id", arguments: [status]).map(Self.reviewItem)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM review_queue ORDER BY id").map(Self.reviewItem)
        }
    }

    public func review(id: Int64) throws -> ReviewItem? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM review_queue WHERE id = ?", arguments: [id]).map(Self.reviewItem)
        }
    }

    public func decideReview(id: Int64, accept: Bool, at time: String) throws {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM review_queue WHERE id = ?", arguments: [id]) else {
                throw StoreError("no review item \(id)")
            }
            let item = try Self.reviewItem(row)
            guard item.status == "pending" else { throw StoreError("review item \(id) was already \(item.status)") }
            // The decision is a run of the ledger, so `revert` can take it back.
            var tx = SQLiteTransaction(db: db)
            tx.runID = try tx.beginRun(mode: "review", command: "leadintake review \(accept ? "accept" : "reject") \(id)", startedAt: time)
            let survivor = min(item.leadID, item.otherLeadID), merged = max(item.leadID, item.otherLeadID)
            try tx.snapshot(review: id)
            if accept { try tx.snapshot(leads: [survivor, merged], moving: [merged]) }
            try db.execute(sql: "UPDATE review_queue SET status = ?, decided_at = ? WHERE id = ?", arguments: [accept ? "accepted" : "rejected", time, id])
            if accept {
                try Self.mergeLeads(db, survivor: survivor, merged: merged, reason: "review \(id) accepted: \(item.comparison.summary)", at: time, runID: tx.runID)
            }
            var run = RunRecord(id: tx.runID, mode: "review", startedAt: time, status: "succeeded", command: "leadintake review \(accept ? "accept" : "reject") \(id)")
            run.finishedAt = time
            if accept { run.leadsMerged = 1 }
            try tx.updateRun(run)
        }
    }

    /// Merges lead `merged` into `survivor` (the older id): data, keys, source records, queue entries.
    static func mergeLeads(_ db: Database, survivor: Int64, merged: Int64, reason: String, at time: String, runID: Int64) throws {
        let decoder = JSONDecoder()
        func load(_ id: Int64) throws -> Lead {
            guard let data = try String.fetchOne(db, sql: "SELECT data FROM leads WHERE id = ?", arguments: [id]) else {
                throw StoreError("lead \(id) no longer exists (merged earlier?)")
            }
            return try decoder.decode(Lead.self, from: Data(data.utf8))
        }
        var lead = try load(survivor)
        // The lead whose latest record came later holds the current job.
        let latest = try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) FROM source_records WHERE lead_id = ?")
        let newer = (try Int64.fetchOne(latest, arguments: [merged]) ?? 0) > (try Int64.fetchOne(latest, arguments: [survivor]) ?? 0)
        LeadMerger.merge(lead: try load(merged), into: &lead, otherIsNewer: newer)
        try db.execute(
            sql: "UPDATE leads SET display_name = ?, email = ?, company = ?, data = ? WHERE id = ?",
            arguments: [lead.name.best, lead.primaryEmail?.normalized, lead.company, try CompactJSON.encode(lead), survivor])
        try db.execute(sql: "INSERT OR IGNORE INTO lead_keys (kind, key, lead_id) SELECT kind, key, ? FROM lead_keys WHERE lead_id = ?", arguments: [survivor, merged])
        try db.execute(sql: "DELETE FROM lead_keys WHERE lead_id = ?", arguments: [merged])
        try db.execute(sql: "UPDATE source_records SET lead_id = ? WHERE lead_id = ?", arguments: [survivor, merged])
        try db.execute(sql: "UPDATE OR IGNORE review_queue SET lead_id = ? WHERE lead_id = ? AND status = 'pending'", arguments: [survivor, merged])
        try db.execute(sql: "UPDATE OR IGNORE review_queue SET other_lead_id = ? WHERE other_lead_id = ? AND status = 'pending'", arguments: [survivor, merged])
        try db.execute(sql: "DELETE FROM review_queue WHERE status = 'pending' AND lead_id = other_lead_id")
        try db.execute(sql: "DELETE FROM scores WHERE lead_id = ?", arguments: [merged])
        try db.execute(sql: "DELETE FROM leads WHERE id = ?", arguments: [merged])
        try db.execute(
            sql: "INSERT INTO lead_merges (surviving_lead_id, merged_lead_id, reason, merged_at, run_id) VALUES (?, ?, ?, ?, ?)",
            arguments: [survivor, merged, reason, time, runID])
    }

    public func scoreCard(leadID: Int64) throws -> ScoreCard? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT card FROM scores WHERE lead_id = ?", arguments: [leadID]).map {
                try JSONDecoder().decode(ScoreCard.self, from: Data($0.utf8))
            }
        }
    }

    public func rescore(force: Bool, profileVersion: String, _ score: (Lead, CompanyFacts?) -> ScoreCard) throws -> Int {
        try write { db in
            var tx = SQLiteTransaction(db: db)
            tx.runID = 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.id, l.data FROM leads l LEFT JOIN scores s ON s.lead_id = l.id
                WHERE ? OR s.profile_version IS NULL OR s.profile_version != ? ORDER BY l.id
                """, arguments: [force, profileVersion])
            let decoder = JSONDecoder()
            for row in rows {
                let data: String = row[1]
                let lead = try decoder.decode(Lead.self, from: Data(data.utf8))
                let account = try LeadFacts.accountKey(lead).flatMap { try tx.accountFacts($0) }
                try tx.saveScore(leadID: row[0], score(lead, account))
            }
            return rows.count
        }
    }

    public func sourceYield() throws -> [SourceYield] {
        try queue.read { db in
            var result: [SourceYield] = []
            for (column, kind) in [("s.source_name", "source"), ("json_extract(s.record, '$.referredBy')", "referrer")] {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(column) AS name, MIN(s.source_kind), COUNT(*), SUM(s.match = 'new'), SUM(s.match = 'merged')
                    FROM source_records s WHERE \(column) IS NOT NULL GROUP BY \(column) ORDER BY \(column)
                    """)
                for row in rows {
                    let name: String = row[0]
                    var stages: [String: Int] = [:]
                    for stageRow in try Row.fetchAll(db, sql: """
                        SELECT COALESCE(sc.stage, 'unscored'), COUNT(DISTINCT s.lead_id)
                        FROM source_records s LEFT JOIN scores sc ON sc.lead_id = s.lead_id
                        WHERE \(column) = ? GROUP BY 1
                        """, arguments: [name])
                    {
                        stages[stageRow[0]] = stageRow[1]
                    }
                    result.append(SourceYield(
                        name: name, kind: kind, sourceKind: kind == "source" ? row[1] : nil, records: row[2],
                        newLeads: row[3] ?? 0, alreadyKnown: row[4] ?? 0, stages: stages))
                }
            }
            return result
        }
    }

    public func matchModel() throws -> MatchModel? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT model FROM match_model ORDER BY id DESC LIMIT 1").map {
                try JSONDecoder().decode(MatchModel.self, from: Data($0.utf8))
            }
        }
    }

    public func saveMatchModel(_ model: MatchModel, at time: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write { db in
            try db.execute(
                sql: "INSERT INTO match_model (created_at, model) VALUES (?, ?)",
                arguments: [time, String(decoding: try encoder.encode(model), as: UTF8.self)])
        }
    }

    public func suppressionCounts() throws -> [SuppressionCount] {
        try queue.read { db in try SQLiteTransaction(db: db).suppressionCountRows() }
    }

    public func suppressionSnapshot() throws -> (hasher: SuppressionHasher, hashes: Set<String>)? {
        try queue.read { db in try SQLiteTransaction(db: db).snapshotRows() }
    }

    public func purgeDeleted() throws -> String {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // VACUUM rewrites the file from its live rows (through the WAL); the truncating checkpoint
            // then copies it back and empties the WAL file, which held the pages as they were.
            try db.execute(sql: "VACUUM")
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let busy: Int = row?[0] ?? 0
            if busy != 0 {
                return "store rewritten (VACUUM); the WAL could not be emptied while another process reads the store: run the command again when it is idle"
            }
            return "store rewritten (VACUUM, secure_delete) and its WAL emptied"
        }
    }

    public func markInterruptedRuns() throws {
        try write { db in
            try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        }
    }
}

/// The open transaction: prepared (cached) statements on GRDB's connection.
struct SQLiteTransaction: StoreTransaction, RunScoped {
    let db: Database
    var sql: any SQLExecutor { SQLiteExecutor(db: db) }
    var runID: Int64 = 0
    /// Lead count, read once then kept up to date by inserts (COUNT(*) scans the whole table).
    final class Counter { var leads: Int? }
    let counter = Counter()
    let cache = LeadCache()
    let keyCounts = KeyCounts()
    let decoder = JSONDecoder()

    init(db: Database) {
        self.db = db
    }

    /// Stored JSON (leads, records, comparisons, cards): the streaming encoder of LeadCore.
    private func json<T: Encodable>(_ value: T) throws -> String {
        try CompactJSON.encode(value)
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try db.execute(sql: "SAVEPOINT file_load")
        do {
            let result = try body()
            try db.execute(sql: "RELEASE SAVEPOINT file_load")
            return result
        } catch {
            // What the cache holds may be what is rolled back.
            cache.leads.removeAll()
            keyCounts.counts.removeAll()
            try db.execute(sql: "ROLLBACK TO SAVEPOINT file_load; RELEASE SAVEPOINT file_load")
            throw error
        }
    }

    func beginRun(mode: String, command: String?, startedAt: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO runs (mode, started_at, status, command) VALUES (?, ?, 'running', ?)",
            arguments: [mode, startedAt, command])
        return db.lastInsertedRowID
    }

    func updateRun(_ run: RunRecord) throws {
        try db.cachedStatement(sql: """
            UPDATE runs SET finished_at = ?, status = ?, files_seen = ?, files_loaded = ?, files_skipped = ?,
              files_failed = ?, records_read = ?, records_loaded = ?, records_rejected = ?, leads_new = ?,
              leads_merged = ?, errors = ? WHERE id = ?
            """).execute(arguments: [
                run.finishedAt, run.status, run.filesSeen, run.filesLoaded, run.filesSkipped, run.filesFailed,
                run.recordsRead, run.recordsLoaded, run.recordsRejected, run.leadsNew, run.leadsMerged,
                try json(run.errors), run.id,
            ])
    }

    func loadedFile(sha256: String) throws -> LoadedFile? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, sha256, name, first_run_id, records FROM files WHERE sha256 = ?"),
            arguments: [sha256]
        ).map { LoadedFile(id: $0[0], sha256: $0[1], name: $0[2], firstRunID: $0[3], records: $0[4]) }
    }

    func insertFile(_ file: FileEntry) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO files (sha256, name, path, size, format, facts, first_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [file.sha256, file.name, file.path, file.size, file.format, try json(file.facts), runID])
        return db.lastInsertedRowID
    }

    func finishFile(id: Int64, records: Int, rejected: Int, facts: [String: String]) throws {
        try db.cachedStatement(sql: "UPDATE files SET records = ?, rejected = ?, facts = ? WHERE id = ?")
            .execute(arguments: [records, rejected, try json(facts), id])
    }

    func lead(id: Int64) throws -> Lead? {
        if let cached = cache.leads[id] { return cached.lead }
        guard let lead = try String.fetchOne(db.cachedStatement(sql: "SELECT data FROM leads WHERE id = ?"), arguments: [id])
            .map({ try decoder.decode(Lead.self, from: Data($0.utf8)) }) else { return nil }
        cache.put(id, lead, createdRun: nil)
        return lead
    }

    func accountFacts(_ account: String) throws -> CompanyFacts? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT facts FROM account_facts WHERE account = ?"), arguments: [account])
            .map { try decoder.decode(CompanyFacts.self, from: Data($0.utf8)) }
    }

    func mergeAccountFacts(_ accounts: [(String, CompanyFacts)]) throws {
        let changed = accounts.filter { !$0.1.isEmpty }
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
        try db.cachedStatement(sql: "INSERT INTO account_facts (account, facts) VALUES (?, ?) ON CONFLICT(account) DO UPDATE SET facts = excluded.facts")
            .execute(arguments: [account, try json(merged)])
    }

    func saveScore(leadID: Int64, _ card: ScoreCard) throws {
        try db.cachedStatement(sql: """
            INSERT INTO scores (lead_id, fit, tier, stage, engagement, profile_version, card) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(lead_id) DO UPDATE SET fit = excluded.fit, tier = excluded.tier, stage = excluded.stage,
              engagement = excluded.engagement, profile_version = excluded.profile_version, card = excluded.card
            """).execute(arguments: [leadID, card.fit, card.tier, card.stage.rawValue, card.engagement, card.profileVersion, try json(card)])
    }

    func keyCount(_ key: MatchKey) throws -> Int {
        if let count = keyCounts.counts[key] { return count }
        let count = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM lead_keys WHERE kind = ? AND key = ?"), arguments: [key.kind, key.value]) ?? 0
        keyCounts.put(key, count)
        return count
    }

    func indexedLeadCount() throws -> Int {
        if let count = counter.leads { return count }
        let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM leads")) ?? 0
        counter.leads = count
        return count
    }

    func isRejectedPair(_ a: Int64, _ b: Int64) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT 1 FROM review_queue WHERE status = 'rejected' AND ((lead_id = ? AND other_lead_id = ?) OR (lead_id = ? AND other_lead_id = ?))
                """), arguments: [a, b, b, a]) ?? false
    }

    func mergeLeads(survivor: Int64, merged: Int64, reason: String, at time: String) throws {
        try snapshot(leads: [survivor, merged], moving: [merged])
        try SQLiteStore.mergeLeads(db, survivor: survivor, merged: merged, reason: reason, at: time, runID: runID)
        cache.leads[survivor] = nil
        cache.leads[merged] = nil
        keyCounts.counts.removeAll(keepingCapacity: true)
        if let count = counter.leads { counter.leads = count - 1 }
    }

    func erase(leads ids: [Int64], scrubbing strings: [String]) throws -> ErasureResult {
        // Freed pages are overwritten with zeros, so the file keeps no copy of what is deleted.
        try db.execute(sql: "PRAGMA secure_delete = ON")
        let result = try eraseRows(leads: ids, scrubbing: strings)
        cache.leads.removeAll()
        keyCounts.counts.removeAll()
        counter.leads = nil
        return result
    }

    func keyVersion() throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = 'key_version'")
    }

    func reindex(version: String, keys: (Lead) -> [MatchKey]) throws -> Int {
        var count = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT id, data FROM leads ORDER BY id")
        while let row = try rows.next() {
            let data: String = row[1]
            try insertKeys(keys(try decoder.decode(Lead.self, from: Data(data.utf8))), leadID: row[0])
            count += 1
        }
        keyCounts.counts.removeAll()
        try db.execute(sql: "INSERT OR REPLACE INTO settings (name, value) VALUES ('key_version', ?)", arguments: [version])
        return count
    }

    func insertReview(leadID: Int64, otherLeadID: Int64, sourceRecordID: Int64, probability: Double, comparison: Comparison) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO review_queue (run_id, lead_id, other_lead_id, source_record_id, probability, comparison)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [runID, leadID, otherLeadID, sourceRecordID, probability, try json(comparison)])
    }

    /// Leads sharing a key, most shared keys first. A key shared by more than ``maxBlock`` leads says
    /// little (a common surname's phonetic code) and is skipped; at most ``maxCandidates`` leads are read.
    func candidates(for keys: [MatchKey]) throws -> [Candidate] {
        let maxBlock = 50, maxCandidates = 20
        var shared: [Int64: Int] = [:]
        let lookup = try db.cachedStatement(sql: "SELECT lead_id FROM lead_keys WHERE kind = ? AND key = ? LIMIT \(maxBlock + 1)")
        for key in keys {
            let ids = try Int64.fetchAll(lookup, arguments: [key.kind, key.value])
            guard ids.count <= maxBlock else { continue }
            for id in Set(ids) { shared[id, default: 0] += 1 }
        }
        let chosen = shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxCandidates)
        let fetch = try db.cachedStatement(sql: "SELECT data, created_run_id FROM leads WHERE id = ?")
        let created = try db.cachedStatement(sql: "SELECT created_run_id FROM leads WHERE id = ?")
        return try chosen.compactMap { id, _ in
            if let cached = cache.leads[id] {
                if let createdRun = cached.createdRun {
                    return Candidate(id: id, lead: cached.lead, createdInThisRun: createdRun == runID, memo: cached.memo)
                }
                guard let createdRun = try Int64.fetchOne(created, arguments: [id]) else { return nil }
                cache.put(id, cached.lead, createdRun: createdRun, memo: cached.memo)
                return Candidate(id: id, lead: cached.lead, createdInThisRun: createdRun == runID, memo: cached.memo)
            }
            guard let row = try Row.fetchOne(fetch, arguments: [id]) else { return nil }
            let data: String = row[0]
            let createdRun: Int64 = row[1]
            let lead = try decoder.decode(Lead.self, from: Data(data.utf8))
            let memo = ProfileMemo()
            cache.put(id, lead, createdRun: createdRun, memo: memo)
            return Candidate(id: id, lead: lead, createdInThisRun: createdRun == runID, memo: memo)
        }
    }

    func insertLead(_ lead: Lead, keys: [MatchKey]) throws -> Int64 {
        // A merged lead's id is never given to another person (SQLite would reuse the largest rowid):
        // ids stay stable in the ledger, the merge history and the team's own notes.
        try db.cachedStatement(sql: """
            INSERT INTO leads (id, display_name, email, company, data, created_run_id, updated_run_id)
            VALUES (MAX((SELECT COALESCE(MAX(id), 0) FROM leads), (SELECT COALESCE(MAX(merged_lead_id), 0) FROM lead_merges)) + 1,
                    ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [lead.name.best, lead.primaryEmail?.normalized, lead.company, try json(lead), runID, runID])
        let id = db.lastInsertedRowID
        try insertKeys(keys, leadID: id)
        cache.put(id, lead, createdRun: runID)
        if let count = counter.leads { counter.leads = count + 1 }
        return id
    }

    func updateLead(id: Int64, lead: Lead, keys: [MatchKey]) throws {
        try db.cachedStatement(sql: """
            UPDATE leads SET display_name = ?, email = ?, company = ?, data = ?, updated_run_id = ? WHERE id = ?
            """).execute(arguments: [lead.name.best, lead.primaryEmail?.normalized, lead.company, try json(lead), runID, id])
        try insertKeys(keys, leadID: id)
        cache.put(id, lead, createdRun: nil)
    }

    func insertKeys(_ keys: [MatchKey], leadID: Int64) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lead_keys (kind, key, lead_id) VALUES (?, ?, ?)")
        for key in keys {
            try statement.execute(arguments: [key.kind, key.value, leadID])
            if db.changesCount > 0, let count = keyCounts.counts[key] { keyCounts.counts[key] = count + 1 }
        }
    }

    @discardableResult
    func insertSourceRecord(_ entry: SourceRecordEntry) throws -> Int64 {
        let p = entry.record.provenance
        try db.cachedStatement(sql: """
            INSERT INTO source_records (run_id, file_id, ordinal, line, importer, source_name, source_kind, lead_id, match,
              explanation, raw, record, comparison) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                runID, entry.fileID, p.record, p.line, p.importer, entry.record.source.name,
                entry.record.source.kind.rawValue, entry.leadID, entry.match, entry.explanation,
                try json(entry.raw), try json(entry.record), try entry.comparison.map(json),
            ])
        return db.lastInsertedRowID
    }

    func insertIssue(_ issue: Issue, fileID: Int64?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO record_issues (run_id, file_id, file_name, ordinal, line, field, severity, code, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                runID, fileID, issue.location.file, issue.location.record, issue.location.line, issue.location.field,
                issue.severity.rawValue, issue.code, issue.message,
            ])
    }
}

/// Opens a store from its URL: `sqlite:PATH`, a bare path, `sqlite::memory:`, or
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (also `postgresql://`, with `?schema=NAME`, `?sslmode=MODE`).
public enum StoreURL {
    public static let defaultURL = "sqlite:data/leads.sqlite"

    public enum Parsed: Sendable, Equatable {
        case sqlite(path: String?)
        case postgres(PostgresURL)
    }

    public static func parse(_ url: String) throws -> Parsed {
        if url == "sqlite::memory:" || url == ":memory:" { return .sqlite(path: nil) }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreError("store URL \"\(url)\" has no path (expected sqlite:PATH)") }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(try PostgresURL(url)) }
        if url.contains("://") {
            throw StoreError("unsupported store URL \"\(url)\" (expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        return .sqlite(path: url)
    }

    /// Opens the store for writing (creating it if needed).
    public static func open(_ url: String) throws -> any LeadStore {
        switch try parse(url) {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let config): return try PostgresStore(config: config)
        }
    }

    /// Whether the store already exists (a dry run against a missing store uses an empty in-memory one).
    /// A PostgreSQL store is a server's: it counts as existing (opening it says whether it is reachable).
    public static func exists(_ url: String) throws -> Bool {
        switch try parse(url) {
        case .sqlite(let path): return path.map { FileManager.default.fileExists(atPath: $0) } ?? false
        case .postgres: return true
        }
    }
}
