public import LeadCore
import Foundation
public import LeadMatch
public import LeadScore

/// A row of the run ledger.
public struct RunRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var mode: String
    public var startedAt: String
    public var finishedAt: String?
    /// running, succeeded, partial, failed, interrupted
    public var status: String
    public var command: String?
    public var filesSeen = 0
    public var filesLoaded = 0
    public var filesSkipped = 0
    public var filesFailed = 0
    public var recordsRead = 0
    public var recordsLoaded = 0
    public var recordsRejected = 0
    public var leadsNew = 0
    public var leadsMerged = 0
    /// File-level errors of the run, one line each (no personal data).
    public var errors: [String] = []

    public init(id: Int64, mode: String, startedAt: String, status: String, command: String?) {
        self.id = id
        self.mode = mode
        self.startedAt = startedAt
        self.status = status
        self.command = command
    }
}

/// A file the store has loaded before.
public struct LoadedFile: Sendable, Hashable {
    public var id: Int64
    public var sha256: String
    public var name: String
    public var firstRunID: Int64
    public var records: Int
}

/// A file about to be loaded.
public struct FileEntry: Sendable {
    public var sha256: String
    public var name: String
    public var path: String
    public var size: Int64
    public var format: String
    public var facts: [String: String]
    public init(sha256: String, name: String, path: String, size: Int64, format: String, facts: [String: String]) {
        self.sha256 = sha256
        self.name = name
        self.path = path
        self.size = size
        self.format = format
        self.facts = facts
    }
}

/// One imported record as the store keeps it.
public struct SourceRecordEntry: Sendable {
    public var fileID: Int64
    public var record: LeadRecord
    public var raw: [ExtraField]
    public var leadID: Int64
    /// "new", "merged" or "review".
    public var match: String
    public var explanation: String
    public var comparison: Comparison?
    public init(fileID: Int64, record: LeadRecord, raw: [ExtraField], leadID: Int64, match: String, explanation: String, comparison: Comparison? = nil) {
        self.fileID = fileID
        self.record = record
        self.raw = raw
        self.leadID = leadID
        self.match = match
        self.explanation = explanation
        self.comparison = comparison
    }
}

/// A lead with its store identity, for exports.
public struct StoredLead: Sendable {
    public var id: Int64
    public var lead: Lead
    public var createdRunID: Int64
    public var updatedRunID: Int64
    /// The lead's score card, when a profile scored it.
    public var score: ScoreCard?
}

/// One row of the provenance export: which record of which file went to which lead.
public struct ProvenanceRow: Sendable, Codable {
    public var file: String
    public var record: Int
    public var line: Int
    public var leadID: Int64
    public var source: String
    public var sourceKind: String
    public var importer: String
    public var sha256: String
    public var runID: Int64
    public var match: String
}

/// Everything a store does while a transaction is open. Implementations see their own writes.
public protocol StoreTransaction: LeadIndex, CandidateSource {
    /// Writes a chunk's plan in bulk: merges of stored leads, new leads (ids given in order, returned),
    /// updated leads, one source record per link, reviews. `records` and `raw` are the chunk's
    /// (normalized) records and raw fields, by index.
    func apply(_ plan: ChunkPlan, records: [LeadRecord], raw: [[ExtraField]], fileID: Int64, at time: String) throws -> [Int64]
    /// The run whose writes this is; set before matching so candidates know what is new in this run.
    var runID: Int64 { get set }
    /// Runs `body` so that, if it throws, everything it wrote is undone and the transaction goes on.
    func savepoint<T>(_ body: () throws -> T) throws -> T
    func beginRun(mode: String, command: String?, startedAt: String) throws -> Int64
    func updateRun(_ run: RunRecord) throws
    func loadedFile(sha256: String) throws -> LoadedFile?
    func insertFile(_ file: FileEntry) throws -> Int64
    func finishFile(id: Int64, records: Int, rejected: Int, facts: [String: String]) throws
    func insertLead(_ lead: Lead, keys: [MatchKey]) throws -> Int64
    func updateLead(id: Int64, lead: Lead, keys: [MatchKey]) throws
    /// Returns the new source record's id.
    @discardableResult
    func insertSourceRecord(_ entry: SourceRecordEntry) throws -> Int64
    func insertIssue(_ issue: Issue, fileID: Int64?) throws
    /// A stored lead, by id.
    func lead(id: Int64) throws -> Lead?
    /// Company facts rolled up to an account (domain or company key).
    func accountFacts(_ account: String) throws -> CompanyFacts?
    /// Adds what `facts` knows to the account's facts (never replaces a value with a blank).
    func mergeAccountFacts(_ account: String, _ facts: CompanyFacts) throws
    /// The same for a chunk's accounts, with their before-images taken in bulk.
    func mergeAccountFacts(_ accounts: [(String, CompanyFacts)]) throws
    func saveScore(leadID: Int64, _ card: ScoreCard) throws
    /// Saves many score cards (default: one at a time).
    func saveScores(_ cards: [(Int64, ScoreCard)]) throws
    /// Queues a pair for a person to decide: existing lead `leadID` and the new lead `otherLeadID`.
    func insertReview(leadID: Int64, otherLeadID: Int64, sourceRecordID: Int64, probability: Double, comparison: Comparison) throws
    /// Merges lead `merged` into `survivor` inside this transaction (data, keys, source records,
    /// pending reviews; the merge is recorded): one person found split over two leads.
    func mergeLeads(survivor: Int64, merged: Int64, reason: String, at time: String) throws
    /// The version of the blocking keys the key index was built with (nil: before versions were kept).
    func keyVersion() throws -> String?
    /// Indexes every stored lead under the keys `keys` computes (adding what is missing: a matcher
    /// with new kinds of keys, or term-frequency counters, must see the leads stored before it) and
    /// records `version`. Returns the number of leads indexed.
    func reindex(version: String, keys: (Lead) -> [MatchKey]) throws -> Int

