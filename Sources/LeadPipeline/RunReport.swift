public import LeadCore

/// What happened to one file of a run (or would happen, in a dry run).
public struct FileReport: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case loaded
        case wouldLoad = "would-load"
        case alreadyLoaded = "already-loaded"
        case failed
    }
    public var path: String
    public var name: String
    public var sha256: String?
    public var size: Int64?
    public var status: Status = .failed
    /// Importer id and name of the detected format, with its confidence and reason.
    public var format: String?
    public var formatName: String?
    public var confidence: Double?
    public var confidenceReason: String?
    public var runnerUp: String?
    public var facts: [String: String] = [:]
    public var recordsRead = 0
    public var recordsLoaded = 0
    public var recordsRejected = 0
    /// Records of people on the suppression list (an erasure, a do-not-contact list): read, not stored.
    public var recordsSuppressed = 0
    public var warnings = 0
    public var newLeads = 0
    public var duplicatesInBatch = 0
    public var duplicatesOfStore = 0
    /// Leads merged into another because a record of this file showed they are one person.
    public var leadsMergedInRun = 0
    /// Leads this file touched, by stage after scoring (empty without a profile).
    public var stages: [String: Int] = [:]
    /// Records whose lead went to the review queue (possible duplicate of an existing lead).
    public var reviews = 0
    /// Candidate pairs the matcher compared, blocking keys too common to pair on (cut), and the
    /// largest lead a chunk made (records and leads in one cluster).
    public var pairsScored = 0
    public var blocksCut = 0
    public var largestLead = 0
    /// What happened to each record (first ``RunReport/detailLimit``): new lead, joins lead N, review.
    public var plan: [RecordPlan] = []
    /// Rejected records (first ``RunReport/detailLimit`` of them), with file:line and reason.
    public var rejected: [Issue] = []
    /// Warnings and notes about the file (first ``RunReport/detailLimit``).
    public var notes: [Issue] = []
    /// Why the file failed as a whole, or why it was skipped.
    public var error: String?
    public var loadedInRun: Int64?

    public init(path: String, name: String) {
        self.path = path
        self.name = name
    }
}

/// The plan for one record: its outcome and the top reasons.
public struct RecordPlan: Codable, Sendable {
    public var record: Int
    public var line: Int
    public var outcome: String
    public var reasons: String
}

/// The outcome of a run: per file and in total. Written as JSON with `--report`.
public struct RunReport: Codable, Sendable {
    public static let detailLimit = 1000

    public var runID: Int64?
    public var mode: String
    public var store: String
    public var startedAt: String
    public var finishedAt: String?
    public var files: [FileReport] = []
    public var leadsInStoreBefore = 0
    public var leadsInStoreAfter = 0

    public init(mode: String, store: String, startedAt: String) {
        self.mode = mode
        self.store = store
        self.startedAt = startedAt
    }

    public var recordsRead: Int { files.reduce(0) { $0 + $1.recordsRead } }
    public var recordsLoaded: Int { files.reduce(0) { $0 + $1.recordsLoaded } }
    public var recordsRejected: Int { files.reduce(0) { $0 + $1.recordsRejected } }
    public var recordsSuppressed: Int { files.reduce(0) { $0 + $1.recordsSuppressed } }
    public var newLeads: Int { files.reduce(0) { $0 + $1.newLeads } }
    public var duplicatesInBatch: Int { files.reduce(0) { $0 + $1.duplicatesInBatch } }
    public var duplicatesOfStore: Int { files.reduce(0) { $0 + $1.duplicatesOfStore } }
    public var reviews: Int { files.reduce(0) { $0 + $1.reviews } }
    public var leadsMergedInRun: Int { files.reduce(0) { $0 + $1.leadsMergedInRun } }
    public var filesFailed: Int { files.filter { $0.status == .failed }.count }
    public var filesSkipped: Int { files.filter { $0.status == .alreadyLoaded }.count }
    public var filesLoaded: Int { files.filter { $0.status == .loaded || $0.status == .wouldLoad }.count }

