import Crypto
import Foundation
public import LeadCore
public import LeadMatch
import LeadScore

/// Hashes identifiers with the store's secret (HMAC-SHA-256), so the suppression list holds no
/// value: a hash can be checked against a candidate address, never read back. The secret is made
/// for the store on first use and kept in its `settings` table: every writer of a shared store
/// needs it, and a copy of the store without it would silently suppress nothing. Whoever holds the
/// store can still test a guessed address against it (docs/privacy.md).
public struct SuppressionHasher: Sendable {
    let key: SymmetricKey

    init(secret: Data) { key = SymmetricKey(data: secret) }

    public func hash(_ identifier: SuppressionKey) -> String {
        let message = Data((identifier.kind.rawValue + "\u{1F}" + identifier.value).utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// One row of `leadintake suppressions`: how many identifiers of a kind were suppressed for a
/// reason on a day (never a value).
public struct SuppressionCount: Sendable, Codable, Hashable {
    public var reason: String
    public var kind: String
    public var date: String
    public var count: Int
    public init(reason: String, kind: String, date: String, count: Int) {
        self.reason = reason
        self.kind = kind
        self.date = date
        self.count = count
    }
}

/// What an erasure removed (counts only: what remains of the person in the store is these numbers).
public struct ErasureResult: Sendable, Codable, Hashable {
    public var leads = 0
    public var mergedLeads = 0
    public var sourceRecords = 0
    public var issues = 0
    public var reviews = 0
    public var merges = 0
    public var accounts = 0
    public var files = 0
    public var suppressed = 0
    public init() {}
}

/// A transaction whose SQL the dialect can run: the part of the store written once for both backends.
protocol SQLBacked {
    var sql: any SQLExecutor { get }
}

extension SQLBacked {
    func suppressionHasher(create: Bool) throws -> SuppressionHasher? {
        if let hex = try sql.rows("SELECT value FROM settings WHERE name = 'suppression_secret'", []).first?.first?.text,
           let secret = Data(hexString: hex) {
            return SuppressionHasher(secret: secret)
        }
        guard create else { return nil }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try sql.execute(
            "INSERT INTO settings (name, value) VALUES ('suppression_secret', ?)",
            [.text(secret.map { String(format: "%02x", $0) }.joined())])
        return SuppressionHasher(secret: secret)
    }

    func suppressedHashes(among hashes: [String]) throws -> Set<String> {
        let distinct = Array(Set(hashes))
        guard !distinct.isEmpty else { return [] }
        return Set(try sql.rowsInSlices("SELECT hash FROM suppressions WHERE hash IN {list}", distinct.map(SQLValue.text)).compactMap { $0.first?.text })
    }

    func addSuppressions(_ entries: [(hash: String, kind: SuppressionKey.Kind)], reason: String, source: String, at time: String) throws -> Int {
        var added = 0
        var seen = Set<String>()
        for entry in entries where seen.insert(entry.hash).inserted {
            added += try sql.execute(
                "INSERT INTO suppressions (hash, kind, reason, source, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                [.text(entry.hash), .text(entry.kind.rawValue), .text(reason), .text(source), .text(time)])
        }
        return added
    }

    /// Deletes the leads `ids` and everything that quotes their person (see ``StoreTransaction/erase(leads:scrubbing:)``).
    func eraseRows(leads ids: [Int64], scrubbing strings: [String]) throws -> ErasureResult {
        var result = ErasureResult()
        guard !ids.isEmpty else { return result }
        let live = ids.map(SQLValue.int)
        // Leads merged into these before (their rows are gone, the merge rows and decided reviews still name them).
        var all = Set(ids)
        var frontier = live
        while !frontier.isEmpty {
            let merged = try sql.rowsInSlices("SELECT merged_lead_id FROM lead_merges WHERE surviving_lead_id IN {list}", frontier)
                .compactMap { $0.first?.int }.filter { all.insert($0).inserted }
            result.mergedLeads += merged.count
            frontier = merged.map(SQLValue.int)
        }
        let everyID = all.sorted().map(SQLValue.int)

        // The account each lead belongs to: its facts go when no other lead of the account remains.
        var accounts = Set<String>()
        for row in try sql.rowsInSlices("SELECT data FROM leads WHERE id IN {list}", live) {
            guard let data = row.first?.text, let lead = try? JSONDecoder().decode(Lead.self, from: Data(data.utf8)) else { continue }
            if let account = LeadFacts.accountKey(lead) { accounts.insert(account) }
        }

        // Issues of the person's records (matched by file and record), then any issue quoting them.
        result.issues += try sql.executeInSlices("""
            DELETE FROM record_issues WHERE EXISTS (SELECT 1 FROM source_records s WHERE s.lead_id IN {list}
              AND s.file_id = record_issues.file_id AND s.ordinal = record_issues.ordinal)
            """, live)
        for text in Set(strings) where text.count >= 4 {
            result.issues += try sql.execute("DELETE FROM record_issues WHERE message LIKE ? ESCAPE '\\'", [.text(SQLText.containing(text))])
        }
        result.reviews += try sql.executeInSlices("DELETE FROM review_queue WHERE lead_id IN {list}", everyID)
        result.reviews += try sql.executeInSlices("DELETE FROM review_queue WHERE other_lead_id IN {list}", everyID)
        result.merges += try sql.executeInSlices("DELETE FROM lead_merges WHERE surviving_lead_id IN {list}", everyID)
        result.merges += try sql.executeInSlices("DELETE FROM lead_merges WHERE merged_lead_id IN {list}", everyID)
        // Before-images a revert would restore (Revert.swift): they hold the person's data too. An
        // erasure is never undone by a revert.
        try sql.executeInSlices("DELETE FROM record_versions WHERE source_record_id IN (SELECT id FROM source_records WHERE lead_id IN {list})", live)
        for table in ["lead_versions", "lead_key_versions", "score_versions", "record_versions"] {
            try sql.executeInSlices("DELETE FROM \(table) WHERE lead_id IN {list}", everyID)
        }
        try sql.executeInSlices("DELETE FROM review_versions WHERE lead_id IN {list}", everyID)
        try sql.executeInSlices("DELETE FROM review_versions WHERE other_lead_id IN {list}", everyID)
        result.sourceRecords += try sql.executeInSlices("DELETE FROM source_records WHERE lead_id IN {list}", live)
        try sql.executeInSlices("DELETE FROM scores WHERE lead_id IN {list}", live)
        try sql.executeInSlices("DELETE FROM lead_keys WHERE lead_id IN {list}", live)
        result.leads += try sql.executeInSlices("DELETE FROM leads WHERE id IN {list}", live)

        for account in accounts.sorted() where try !accountHasLeads(account) {
            result.accounts += try sql.execute("DELETE FROM account_facts WHERE account = ?", [.text(account)])
        }
        // A file's facts (a webinar's host, a search page's query) may name the person.
        for text in Set(strings) where text.count >= 4 {
            for row in try sql.rows("SELECT id, facts FROM files WHERE facts LIKE ? ESCAPE '\\'", [.text(SQLText.containing(text))]) {
                guard let id = row[0].int, let data = row[1].text,
                      var facts = try? JSONDecoder().decode([String: String].self, from: Data(data.utf8)) else { continue }
                facts = facts.filter { !$0.value.localizedCaseInsensitiveContains(text) }
                try sql.execute("UPDATE files SET facts = ? WHERE id = ?", [.text(try CompactJSON.encode(facts)), .int(id)])
                result.files += 1
            }
        }
        return result
    }

    /// Whether a remaining lead belongs to `account` (`domain:acme.com` or `company:acme`), read from
    /// the name keys that carry the domain or company key.
    private func accountHasLeads(_ account: String) throws -> Bool {
        let (kind, value): (String, String)
        if account.hasPrefix("domain:") {
            (kind, value) = ("name-domain", String(account.dropFirst("domain:".count)))
        } else if account.hasPrefix("company:") {
            (kind, value) = ("name-company", String(account.dropFirst("company:".count)))
        } else {
            return false
        }
        let suffix = "|" + value
        return !(try sql.rows(
            "SELECT 1 FROM lead_keys WHERE kind = ? AND substr(key, length(key) - CAST(? AS INTEGER) + 1) = ? LIMIT 1",
            [.text(kind), .int(Int64(suffix.count)), .text(suffix)]).isEmpty)
    }


    func snapshotRows() throws -> (hasher: SuppressionHasher, hashes: Set<String>)? {
        guard let hasher = try suppressionHasher(create: false) else { return nil }
        return (hasher, Set(try sql.rows("SELECT hash FROM suppressions", []).compactMap { $0.first?.text }))
    }

    func suppressionCountRows() throws -> [SuppressionCount] {
        try sql.rows("""
            SELECT reason, kind, substr(added_at, 1, 10) AS day, COUNT(*) FROM suppressions
            GROUP BY reason, kind, substr(added_at, 1, 10) ORDER BY day, reason, kind
            """, []).map { row in
            SuppressionCount(reason: row[0].text ?? "", kind: row[1].text ?? "", date: row[2].text ?? "", count: Int(row[3].int ?? 0))
        }
    }
}

extension Data {
    /// Bytes from lower- or upper-case hex; nil for anything else.
    init?(hexString: String) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for scalar in hexString.unicodeScalars {
            guard let nibble = UInt8(String(scalar), radix: 16) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil, !bytes.isEmpty else { return nil }
        self.init(bytes)
    }
}

/// The suppressions table (the same in both stores): a keyed hash per identifier, its kind, why, from
/// what (an erasure, a list's file name, the command line) and when.
enum SuppressionSchema {
    static let table = """
        CREATE TABLE suppressions (
            hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            source TEXT NOT NULL,
            added_at TEXT NOT NULL
        )
        """
}