    // Suppressions (keyed hashes, never values) and erasure: Suppressions.swift, written once.
    /// The store's hasher; `create` makes the store's secret on first use (nil: no suppression was
    /// ever added, so nothing is suppressed).
    func suppressionHasher(create: Bool) throws -> SuppressionHasher?
    /// Which of `hashes` are suppressed (one query per 500).
    func suppressedHashes(among hashes: [String]) throws -> Set<String>
    /// Adds suppressions (a hash already there keeps its first reason); returns how many were new.
    @discardableResult
    func addSuppressions(_ entries: [(hash: String, kind: SuppressionKey.Kind)], reason: String, source: String, at time: String) throws -> Int
    /// Deletes leads `ids` with everything that holds their person's data: keys, scores, source records
    /// (raw and normalized fields), their issues and any issue whose message contains one of `strings`,
    /// review pairs, merge rows (with the leads merged into them before), their account's facts when no
    /// other lead is at the account, file facts that name them. Counts in the ledger stay.
    func erase(leads ids: [Int64], scrubbing strings: [String]) throws -> ErasureResult
    /// Undoes run `run` (Revert.swift): deletes what it created, puts back what it changed as it was
    /// before, removes its source records, issues, reviews and files, marks it `reverted` and records
    /// the revert as a run. Throws ``RevertBlocked`` when later runs changed what it touched, unless
    /// `cascade`, which reverts them too, newest first.
    func revert(run: Int64, cascade: Bool, command: String, at time: String) throws -> RevertResult
}

/// A pair in the review queue.
public struct ReviewItem: Sendable, Codable {
    public var id: Int64
    public var leadID: Int64
    public var otherLeadID: Int64
    public var sourceRecordID: Int64
    public var probability: Double
    public var comparison: Comparison
    /// pending, accepted, rejected
    public var status: String
    public var createdRunID: Int64
    public var decidedAt: String?
}

/// One source record of a lead, for explanations.
public struct SourceRecordRow: Sendable {
    public var id: Int64
    public var file: String
    public var record: Int
    public var line: Int
    public var match: String
    public var explanation: String
    public var comparison: Comparison?
    public var runID: Int64
    public var data: LeadRecord
}

/// A merge of two existing leads (review accepted): the older id survives.
public struct LeadMergeRow: Sendable {
    public var survivingLeadID: Int64
    public var mergedLeadID: Int64
    public var reason: String
    public var mergedAt: String
}

