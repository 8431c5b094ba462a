import Foundation
public import LeadMatch

/// Before-images for `leadintake revert`: the first time a run changes a lead that existed before
/// it (an update, a merge on either side, a review decision), the lead's row, keys and score are
/// copied under the run's id; a merged lead's source records and review pairs too, since a merge moves
/// them; an account's facts before the run's first change. Reverting the run deletes what it created
/// and puts these back, in one transaction. The same statements on both stores (SQL.swift).
enum RevertSchema {
    /// The tables, in SQLite's types; PostgreSQL's come from ``statements(postgres:)``.
    static let sqlite = [
        "ALTER TABLE lead_merges ADD COLUMN run_id INTEGER",
        """
        CREATE TABLE lead_versions (
            run_id INTEGER NOT NULL, lead_id INTEGER NOT NULL, display_name TEXT, email TEXT, company TEXT,
            data TEXT NOT NULL, created_run_id INTEGER NOT NULL, updated_run_id INTEGER NOT NULL,
            PRIMARY KEY (run_id, lead_id))
        """,
        "CREATE INDEX lead_versions_by_lead ON lead_versions(lead_id)",
        "CREATE TABLE lead_key_versions (run_id INTEGER NOT NULL, lead_id INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL)",
        "CREATE INDEX lead_key_versions_by_run ON lead_key_versions(run_id, lead_id)",
        """
        CREATE TABLE score_versions (
            run_id INTEGER NOT NULL, lead_id INTEGER NOT NULL, fit INTEGER NOT NULL, tier TEXT NOT NULL, stage TEXT NOT NULL,
            engagement INTEGER NOT NULL, profile_version TEXT NOT NULL, card TEXT NOT NULL, PRIMARY KEY (run_id, lead_id))
        """,
        """
        CREATE TABLE record_versions (
            run_id INTEGER NOT NULL, source_record_id INTEGER NOT NULL, lead_id INTEGER NOT NULL, PRIMARY KEY (run_id, source_record_id))
        """,
        """
        CREATE TABLE review_versions (
            run_id INTEGER NOT NULL, review_id INTEGER NOT NULL, review_run_id INTEGER NOT NULL, lead_id INTEGER NOT NULL,
            other_lead_id INTEGER NOT NULL, source_record_id INTEGER NOT NULL, probability REAL NOT NULL, comparison TEXT NOT NULL,
            status TEXT NOT NULL, decided_at TEXT, PRIMARY KEY (run_id, review_id))
        """,
        "CREATE TABLE account_versions (run_id INTEGER NOT NULL, account TEXT NOT NULL, facts TEXT, PRIMARY KEY (run_id, account))",
        "CREATE INDEX account_versions_by_account ON account_versions(account)",
    ]

    static func statements(postgres: Bool) -> [String] {
        guard postgres else { return sqlite }
        return sqlite.map {
            $0.replacingOccurrences(of: "INTEGER", with: "BIGINT").replacingOccurrences(of: "REAL", with: "DOUBLE PRECISION")
        }
    }

    /// Every table of before-images, for a revert's and an erasure's clean-up.
    static let versionTables = ["lead_versions", "lead_key_versions", "score_versions", "record_versions", "review_versions", "account_versions"]
}

/// What a revert did (or, in a dry run, would do).
public struct RevertResult: Sendable, Codable, Hashable {
    /// The runs reverted, newest first.
    public var runs: [Int64] = []
    public var leadsDeleted = 0
    public var leadsRestored = 0
    public var mergesUndone = 0
    public var sourceRecordsRemoved = 0
    public var filesRemoved = 0
    public var reviewsRestored = 0
    public var accountsRestored = 0
    /// The revert's own ledger run (nil in a dry run).
    public var revertRunID: Int64?
    public init() {}
}

/// A revert refused: later runs changed leads the run touched.
public struct RevertBlocked: Error, Sendable, CustomStringConvertible {
    public var run: Int64
    public var laterRuns: [Int64]
    public var description: String {
        "run \(run) cannot be reverted alone: later run(s) \(laterRuns.map(String.init).joined(separator: ", ")) changed leads or accounts it touched; revert them first, or give --cascade to revert them too (newest first, in one transaction)"
    }
}

