import LeadCore
import LeadMatch
import Foundation
import GRDB

// The set-based engine's reads and writes on SQLite: a chunk's candidates in one pass over the key
// index, its leads decoded in parallel, and its plan written with multi-row statements whose JSON is
// encoded in parallel. (SQLite runs in this process: a "query per chunk" is one pass of prepared
// statements over the chunk's keys, with no round trip per key.)

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters for the widest table.
private let rowsPerStatement = 200

extension SQLiteTransaction {
    func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]] {
        var found: [MatchKey: [Int64]] = [:]
        // A per-key LIMIT: a common key's block is cut at limit + 1 without reading it all.
        let lookup = try db.cachedStatement(sql: "SELECT lead_id FROM lead_keys WHERE kind = ? AND key = ? LIMIT \(limit + 1)")
        for key in keys {
            let ids = try Int64.fetchAll(lookup, arguments: [key.kind, key.value])
            if !ids.isEmpty { found[key] = ids }
        }
        return found
    }

    func candidateLeads(ids: [Int64]) throws -> [Candidate] {
        var read: [(Int64, String?, Int64)] = []
        read.reserveCapacity(ids.count)
        let fetch = try db.cachedStatement(sql: "SELECT data, created_run_id FROM leads WHERE id = ?")
        let created = try db.cachedStatement(sql: "SELECT created_run_id FROM leads WHERE id = ?")
        for id in ids {
            if let cached = cache.leads[id], let run = cached.createdRun {
                read.append((id, nil, run))
            } else if cache.leads[id] != nil {
                guard let run = try Int64.fetchOne(created, arguments: [id]) else { continue }
                read.append((id, nil, run))
            } else if let row = try Row.fetchOne(fetch, arguments: [id]) {
                read.append((id, row[0], row[1]))
            }
        }
        let runID = self.runID, rows = read
        let cached = rows.map { row in row.1 == nil ? cache.leads[row.0] : nil }
        // Decoding the JSON of the leads and building their profiles is the costly part: on every core.
        let candidates = try Parallel.map(rows.count) { i throws(StoreError) -> Candidate in
            let (id, data, run) = rows[i]
            if let data {
                do {
                    let lead = try JSONDecoder().decode(Lead.self, from: Data(data.utf8))
                    let memo = ProfileMemo()
                    _ = memo.profile(for: lead)
                    return Candidate(id: id, lead: lead, createdInThisRun: run == runID, memo: memo)
                } catch {
                    throw StoreError("lead \(id): stored data cannot be read: \(error)")
                }
            }
            let entry = cached[i]!
            return Candidate(id: id, lead: entry.lead, createdInThisRun: run == runID, memo: entry.memo)
        }
        for (i, candidate) in candidates.enumerated() { cache.put(candidate.id, candidate.lead, createdRun: rows[i].2, memo: candidate.memo) }
        return candidates
    }

    func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int] {
        var counts: [MatchKey: Int] = [:]
        for key in keys {
            let count = try keyCount(key)
            if count > 0 { counts[key] = count }
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
            return [ids[i], lead.name.best, lead.primaryEmail?.normalized, lead.company, leadJSON[i], runID, runID]
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
        try insertRows("lead_keys", ["kind", "key", "lead_id"], count: keyRows.count, verb: "INSERT OR IGNORE") { i in
            [keyRows[i].0.kind, keyRows[i].0.value, keyRows[i].1]
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
                firstRecord + Int64(n), runID, fileID, p.record, p.line, p.importer, record.source.name, record.source.kind.rawValue,
                id(link.lead), link.kind, Self.resolve(link.explanation, ids), linkJSON[n].0, linkJSON[n].1, linkJSON[n].2,
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

    /// Inserts `count` rows with multi-row statements (`values(i)` gives row i's columns).
    func insertRows(
        _ table: String, _ columns: [String], count: Int, verb: String = "INSERT", _ values: (Int) throws -> [(any DatabaseValueConvertible)?]
    ) throws {
        guard count > 0 else { return }
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var start = 0
        while start < count {
            let n = min(rowsPerStatement, count - start)
            let statement = try db.cachedStatement(sql: head + Array(repeating: row, count: n).joined(separator: ", "))
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(n * columns.count)
            for i in start..<start + n { arguments += try values(i) }
            try statement.execute(arguments: StatementArguments(arguments))
            start += n
        }
    }

    static func encode<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError("cannot encode \(T.self): \(error)")
        }
    }
}