/// The lead store: SQLite by default, PostgreSQL for a shared store. No backend types in the protocol.
public protocol LeadStore: AnyObject, Sendable {
    /// Where the store lives, for messages (`sqlite:data/leads.sqlite`).
    var location: String { get }
    /// Runs `body` in one transaction; commits if `commit` and `body` returns, rolls back otherwise.
    func transaction<T>(commit: Bool, _ body: (inout any StoreTransaction) throws -> T) throws -> T
    /// The ledger, newest first.
    func runs() throws -> [RunRecord]
    func forEachLead(_ body: (StoredLead) throws -> Void) throws
    func forEachProvenance(_ body: (ProvenanceRow) throws -> Void) throws
    /// Number of leads in the store.
    func leadCount() throws -> Int
    /// Marks runs left `running` by a process that died as `interrupted`.
    func markInterruptedRuns() throws
    func lead(id: Int64) throws -> StoredLead?
    func sourceRecords(leadID: Int64) throws -> [SourceRecordRow]
    func merges(leadID: Int64) throws -> [LeadMergeRow]
    func forEachSourceRecord(limit: Int, _ body: (LeadRecord) throws -> Void) throws
    func reviews(status: String?) throws -> [ReviewItem]
    func review(id: Int64) throws -> ReviewItem?
    /// Accepting merges the two leads (the older id survives, the merge is recorded); rejecting
    /// records that they are different people. Either way the decision is kept for later runs.
    func decideReview(id: Int64, accept: Bool, at time: String) throws
    /// The score card of a lead, if scored.
    func scoreCard(leadID: Int64) throws -> ScoreCard?
    /// Rescores every lead whose score was made by another profile version (or all with `force`);
    /// returns how many were rescored.
    func rescore(force: Bool, profileVersion: String, _ score: (Lead, CompanyFacts?) -> ScoreCard) throws -> Int
    /// Per source (and per referrer): records, new leads, already known, stages of its leads.
    func sourceYield() throws -> [SourceYield]
    /// The match model the store last saved, or nil (built-in priors apply).
    func matchModel() throws -> MatchModel?
    func saveMatchModel(_ model: MatchModel, at time: String) throws
    /// Counts of suppressed identifiers by reason, kind and day.
    func suppressionCounts() throws -> [SuppressionCount]
    /// The hasher and every suppressed hash (nil: no suppression yet), for exports that leave out
    /// suppressed people. Held in memory: 64 bytes per suppressed identifier.
    func suppressionSnapshot() throws -> (hasher: SuppressionHasher, hashes: Set<String>)?
    /// After an erasure: makes sure no freed page and no log file of the store keeps a copy of the
    /// deleted rows (SQLite: VACUUM and a truncating WAL checkpoint; PostgreSQL: VACUUM of the tables,
    /// whose WAL and backups are the operator's policy). Returns what it did, for the command's output.
    func purgeDeleted() throws -> String
}

/// A store failure with its context (never with personal data).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Another writer held the store for longer than the busy timeout. A run that meets it stops (its
/// files so far are committed, the one in progress is not) and the command exits 75 (EX_TEMPFAIL):
/// a scheduler tries again later.
public struct StoreBusyError: Error, Sendable, CustomStringConvertible {
    public var store: String
    public var waited: Double
    public init(store: String, waited: Double) {
        self.store = store
        self.waited = waited
    }
    public var description: String {
        "store is busy: another writer held \(store) for more than \(Int(waited)) s (--busy-timeout); nothing of the current file was written, try again later"
    }
}

/// How long a writer waits for another writer of the store before giving up with ``StoreBusyError``:
/// `LEADINTAKE_BUSY_TIMEOUT` seconds, else 120.
public enum BusyTimeout {
    public static var `default`: Double {
        ProcessInfo.processInfo.environment["LEADINTAKE_BUSY_TIMEOUT"].flatMap(Double.init).flatMap { $0 >= 0 ? $0 : nil } ?? 120
    }
}

/// What one source (or referrer) brought in.
public struct SourceYield: Sendable, Codable, Equatable {
    public var name: String
    /// "source" or "referrer"
    public var kind: String
    public var sourceKind: String?
    public var records: Int
    public var newLeads: Int
    public var alreadyKnown: Int
    /// Distinct leads the source's records went to, by stage (unscored leads count as "unscored").
    public var stages: [String: Int]
    public var leads: Int { stages.values.reduce(0, +) }
    public var qualified: Int { (stages["dream"] ?? 0) + (stages["prospect"] ?? 0) }
    public init(name: String, kind: String, sourceKind: String?, records: Int, newLeads: Int, alreadyKnown: Int, stages: [String: Int]) {
        self.name = name
        self.kind = kind
        self.sourceKind = sourceKind
        self.records = records
        self.newLeads = newLeads
        self.alreadyKnown = alreadyKnown
        self.stages = stages
    }
}