protocol RunScoped: SQLBacked {
    var runID: Int64 { get }
}

extension RunScoped {
    /// Before-images of the stored leads `ids` (those that existed before this run and have none
    /// yet in it); for `moving` (leads about to be merged away) also their source records' and
    /// review pairs' owners.
    func snapshot(leads ids: [Int64], moving: [Int64] = []) throws {
        let run = SQLValue.int(runID)
        let wanted = Array(Set(ids)).sorted().map(SQLValue.int)
        guard !wanted.isEmpty else { return }
        let fresh = try sql.rowsInSlices("""
            SELECT id FROM leads WHERE id IN {list} AND created_run_id <> \(runID)
              AND NOT EXISTS (SELECT 1 FROM lead_versions v WHERE v.run_id = \(runID) AND v.lead_id = leads.id)
            """, wanted).compactMap { $0.first?.int }.map(SQLValue.int)
        if !fresh.isEmpty {
            try sql.executeInSlices("""
                INSERT INTO lead_versions (run_id, lead_id, display_name, email, company, data, created_run_id, updated_run_id)
                SELECT ?, id, display_name, email, company, data, created_run_id, updated_run_id FROM leads WHERE id IN {list}
                """, fresh, prefix: [run])
            try sql.executeInSlices(
                "INSERT INTO lead_key_versions (run_id, lead_id, kind, key) SELECT ?, lead_id, kind, key FROM lead_keys WHERE lead_id IN {list}",
                fresh, prefix: [run])
            try sql.executeInSlices("""
                INSERT INTO score_versions (run_id, lead_id, fit, tier, stage, engagement, profile_version, card)
                SELECT ?, lead_id, fit, tier, stage, engagement, profile_version, card FROM scores WHERE lead_id IN {list}
                """, fresh, prefix: [run])
        }
        let moved = Array(Set(moving)).sorted().map(SQLValue.int)
        guard !moved.isEmpty else { return }
        try sql.executeInSlices("""
            INSERT INTO record_versions (run_id, source_record_id, lead_id)
            SELECT ?, id, lead_id FROM source_records WHERE run_id <> \(runID) AND lead_id IN {list} ON CONFLICT DO NOTHING
            """, moved, prefix: [run])
        for column in ["lead_id", "other_lead_id"] {
            try sql.executeInSlices("""
                INSERT INTO review_versions (run_id, review_id, review_run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at)
                SELECT ?, id, run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at
                FROM review_queue WHERE run_id <> \(runID) AND \(column) IN {list} ON CONFLICT DO NOTHING
                """, moved, prefix: [run])
        }
    }

    /// The before-image of the leads a chunk's plan changes.
    func snapshot(_ plan: ChunkPlan) throws {
        try snapshot(
            leads: plan.merges.flatMap { [$0.survivor, $0.merged] } + plan.updatedLeads.map(\.id), moving: plan.merges.map(\.merged))
    }

    /// The before-image of a review pair about to be decided.
    func snapshot(review id: Int64) throws {
        try sql.execute("""
            INSERT INTO review_versions (run_id, review_id, review_run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at)
            SELECT ?, id, run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at
            FROM review_queue WHERE id = ? AND run_id <> \(runID) ON CONFLICT DO NOTHING
            """, [.int(runID), .int(id)])
    }

    /// The before-image of an account's facts (no row: the account had none).
    func snapshot(account: String) throws {
        try snapshot(accounts: [account])
    }

    /// The before-images of accounts' facts: one read and one multi-row insert per 500.
    func snapshot(accounts: [String]) throws {
        let wanted = Array(Set(accounts)).sorted()
        var start = 0
        while start < wanted.count {
            let slice = Array(wanted[start..<min(start + 500, wanted.count)])
            start += slice.count
            var facts: [String: String] = [:]
            for row in try sql.rows("SELECT account, facts FROM account_facts WHERE account IN \(SQLText.list(slice.count))", slice.map(SQLValue.text)) {
                if let account = row[0].text { facts[account] = row[1].text }
            }
            try sql.execute(
                "INSERT INTO account_versions (run_id, account, facts) VALUES "
                    + Array(repeating: "(?, ?, ?)", count: slice.count).joined(separator: ", ") + " ON CONFLICT DO NOTHING",
                slice.flatMap { [SQLValue.int(runID), .text($0), SQLValue(facts[$0])] })
        }
    }
}

