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
    public var newLeads: Int { files.reduce(0) { $0 + $1.newLeads } }
    public var duplicatesInBatch: Int { files.reduce(0) { $0 + $1.duplicatesInBatch } }
    public var duplicatesOfStore: Int { files.reduce(0) { $0 + $1.duplicatesOfStore } }
    public var reviews: Int { files.reduce(0) { $0 + $1.reviews } }
    public var leadsMergedInRun: Int { files.reduce(0) { $0 + $1.leadsMergedInRun } }
    public var filesFailed: Int { files.filter { $0.status == .failed }.count }
    public var filesSkipped: Int { files.filter { $0.status == .alreadyLoaded }.count }
    public var filesLoaded: Int { files.filter { $0.status == .loaded || $0.status == .wouldLoad }.count }

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