    /// Something a person has to act on after the run, most urgent first.
    public struct Attention: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case filesFailed = "files-failed", rowsRejected = "rows-rejected", pairsToReview = "pairs-to-review"
            case leadsMerged = "leads-merged"
        }
        public var kind: Kind
        public var count: Int
        /// One line for the summary, e.g. "37 rows rejected: l20k.csv lines 15, 230, 231, …".
        public var text: String
        /// file:line of the first rejected rows (at most five), for rows-rejected.
        public var lines: [String] = []
    }

    /// What the run leaves for a person to do: failed files, rejected rows (with their first lines),
    /// pairs to review, leads merged as one person. Empty when there is nothing.
    public var attention: [Attention] {
        var items: [Attention] = []
        let failed = files.filter { $0.status == .failed }
        if !failed.isEmpty {
            let names = failed.prefix(3).map { "\($0.name) (\(($0.error ?? "failed").prefix(120)))" }.joined(separator: "; ")
            items.append(.init(
                kind: .filesFailed, count: failed.count,
                text: "\(failed.count) file(s) failed, nothing of them loaded: \(names)\(failed.count > 3 ? "; …" : "")"))
        }
        if recordsRejected > 0 {
            let rejected = files.flatMap { file in file.rejected.map { ($0.location.file, $0.location.line) } }.prefix(5)
            var byFile: [(String, [String])] = []
            for (file, line) in rejected {
                let text = line.map(String.init) ?? "?"
                if byFile.last?.0 == file { byFile[byFile.count - 1].1.append(text) } else { byFile.append((file, [text])) }
            }
            let shown = byFile.map { "\($0.0) line\($0.1.count > 1 ? "s" : "") \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
            items.append(.init(
                kind: .rowsRejected, count: recordsRejected,
                text: "\(recordsRejected) row(s) rejected: \(shown)\(recordsRejected > rejected.count ? "; …" : "")",
                lines: rejected.map { "\($0.0):\($0.1.map(String.init) ?? "?")" }))
        }
        if reviews > 0 {
            items.append(.init(kind: .pairsToReview, count: reviews, text: "\(reviews) pair(s) to review: leadintake review list"))
        }
        if leadsMergedInRun > 0 {
            items.append(.init(
                kind: .leadsMerged, count: leadsMergedInRun,
                text: "\(leadsMergedInRun) lead(s) found to be one person with another and merged (leadintake explain LEAD)"))
        }
        return items
    }

    enum CodingKeys: String, CodingKey {
        case runID, mode, store, startedAt, finishedAt, files, leadsInStoreBefore, leadsInStoreAfter, attention, totals
    }

    /// The run's totals, as the summary's total line gives them.
    public struct Totals: Codable, Sendable {
        public var files, filesLoaded, filesSkipped, filesFailed: Int
        public var recordsRead, recordsLoaded, recordsRejected, recordsSuppressed: Int
        public var newLeads, duplicatesInBatch, duplicatesOfStore, reviews, leadsMerged: Int
    }

    public var totals: Totals {
        Totals(
            files: files.count, filesLoaded: filesLoaded, filesSkipped: filesSkipped, filesFailed: filesFailed,
            recordsRead: recordsRead, recordsLoaded: recordsLoaded, recordsRejected: recordsRejected, recordsSuppressed: recordsSuppressed, newLeads: newLeads,
            duplicatesInBatch: duplicatesInBatch, duplicatesOfStore: duplicatesOfStore, reviews: reviews, leadsMerged: leadsMergedInRun)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(runID, forKey: .runID)
        try container.encode(mode, forKey: .mode)
        try container.encode(store, forKey: .store)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        try container.encode(files, forKey: .files)
        try container.encode(leadsInStoreBefore, forKey: .leadsInStoreBefore)
        try container.encode(leadsInStoreAfter, forKey: .leadsInStoreAfter)
        try container.encode(attention, forKey: .attention)
        try container.encode(totals, forKey: .totals)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.decodeIfPresent(Int64.self, forKey: .runID)
        mode = try container.decode(String.self, forKey: .mode)
        store = try container.decode(String.self, forKey: .store)
        startedAt = try container.decode(String.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
        files = try container.decode([FileReport].self, forKey: .files)
        leadsInStoreBefore = try container.decode(Int.self, forKey: .leadsInStoreBefore)
        leadsInStoreAfter = try container.decode(Int.self, forKey: .leadsInStoreAfter)
    }

    /// Process exit status: 0 success, 1 success with rejected records or failed files, 2 nothing loaded.
    public var exitStatus: Int32 {
        if !files.isEmpty && filesLoaded == 0 && filesSkipped == 0 { return ExitStatus.nothingLoaded }
        if recordsRejected > 0 || filesFailed > 0 { return ExitStatus.partial }
        return ExitStatus.success
    }
}

/// Exit codes of the `leadintake` command.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// Loaded, but some records were rejected or some files failed.
    public static let partial: Int32 = 1
    /// Nothing could be loaded (every file failed).
    public static let nothingLoaded: Int32 = 2
    /// Bad command line or configuration.
    public static let usage: Int32 = 64
}