extension RunScoped where Self: StoreTransaction {
    func revert(run: Int64, cascade: Bool, command: String, at time: String) throws -> RevertResult {
        var result = try revertRuns(run: run, cascade: cascade)
        let id = try beginRun(mode: "revert", command: command, startedAt: time)
        var ledger = RunRecord(id: id, mode: "revert", startedAt: time, status: "succeeded", command: command)
        ledger.finishedAt = time
        try updateRun(ledger)
        result.revertRunID = id
        return result
    }
}

extension SQLBacked {
    /// The later runs that changed what `run` touched (its leads, created or restored, and accounts).
    func blockers(of run: Int64) throws -> [Int64] {
        let leads = try sql.rows("SELECT id FROM leads WHERE created_run_id = ? UNION SELECT lead_id FROM lead_versions WHERE run_id = ?", [.int(run), .int(run)])
            .compactMap { $0.first?.int }.map(SQLValue.int)
        var later = Set(try sql.rowsInSlices(
            "SELECT DISTINCT run_id FROM lead_versions WHERE run_id > \(run) AND lead_id IN {list}", leads).compactMap { $0.first?.int })
        // Leads this run created that a later run gave records to or merged (a later run's own
        // new records sit on them).
        later.formUnion(try sql.rowsInSlices(
            "SELECT DISTINCT run_id FROM source_records WHERE run_id > \(run) AND lead_id IN {list}", leads).compactMap { $0.first?.int })
        later.formUnion(try sql.rows("""
            SELECT DISTINCT later.run_id FROM account_versions later JOIN account_versions this ON this.account = later.account
            WHERE this.run_id = ? AND later.run_id > ?
            """, [.int(run), .int(run)]).compactMap { $0.first?.int })
        later.formUnion(try sql.rows(
            "SELECT DISTINCT run_id FROM lead_merges WHERE run_id > ? AND (surviving_lead_id IN (SELECT id FROM leads WHERE created_run_id = ?))",
            [.int(run), .int(run)]).compactMap { $0.first?.int })
        return later.sorted()
    }