/// Leads decoded in one transaction, by id: matching reads the same candidates again and again (a
/// block's leads for every record of the block), and decoding their JSON was a quarter of a run.
/// The transaction keeps it up to date with every write; emptied when full, so memory stays bounded.
final class LeadCache {
    /// The lead, the run that created it (nil: not read yet), and its match profile once computed.
    var leads: [Int64: (lead: Lead, createdRun: Int64?, memo: ProfileMemo)] = [:]
    static let capacity = 30_000
    func put(_ id: Int64, _ lead: Lead, createdRun: Int64?, memo: ProfileMemo = ProfileMemo()) {
        if leads.count >= Self.capacity { leads.removeAll(keepingCapacity: true) }
        leads[id] = (lead, createdRun ?? leads[id]?.createdRun, memo)
    }
}

/// Key counts read in one transaction (term frequencies: every record asks for its family and given
/// name, and counting a common given name's index entries grows with the store). The transaction
/// keeps them up to date with key inserts and empties them on a lead merge, which moves keys, and on
/// a rollback.
final class KeyCounts {
    var counts: [MatchKey: Int] = [:]
    static let capacity = 200_000
    func put(_ key: MatchKey, _ count: Int) {
        if counts.count >= Self.capacity { counts.removeAll(keepingCapacity: true) }
        counts[key] = count
    }
}

extension StoreTransaction {
    public func saveScores(_ cards: [(Int64, ScoreCard)]) throws {
        for (id, card) in cards { try saveScore(leadID: id, card) }
    }

    /// The plan written one row at a time through the transaction's own statements (a backend
    /// without a bulk path of its own).
    public func applyRowByRow(_ plan: ChunkPlan, records: [LeadRecord], raw: [[ExtraField]], fileID: Int64, at time: String) throws -> [Int64] {
        for merge in plan.merges {
            try mergeLeads(survivor: merge.survivor, merged: merge.merged, reason: merge.reason, at: time)
        }
        var ids: [Int64] = []
        ids.reserveCapacity(plan.newLeads.count)
        for lead in plan.newLeads { ids.append(try insertLead(lead.lead, keys: lead.keys)) }
        for lead in plan.updatedLeads { try updateLead(id: lead.id, lead: lead.lead, keys: lead.keys) }
        func id(_ ref: ChunkPlan.LeadRef) -> Int64 {
            switch ref {
            case .stored(let id): id
            case .new(let n): ids[n]
            }
        }
        var sourceIDs: [Int: Int64] = [:]
        for link in plan.links {
            sourceIDs[link.record] = try insertSourceRecord(SourceRecordEntry(
                fileID: fileID, record: records[link.record], raw: raw[link.record], leadID: id(link.lead), match: link.kind,
                explanation: Self.resolve(link.explanation, ids), comparison: link.comparison))
        }
        for review in plan.reviews {
            try insertReview(
                leadID: id(review.lead), otherLeadID: id(review.other), sourceRecordID: sourceIDs[review.record] ?? 0,
                probability: review.comparison.probability, comparison: review.comparison)
        }
        return ids
    }

    /// A plan's explanations name its new leads by their place ("new lead #3 of this chunk"); once
    /// their ids are known, by id.
    public static func resolve(_ explanation: String, _ ids: [Int64]) -> String {
        guard explanation.contains(" of this chunk") else { return explanation }
        var text = explanation
        while let range = text.range(of: "new lead #") {
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            guard let n = Int(digits), n >= 1, n <= ids.count,
                  let end = text.range(of: " of this chunk", range: range.upperBound..<text.endIndex) else { break }
            text.replaceSubrange(range.lowerBound..<end.upperBound, with: "lead \(ids[n - 1])")
        }
        return text
    }
}

extension Candidate {
    /// A stored lead decoded from its JSON, with its match profile built (both backends call this on
    /// every core for a chunk's candidates).
    static func decoding(id: Int64, data: String, createdInThisRun: Bool) throws(StoreError) -> Candidate {
        do {
            let lead = try JSONDecoder().decode(Lead.self, from: Data(data.utf8))
            let memo = ProfileMemo()
            _ = memo.profile(for: lead)
            return Candidate(id: id, lead: lead, createdInThisRun: createdInThisRun, memo: memo)
        } catch {
            throw StoreError("lead \(id): stored data cannot be read: \(error)")
        }
    }
}
