import LeadCore
import LeadMatch
import LeadScore
import Foundation
import GRDB
import GRDBSQLite

// The set-based engine's reads and writes on SQLite: a chunk's candidates in one pass over the key
// index, its leads decoded in parallel, and its plan written with multi-row statements whose JSON is
// encoded in parallel. (SQLite runs in this process: a "query per chunk" is one pass of prepared
// statements over the chunk's keys, with no round trip per key.)

/// A value bound to a statement.
enum SQLValue {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int64) { self = .int(value) }
    init(_ value: Int) { self = .int(Int64(value)) }
}

extension SQLiteTransaction {
    func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]] {
        var found: [MatchKey: [Int64]] = [:]
        // A per-key LIMIT: a common key's block is cut at limit + 1 without reading it all.
        let lookup = try RawStatement(db, "SELECT lead_id FROM lead_keys WHERE kind = ? AND key = ? LIMIT \(limit + 1)")
        for key in keys {
            var ids: [Int64] = []
            try lookup.run([.text(key.kind), .text(key.value)]) { ids.append(sqlite3_column_int64($0, 0)) }
            if !ids.isEmpty { found[key] = ids }
        }
        return found
    }

    func candidateLeads(ids: [Int64]) throws -> [Candidate] {
        var read: [(Int64, String?, Int64)] = []
        read.reserveCapacity(ids.count)
        let fetch = try RawStatement(db, "SELECT data, created_run_id FROM leads WHERE id = ?")
        let created = try RawStatement(db, "SELECT created_run_id FROM leads WHERE id = ?")
        for id in ids {
            if let cached = cache.leads[id], let run = cached.createdRun {
                read.append((id, nil, run))
            } else if cache.leads[id] != nil {
                try created.run([.int(id)]) { read.append((id, nil, sqlite3_column_int64($0, 0))) }
            } else {
                try fetch.run([.int(id)]) { row in
                    read.append((id, String(cString: sqlite3_column_text(row, 0)), sqlite3_column_int64(row, 1)))
                }
            }
        }
        let runID = self.runID, rows = read
        let cached = rows.map { row in row.1 == nil ? cache.leads[row.0] : nil }
        // Decoding the JSON of the leads and building their profiles is the costly part: on every core.
        let candidates = try Parallel.map(rows.count) { i throws(StoreError) -> Candidate in
            let (id, data, run) = rows[i]
            if let data { return try Candidate.decoding(id: id, data: data, createdInThisRun: run == runID) }
            let entry = cached[i]!
            return Candidate(id: id, lead: entry.lead, createdInThisRun: run == runID, memo: entry.memo)
        }
        for (i, candidate) in candidates.enumerated() { cache.put(candidate.id, candidate.lead, createdRun: rows[i].2, memo: candidate.memo) }
        return candidates
    }

    func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int] {
        var counts: [MatchKey: Int] = [:]
        let count = try RawStatement(db, "SELECT COUNT(*) FROM lead_keys WHERE kind = ? AND key = ?")
        for key in keys {
            var n = keyCounts.counts[key] ?? -1
            if n < 0 {
                try count.run([.text(key.kind), .text(key.value)]) { n = Int(sqlite3_column_int64($0, 0)) }
                keyCounts.put(key, n)
            }
            if n > 0 { counts[key] = n }
        }
        return counts
    }

    func rejectedPairs(among ids: [Int64]) throws -> Set<LeadPair> {
        let wanted = Set(ids)
        var pairs = Set<LeadPair>()
        // Rejected reviews are few (a person decided each): read them all, keep the chunk's.
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT lead_id, other_lead_id FROM review_queue WHERE status = 'rejected'")) {
            let a: Int64 = row[0], b: Int64 = row[1]
            if wanted.contains(a) || wanted.contains(b) { pairs.insert(LeadPair(a, b)) }
        }
        return pairs
    }

    func latestRecordIDs(leadIDs: [Int64]) throws -> [Int64: Int64] {
        let latest = try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) FROM source_records WHERE lead_id = ?")
        var result: [Int64: Int64] = [:]
        for id in leadIDs { result[id] = try Int64.fetchOne(latest, arguments: [id]) ?? 0 }
        return result
    }

    func apply(_ plan: ChunkPlan, records: [LeadRecord], raw: [[ExtraField]], fileID: Int64, at time: String) throws -> [Int64] {
        try snapshot(plan)
        for merge in plan.merges {
            try mergeLeads(survivor: merge.survivor, merged: merge.merged, reason: merge.reason, at: time)
        }
        // Ids: one more than any lead id ever given (merged ones included), counted from there.
        let firstLead = try Int64.fetchOne(db, sql: """
            SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM leads), (SELECT COALESCE(MAX(merged_lead_id), 0) FROM lead_merges)) + 1
            """) ?? 1
        let ids = (0..<Int64(plan.newLeads.count)).map { firstLead + $0 }
        func id(_ ref: ChunkPlan.LeadRef) -> Int64 {
            switch ref {
            case .stored(let id): id
            case .new(let n): ids[n]
            }
        }
        let runID = self.runID
        // JSON of every row, encoded on every core.
        let leadRows = plan.newLeads.map(\.lead) + plan.updatedLeads.map(\.lead)
        let leadJSON = try Parallel.map(leadRows.count) { i throws(StoreError) in try Self.encode(leadRows[i]) }
        let linkJSON = try Parallel.map(plan.links.count) { i throws(StoreError) -> (String, String, String?) in
            let link = plan.links[i]
            return (try Self.encode(raw[link.record]), try Self.encode(records[link.record]), try link.comparison.map(Self.encode))
        }

        try insertRows(
            "leads", ["id", "display_name", "email", "company", "data", "created_run_id", "updated_run_id"], count: plan.newLeads.count
        ) { i in
            let lead = plan.newLeads[i].lead
            return [.int(ids[i]), SQLValue(lead.name.best), SQLValue(lead.primaryEmail?.normalized), SQLValue(lead.company), .text(leadJSON[i]), .int(runID), .int(runID)]
        }
        let update = try db.cachedStatement(sql: """
            UPDATE leads SET display_name = ?, email = ?, company = ?, data = ?, updated_run_id = ? WHERE id = ?
            """)
        for (n, updated) in plan.updatedLeads.enumerated() {
            let lead = updated.lead
            try update.execute(arguments: [lead.name.best, lead.primaryEmail?.normalized, lead.company, leadJSON[plan.newLeads.count + n], runID, updated.id])
        }
        // Keys: a new lead's are all new; an updated lead's may change the counts of its name keys.
        var keyRows: [(MatchKey, Int64)] = []
        for (n, lead) in plan.newLeads.enumerated() {
            for key in lead.keys {
                keyRows.append((key, ids[n]))
                if let count = keyCounts.counts[key] { keyCounts.counts[key] = count + 1 }
            }
        }
        for lead in plan.updatedLeads {
            for key in lead.keys {
                keyRows.append((key, lead.id))
                if key.kind.hasPrefix("tf-") { keyCounts.counts[key] = nil }
            }
        }
        // In index order: neighbouring rows land on the same pages.
        keyRows.sort { $0.0.kind != $1.0.kind ? $0.0.kind < $1.0.kind : $0.0.value != $1.0.value ? $0.0.value < $1.0.value : $0.1 < $1.1 }
        try insertRows("lead_keys", ["kind", "key", "lead_id"], count: keyRows.count, verb: "INSERT OR IGNORE") { i in
            [.text(keyRows[i].0.kind), .text(keyRows[i].0.value), .int(keyRows[i].1)]
        }

        let firstRecord = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM source_records") ?? 0) + 1
        var sourceIDs: [Int: Int64] = [:]
        for (n, link) in plan.links.enumerated() { sourceIDs[link.record] = firstRecord + Int64(n) }
        try insertRows(
            "source_records",
            ["id", "run_id", "file_id", "ordinal", "line", "importer", "source_name", "source_kind", "lead_id", "match",
             "explanation", "raw", "record", "comparison"], count: plan.links.count
        ) { n in
            let link = plan.links[n]
            let record = records[link.record], p = record.provenance
            return [
                .int(firstRecord + Int64(n)), .int(runID), .int(fileID), SQLValue(p.record), SQLValue(p.line), .text(p.importer),
                .text(record.source.name), .text(record.source.kind.rawValue), .int(id(link.lead)), .text(link.kind),
                .text(Self.resolve(link.explanation, ids)), .text(linkJSON[n].0), .text(linkJSON[n].1), SQLValue(linkJSON[n].2),
            ]
        }
        for review in plan.reviews {
            try insertReview(
                leadID: id(review.lead), otherLeadID: id(review.other), sourceRecordID: sourceIDs[review.record] ?? 0,
                probability: review.comparison.probability, comparison: review.comparison)
        }
        for (n, lead) in plan.newLeads.enumerated() { cache.put(ids[n], lead.lead, createdRun: runID) }
        for lead in plan.updatedLeads { cache.put(lead.id, lead.lead, createdRun: nil) }
        if let count = counter.leads { counter.leads = count + plan.newLeads.count }
        return ids
    }

    /// Saves score cards in bulk, their JSON encoded on every core.
    func saveScores(_ cards: [(Int64, ScoreCard)]) throws {
        let json = try Parallel.map(cards.count) { i throws(StoreError) in try Self.encode(cards[i].1) }
        try insertRows(
            "scores", ["lead_id", "fit", "tier", "stage", "engagement", "profile_version", "card"], count: cards.count,
            verb: "INSERT OR REPLACE"
        ) { i in
            let card = cards[i].1
            return [.int(cards[i].0), SQLValue(card.fit), .text(card.tier), .text(card.stage.rawValue), SQLValue(card.engagement), .text(card.profileVersion), .text(json[i])]
        }
    }

    /// Inserts `count` rows through one prepared statement, binding values with SQLite's C API:
    /// GRDB's `StatementArguments` boxes every value (an existential and a copy per column), which was
    /// most of the cost of writing a million rows; a multi-row VALUES list saved little over this.
    func insertRows(_ table: String, _ columns: [String], count: Int, verb: String = "INSERT", _ values: (Int) throws -> [SQLValue]) throws {
        guard count > 0 else { return }
        let sql = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES (" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let statement = try db.cachedStatement(sql: sql).sqliteStatement
        for i in 0..<count {
            RawStatement.bind(try values(i), to: statement)
            let code = sqlite3_step(statement)
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            guard code == SQLITE_DONE else {
                throw StoreError("cannot write to \(table): \(String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))")
            }
        }
    }

    static func encode<T: Encodable>(_ value: T) throws(StoreError) -> String {
        do {
            return try CompactJSON.encode(value)
        } catch {
            throw StoreError("cannot encode \(T.self): \(error)")
        }
    }
}

/// A prepared statement (GRDB's statement cache) stepped through SQLite's C API: the matcher's bulk
/// reads run hundreds of thousands of point lookups per chunk, and GRDB's argument boxing and row
/// decoding cost more than the lookups.
struct RawStatement {
    let statement: SQLiteStatement

    init(_ db: Database, _ sql: String) throws { statement = try db.cachedStatement(sql: sql).sqliteStatement }

    /// Binds `values`, calls `row` for each result row, and resets the statement.
    /// Binds `values` to the statement's parameters 1, 2, ... (text copied by SQLite).
    static func bind(_ values: [SQLValue], to statement: SQLiteStatement) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (n, value) in values.enumerated() {
            let column = Int32(n + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, column)
            case .int(let v): sqlite3_bind_int64(statement, column, v)
            case .double(let v): sqlite3_bind_double(statement, column, v)
            case .text(var v): v.withUTF8 { bytes in _ = sqlite3_bind_text(statement, column, bytes.baseAddress, Int32(bytes.count), transient) }
            }
        }
    }

    func run(_ values: [SQLValue], _ row: (SQLiteStatement) throws -> Void) throws {
        Self.bind(values, to: statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw StoreError("SQLite: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))")
            }
            try row(statement)
        }
    }
}