    /// Undoes one run's writes (the caller checked that no later run depends on them).
    func revertRows(run: Int64, into result: inout RevertResult) throws {
        let r = SQLValue.int(run)
        let created = try sql.rows("SELECT id FROM leads WHERE created_run_id = ?", [r]).compactMap { $0.first?.int }.map(SQLValue.int)
        // What the run created.
        result.sourceRecordsRemoved += try sql.execute("DELETE FROM source_records WHERE run_id = ?", [r])
        try sql.execute("DELETE FROM record_issues WHERE run_id = ?", [r])
        try sql.execute("DELETE FROM review_queue WHERE run_id = ?", [r])
        result.mergesUndone += try sql.execute("DELETE FROM lead_merges WHERE run_id = ?", [r])
        try sql.executeInSlices("DELETE FROM lead_keys WHERE lead_id IN {list}", created)
        try sql.executeInSlices("DELETE FROM scores WHERE lead_id IN {list}", created)
        try sql.executeInSlices("DELETE FROM review_queue WHERE lead_id IN {list}", created)
        try sql.executeInSlices("DELETE FROM review_queue WHERE other_lead_id IN {list}", created)
        result.leadsDeleted += try sql.executeInSlices("DELETE FROM leads WHERE id IN {list}", created)

        // What it changed, as it was before.
        let restored = "(SELECT lead_id FROM lead_versions WHERE run_id = \(run))"
        for column in ["display_name", "email", "company", "data", "created_run_id", "updated_run_id"] {
            try sql.execute("""
                UPDATE leads SET \(column) = (SELECT v.\(column) FROM lead_versions v WHERE v.run_id = ? AND v.lead_id = leads.id)
                WHERE id IN \(restored)
                """, [r])
        }
        try sql.execute("""
            INSERT INTO leads (id, display_name, email, company, data, created_run_id, updated_run_id)
            SELECT lead_id, display_name, email, company, data, created_run_id, updated_run_id FROM lead_versions v
            WHERE v.run_id = ? AND NOT EXISTS (SELECT 1 FROM leads WHERE leads.id = v.lead_id)
            """, [r])
        result.leadsRestored += Int(try sql.rows("SELECT COUNT(*) FROM lead_versions WHERE run_id = ?", [r]).first?.first?.int ?? 0)
        try sql.execute("DELETE FROM lead_keys WHERE lead_id IN \(restored)", [])
        try sql.execute("INSERT INTO lead_keys (kind, key, lead_id) SELECT kind, key, lead_id FROM lead_key_versions WHERE run_id = ?", [r])
        try sql.execute("DELETE FROM scores WHERE lead_id IN \(restored)", [])
        try sql.execute("""
            INSERT INTO scores (lead_id, fit, tier, stage, engagement, profile_version, card)
            SELECT lead_id, fit, tier, stage, engagement, profile_version, card FROM score_versions WHERE run_id = ?
            """, [r])
        try sql.execute("""
            UPDATE source_records SET lead_id = (SELECT v.lead_id FROM record_versions v WHERE v.run_id = ? AND v.source_record_id = source_records.id)
            WHERE id IN (SELECT source_record_id FROM record_versions WHERE run_id = ?)
            """, [r, r])
        try sql.execute("DELETE FROM review_queue WHERE id IN (SELECT review_id FROM review_versions WHERE run_id = ?)", [r])
        result.reviewsRestored += try sql.execute("""
            INSERT INTO review_queue (id, run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at)
            SELECT review_id, review_run_id, lead_id, other_lead_id, source_record_id, probability, comparison, status, decided_at
            FROM review_versions WHERE run_id = ?
            """, [r])
        try sql.execute("DELETE FROM account_facts WHERE account IN (SELECT account FROM account_versions WHERE run_id = ?)", [r])
        try sql.execute("INSERT INTO account_facts (account, facts) SELECT account, facts FROM account_versions WHERE run_id = ? AND facts IS NOT NULL", [r])
        result.accountsRestored += Int(try sql.rows("SELECT COUNT(*) FROM account_versions WHERE run_id = ?", [r]).first?.first?.int ?? 0)
        // Its files, so they can be imported again.
        result.filesRemoved += try sql.execute("DELETE FROM files WHERE first_run_id = ?", [r])
        for table in RevertSchema.versionTables { try sql.execute("DELETE FROM \(table) WHERE run_id = ?", [r]) }
        try sql.execute("UPDATE runs SET status = 'reverted' WHERE id = ?", [r])
        result.runs.append(run)
    }

    /// Reverts `run` (and with `cascade` every later run that depends on it, newest first); records
    /// the revert as a run of its own.
    func revertRuns(run: Int64, cascade: Bool) throws -> RevertResult {
        guard let row = try sql.rows("SELECT mode, status FROM runs WHERE id = ?", [.int(run)]).first else {
            throw StoreError("no run \(run) in the ledger")
        }
        let mode = row[0].text ?? "", status = row[1].text ?? ""
        guard status != "reverted" else { throw StoreError("run \(run) was reverted already") }
        guard status != "running" else { throw StoreError("run \(run) is still running") }
        guard ["import", "inbox", "review"].contains(mode) else {
            throw StoreError("run \(run) is a\(mode.first.map { "aeiou".contains($0) } == true ? "n" : "") \(mode) run: only imports and review decisions can be reverted")
        }
        // The runs to revert: this one and, with cascade, everything that depends on it.
        var order = Set([run])
        var frontier = [run]
        while let next = frontier.popLast() {
            let later = try blockers(of: next).filter { !order.contains($0) }
            if !later.isEmpty && !cascade { throw RevertBlocked(run: run, laterRuns: later) }
            for id in later {
                let status = try sql.rows("SELECT status FROM runs WHERE id = ?", [.int(id)]).first?.first?.text
                if status == "reverted" { continue }
                order.insert(id)
                frontier.append(id)
            }
        }
        var result = RevertResult()
        for id in order.sorted(by: >) { try revertRows(run: id, into: &result) }
        return result
    }
}
