import LeadCore
public import LeadImport
public import LeadMatch
public import LeadNormalize
public import LeadScore
public import LeadStore
public import Logging
import Foundation

/// Composes the stages: import → normalize → match → load, one transaction per file.
///
/// In a dry run the whole run happens in one transaction that is rolled back (each file in a savepoint),
/// so the plan it reports is exactly what a real run would do, and nothing is written.
public struct Pipeline {
    public var registry: ImporterRegistry
    public var normalizer: Normalizer
    /// The matcher; nil: the probabilistic matcher with the store's saved model (or built-in priors).
    public var matcher: (any Matcher)?
    public var options: ImportOptions
    /// Scores the leads each file touched, in the file's transaction; nil: no scoring.
    public var scorer: Scorer?
    public var logger: Logger
    /// Called every ``progressInterval`` records read, at each stage of a chunk, and when a file ends.
    public var progress: (@Sendable (ImportProgress) -> Void)?
    public var progressInterval = 500
    /// Records matched together: within a chunk duplicates are found whatever their order; a chunk
    /// is matched against the store, which holds the chunks before it.
    public var chunkSize = 25_000
    /// A blocking key shared by more leads or records than this is too common to pair on (cut, counted).
    public var blockLimit = 50
    /// Time stamp of the current run (ISO 8601), recorded as each lead's last sighting.
    var runStartedAt = ""
    /// Where per-row result files go (`NAME.results.csv`, `NAME.errors.csv`); nil: none are written.
    public var resultsDirectory: String?
    /// Options for one file (an inbox folder's source kind), instead of `options`.
    public var optionsForFile: (@Sendable (String) -> ImportOptions)?
    /// Asked before each file: true stops the run there (a scheduler's SIGTERM); the files before are
    /// loaded, the rest are left for the next run.
    public var shouldStop: (@Sendable () -> Bool)?

    public init(
        registry: ImporterRegistry = .standard, normalizer: Normalizer = Normalizer(),
        matcher: (any Matcher)? = nil, options: ImportOptions = ImportOptions(), scorer: Scorer? = nil,
        logger: Logger = Logger(label: "leadintake")
    ) {
        self.scorer = scorer
        self.registry = registry
        self.normalizer = normalizer
        self.matcher = matcher
        self.options = options
        self.logger = logger
    }

    /// Expands folders (recursively, sorted, hidden files skipped) into files.
    public static func expand(_ paths: [String]) -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                var found: [String] = []
                if let walker = fm.enumerator(atPath: path) {
                    while let relative = walker.nextObject() as? String {
                        let parts = relative.split(separator: "/")
                        if parts.contains(where: { $0.hasPrefix(".") }) { continue }
                        var childIsDir: ObjCBool = false
                        let full = base + "/" + relative
                        if fm.fileExists(atPath: full, isDirectory: &childIsDir), !childIsDir.boolValue { found.append(full) }
                    }
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Runs the import of `paths` into `store`.
    public func run(paths: [String], store: any LeadStore, dryRun: Bool, command: String? = nil) throws -> RunReport {
        var pipeline = self
        pipeline.runStartedAt = Self.now()
        if pipeline.matcher == nil { pipeline.matcher = ProbabilisticMatcher(model: try store.matchModel() ?? .builtIn) }
        return try pipeline.execute(paths: paths, store: store, dryRun: dryRun, command: command)
    }

    private func execute(paths: [String], store: any LeadStore, dryRun: Bool, command: String?) throws -> RunReport {
        let files = Self.expand(paths)
        var report = RunReport(mode: dryRun ? "dry-run" : "import", store: store.location, startedAt: Self.now())
        report.leadsInStoreBefore = try store.leadCount()
        logger.info("run started", metadata: ["mode": "\(report.mode)", "files": "\(files.count)", "store": "\(store.location)"])
        if dryRun {
            try store.transaction(commit: false) { tx in
                try reindexIfNeeded(&tx)
                tx.runID = try tx.beginRun(mode: report.mode, command: command, startedAt: report.startedAt)
                report.runID = nil
                var stems = Set<String>()
                for (n, path) in files.enumerated() {
                    if shouldStop?() == true { break }
                    var fileReport = FileReport(path: path, name: (path as NSString).lastPathComponent)
                    let results = try resultFiles(for: path, stems: &stems)
                    do {
                        try tx.savepoint {
                            try load(path: path, position: (n + 1, files.count), into: &tx, report: &fileReport, dryRun: true, results: results)
                        }
                        try finish(results, fileReport)
                    } catch {
                        fail(&fileReport, error)
                        try results?.abandon(reason: "\(error)")
                    }
                    report.files.append(fileReport)
                }
                report.leadsInStoreAfter = report.leadsInStoreBefore + report.newLeads
            }
        } else {
            try store.markInterruptedRuns()
            try store.transaction(commit: true) { tx in try reindexIfNeeded(&tx) }
            let runID = try store.transaction(commit: true) { tx in
                try tx.beginRun(mode: report.mode, command: command, startedAt: report.startedAt)
            }
            report.runID = runID
            var ledger = RunRecord(id: runID, mode: report.mode, startedAt: report.startedAt, status: "running", command: command)
            var stems = Set<String>()
            for (n, path) in files.enumerated() {
                if shouldStop?() == true {
                    logger.notice("run stopped before the next file", metadata: ["file": "\((path as NSString).lastPathComponent)"])
                    break
                }
                var fileReport = FileReport(path: path, name: (path as NSString).lastPathComponent)
                let results = try resultFiles(for: path, stems: &stems)
                do {
                    try store.transaction(commit: true) { tx in
                        tx.runID = runID
                        try load(path: path, position: (n + 1, files.count), into: &tx, report: &fileReport, dryRun: false, results: results)
                        // The file's ledger entry is written in the file's own transaction.
                        var next = ledger
                        Self.account(fileReport, in: &next)
                        try tx.updateRun(next)
                    }
                    try finish(results, fileReport)
                } catch let error as StoreBusyError {
                    // Not the file's fault: the run stops here (the files before are committed) and
                    // the next run marks it interrupted.
                    logger.error("store busy", metadata: ["file": "\(fileReport.name)", "waited": "\(error.waited)"])
                    throw error
                } catch {
                    fail(&fileReport, error)
                    try results?.abandon(reason: "\(error)")
                }
                Self.account(fileReport, in: &ledger)
                report.files.append(fileReport)
            }
            report.finishedAt = Self.now()
            ledger.finishedAt = report.finishedAt
            ledger.status = report.exitStatus == ExitStatus.success ? "succeeded" : report.exitStatus == ExitStatus.partial ? "partial" : "failed"
            try store.transaction(commit: true) { tx in
                tx.runID = runID
                try tx.updateRun(ledger)
            }
            report.leadsInStoreAfter = try store.leadCount()
        }
        report.finishedAt = report.finishedAt ?? Self.now()
        logger.info("run finished", metadata: [
            "records": "\(report.recordsRead)", "rejected": "\(report.recordsRejected)", "new": "\(report.newLeads)",
            "failed-files": "\(report.filesFailed)",
        ])
        return report
    }

    /// The result files of `path` when they are wanted: `NAME.results.csv` with the file's name
    /// without its extension, or with it when another file of the run has that stem.
    private func resultFiles(for path: String, stems: inout Set<String>) throws -> ResultFiles? {
        guard let resultsDirectory else { return nil }
        let name = (path as NSString).lastPathComponent
        var stem = (name as NSString).deletingPathExtension
        if stem.isEmpty || stems.contains(stem) { stem = name }
        var candidate = stem
        var n = 2
        while stems.contains(candidate) {
            candidate = "\(stem)-\(n)"
            n += 1
        }
        stems.insert(candidate)
        return try ResultFiles(directory: resultsDirectory, stem: candidate, fileName: name)
    }

    /// The result files of a file that loaded (or would load), or was loaded before.
    private func finish(_ results: ResultFiles?, _ fileReport: FileReport) throws {
        guard let results else { return }
        if fileReport.status == .alreadyLoaded {
            try results.abandon(reason: "")
            try ResultFiles.single(
                results.resultsPath, fileName: fileReport.name, outcome: "duplicate-file", reason: fileReport.error ?? "already loaded")
        } else {
            try results.commit()
        }
    }

    /// Indexes the stored leads under the matcher's keys when the store was indexed under another
    /// version of them (in a dry run, inside its rolled-back transaction: nothing is written).
    private func reindexIfNeeded(_ tx: inout any StoreTransaction) throws {
        let matcher = self.matcher!
        guard try tx.keyVersion() != matcher.keyVersion else { return }
        let count = try tx.reindex(version: matcher.keyVersion) { matcher.keys(for: $0) }
        if count > 0 {
            logger.notice("store re-indexed for the matcher's keys", metadata: ["leads": "\(count)", "keys": "\(matcher.keyVersion)"])
        }
    }

    private func fail(_ fileReport: inout FileReport, _ error: any Error) {
        fileReport.status = .failed
        fileReport.error = "\(error)"
        // Nothing of a failed file stays in the store: reset its counts.
        fileReport.recordsLoaded = 0
        fileReport.newLeads = 0
        fileReport.duplicatesInBatch = 0
        fileReport.duplicatesOfStore = 0
        fileReport.reviews = 0
        fileReport.plan = []
        fileReport.stages = [:]
        logger.error("file failed", metadata: ["file": "\(fileReport.name)", "error": "\(error)"])
    }

    static func account(_ file: FileReport, in ledger: inout RunRecord) {
        ledger.filesSeen += 1
        switch file.status {
        case .loaded, .wouldLoad: ledger.filesLoaded += 1
        case .alreadyLoaded: ledger.filesSkipped += 1
        case .failed:
            ledger.filesFailed += 1
            ledger.errors.append("\(file.path): \(file.error ?? "failed")")
        }
        ledger.recordsRead += file.recordsRead
        ledger.recordsLoaded += file.recordsLoaded
        ledger.recordsRejected += file.recordsRejected
        ledger.leadsNew += file.newLeads
        ledger.leadsMerged += file.duplicatesInBatch + file.duplicatesOfStore
    }

    /// Loads one file inside the caller's transaction; throws to undo it whole.
    private func load(
        path: String, position: (Int, Int), into tx: inout any StoreTransaction, report: inout FileReport, dryRun: Bool,
        results: ResultFiles?
    ) throws {
        let options = optionsForFile?(path) ?? self.options
        let file = try SourceFile.open(path: path)
        var bytesRead: () -> Int64? = { nil }
        // Takes the count rather than reading `report`: `process` holds `report` inout while it tells.
        func tell(_ stage: ImportProgress.Stage, _ records: Int) {
            progress?(ImportProgress(
                file: file.name, fileIndex: position.0, fileCount: position.1, stage: stage, records: records,
                bytesRead: bytesRead(), totalBytes: file.size))
        }
        defer { tell(.finished, report.recordsRead) }
        report.sha256 = file.sha256
        report.size = file.size
        if let loaded = try tx.loadedFile(sha256: file.sha256) {
            report.status = .alreadyLoaded
            report.loadedInRun = loaded.firstRunID
            report.error = "already loaded in run \(loaded.firstRunID) as \(loaded.name) (same SHA-256); nothing to do"
            logger.notice("file already loaded", metadata: ["file": "\(file.name)", "run": "\(loaded.firstRunID)"])
            return
        }
        let detection = registry.detect(file)
        if let runnerUp = detection.runnerUp {
            report.runnerUp = "\(runnerUp.importer.id) \(runnerUp.confidence)"
        }
        guard let (importer, confidence) = detection.winner else {
            let best = detection.ranking.first.map { "\($0.importer.id): \($0.confidence.reason)" } ?? "no importers"
            throw ImportError("file.unknown-format", "no importer recognises this file (\(best))", at: SourceLocation(file: file.name))
        }
        report.format = importer.id
        report.formatName = importer.displayName
        report.confidence = confidence.score
        report.confidenceReason = confidence.reason
        let reader = GuardedReader(try importer.makeReader(for: file, options: options), limits: options.limits, fileName: file.name)
        bytesRead = { reader.bytesRead }
        tell(.reading, report.recordsRead)
        let fileID = try tx.insertFile(FileEntry(
            sha256: file.sha256, name: file.name, path: file.path, size: file.size, format: importer.id, facts: reader.facts))
        var chunk = Chunk()
        var unplacedIndustries: Set<String> = []
        while let step = try reader.next() {
            switch step {
            case .note(let issue):
                if issue.severity >= .warning { report.warnings += 1 }
                if report.notes.count < RunReport.detailLimit { report.notes.append(issue) }
                try tx.insertIssue(issue, fileID: fileID)
            case .rejected(let issue):
                report.recordsRead += 1
                report.recordsRejected += 1
                if report.rejected.count < RunReport.detailLimit { report.rejected.append(issue) }
                if report.plan.count < RunReport.detailLimit {
                    report.plan.append(RecordPlan(
                        record: issue.location.record ?? 0, line: issue.location.line ?? 0, outcome: "rejected", reasons: issue.message))
                }
                try tx.insertIssue(issue, fileID: fileID)
                try results?.reject(issue, raw: reader.rejectedRaw, columns: reader.sourceColumns)
            case .record(let record, let raw, let readIssues):
                report.recordsRead += 1
                chunk.records.append(record)
                chunk.raw.append(raw)
                chunk.readIssues.append(readIssues)
                if chunk.records.count >= chunkSize {
                    try process(chunk, fileID: fileID, tx: &tx, report: &report, unplacedIndustries: &unplacedIndustries, results: results, tell: tell)
                    chunk = Chunk()
                    tell(.reading, report.recordsRead)
                }
            }
            if progress != nil, report.recordsRead % progressInterval == 0, report.recordsRead > 0 { tell(.reading, report.recordsRead) }
        }
        try process(chunk, fileID: fileID, tx: &tx, report: &report, unplacedIndustries: &unplacedIndustries, results: results, tell: tell)
        report.facts = reader.facts
        try tx.finishFile(id: fileID, records: report.recordsRead, rejected: report.recordsRejected, facts: reader.facts)
        report.status = dryRun ? .wouldLoad : .loaded
        logger.info("file read", metadata: [
            "file": "\(file.name)", "format": "\(importer.id)", "records": "\(report.recordsRead)",
            "rejected": "\(report.recordsRejected)", "new": "\(report.newLeads)",
        ])
    }

    /// Records read from a file and not yet matched, with their raw fields and the reader's issues.
    struct Chunk {
        var records: [LeadRecord] = []
        var raw: [[ExtraField]] = []
        var readIssues: [[Issue]] = []
    }

    /// One chunk's path from reader to store: normalize (in parallel), plan (match, cluster,
    /// survivorship), apply the plan in bulk, then score the leads it touched (in parallel).
    private func process(
        _ chunk: Chunk, fileID: Int64, tx: inout any StoreTransaction, report: inout FileReport,
        unplacedIndustries: inout Set<String>, results: ResultFiles?, tell: (ImportProgress.Stage, Int) -> Void
    ) throws {
        guard !chunk.records.isEmpty else {
            try results?.flushChunk()
            return
        }
        tell(.normalizing, report.recordsRead)
        let clock = ContinuousClock()
        var lap = clock.now
        var stages: [(String, Duration)] = []
        func stage(_ name: String) {
            let now = clock.now
            stages.append((name, now - lap))
            lap = now
        }
        let normalizer = self.normalizer
        var normalized = Parallel.map(chunk.records.count) { normalizer.normalize(chunk.records[$0]) }
        var chunk = chunk
        // People on the suppression list (erased, do not contact) go here, before matching: nothing
        // of them is stored, not their row, not an issue that quotes it.
        if let hasher = try tx.suppressionHasher(create: false) {
            let read = normalized
            let hashes = Parallel.map(read.count) { SuppressionKeys.checked(read[$0].0).map(hasher.hash) }
            let suppressed = try tx.suppressedHashes(among: hashes.flatMap { $0 })
            if !suppressed.isEmpty {
                let drop = Set(hashes.indices.filter { hashes[$0].contains(where: suppressed.contains) })
                for i in drop.sorted() {
                    let provenance = normalized[i].0.provenance
                    report.recordsSuppressed += 1
                    results?.add(record: provenance.record, line: provenance.line, outcome: "suppressed", leadID: nil, reason: "on the suppression list")
                    if report.plan.count < RunReport.detailLimit {
                        report.plan.append(RecordPlan(record: provenance.record, line: provenance.line, outcome: "suppressed", reasons: "on the suppression list"))
                    }
                }
                let keep = normalized.indices.filter { !drop.contains($0) }
                normalized = keep.map { normalized[$0] }
                chunk = Chunk(records: keep.map { chunk.records[$0] }, raw: keep.map { chunk.raw[$0] }, readIssues: keep.map { chunk.readIssues[$0] })
                logger.info("records suppressed", metadata: ["records": "\(drop.count)"])
                if chunk.records.isEmpty {
                    try results?.flushChunk()
                    return
                }
            }
        }
        let records = normalized.map(\.0)
        for (i, (_, normalizeIssues)) in normalized.enumerated() {
            for issue in chunk.readIssues[i] + normalizeIssues {
                if issue.severity >= .warning { report.warnings += 1 }
                if report.notes.count < RunReport.detailLimit { report.notes.append(issue) }
                try tx.insertIssue(issue, fileID: fileID)
            }
        }
        // An industry label the table cannot place leaves the lead's industry unknown: said once per
        // label and file, at its first record, so a profile's industry rule never misses it silently.
        for record in records {
            guard let (label, column) = LeadFacts.unplacedIndustry(record), unplacedIndustries.insert(StringSimilarity.fold(label)).inserted else { continue }
            let issue = Issue(.warning, "industry.unknown",
                "industry \"\(label.prefix(80))\" is not in the industry table (LinkedIn V2 and V1 names, NAICS, sales-tool labels; docs/icp.md): leads with it have an unknown industry",
                at: SourceLocation(file: record.provenance.fileName, line: record.provenance.line, record: record.provenance.record, field: column))
            report.warnings += 1
            if report.notes.count < RunReport.detailLimit { report.notes.append(issue) }
            try tx.insertIssue(issue, fileID: fileID)
        }
        stage("normalize")
        tell(.matching, report.recordsRead)
        let seenAt = runStartedAt
        var engine = BatchMatcher(matcher: matcher!)
        engine.blockLimit = blockLimit
        let plan = try engine.plan(records, source: tx, seenAt: seenAt) { record, lead in
            LeadFacts.accumulate(record, into: &lead, seenAt: seenAt)
        }
        stage("match")
        tell(.writing, report.recordsRead)
        let ids = try tx.apply(plan, records: records, raw: chunk.raw, fileID: fileID, at: seenAt)
        stage("write")
        tell(.scoring, report.recordsRead)
        func id(_ ref: ChunkPlan.LeadRef) -> Int64 {
            switch ref {
            case .stored(let id): id
            case .new(let n): ids[n]
            }
        }

        report.recordsLoaded += plan.links.count
        report.newLeads += plan.newLeads.count
        report.leadsMergedInRun += plan.merges.count
        report.reviews += plan.reviews.count
        report.blocksCut += plan.blocksCut
        report.pairsScored += plan.pairsScored
        report.largestLead = max(report.largestLead, plan.largestCluster)
        var reviewOf: [Int: Int64] = [:]
        for review in plan.reviews { reviewOf[review.record] = id(review.lead) }
        var mergesOf: [Int64: [ChunkPlan.Merge]] = [:]
        for merge in plan.merges { mergesOf[merge.survivor, default: []].append(merge) }
        var mergesShown = Set<Int64>()
        if let results {
            for link in plan.links {
                let record = records[link.record]
                let outcome = reviewOf[link.record] != nil ? "review" : link.kind == "new" ? "new" : "merged"
                var reason = link.comparison?.summary ?? ""
                if let other = reviewOf[link.record] { reason = "possible duplicate of lead \(other), in the review queue" + (reason.isEmpty ? "" : "; " + reason) }
                results.add(record: record.provenance.record, line: record.provenance.line, outcome: outcome, leadID: id(link.lead), reason: reason)
            }
            try results.flushChunk()
        }
        for link in plan.links {
            if link.kind == "merged" {
                if link.ofStore { report.duplicatesOfStore += 1 } else { report.duplicatesInBatch += 1 }
            }
            guard report.plan.count < RunReport.detailLimit else { continue }
            let record = records[link.record]
            let leadID = id(link.lead)
            var outcome = link.kind == "new" ? "new lead \(leadID)" : "joins lead \(leadID)"
            if let merges = mergesOf[leadID], mergesShown.insert(leadID).inserted {
                for merge in merges {
                    outcome += "; leads \(merge.survivor) and \(merge.merged) are one person (\(merge.merged) merged into \(merge.survivor))"
                }
            }
            if let other = reviewOf[link.record] { outcome += ", review against lead \(other)" }
            report.plan.append(RecordPlan(
                record: record.provenance.record, line: record.provenance.line, outcome: outcome,
                reasons: link.comparison?.summary ?? ""))
        }
        if plan.reviewsAlreadyRejected > 0 {
            logger.info("pairs a person rejected before are not queued again", metadata: ["pairs": "\(plan.reviewsAlreadyRejected)"])
        }

        // Company facts roll up to the account, so a colleague's record informs this lead's score.
        var touched: [(Int64, Lead)] = plan.newLeads.enumerated().map { (ids[$0.offset], $0.element.lead) }
        touched += plan.updatedLeads.map { ($0.id, $0.lead) }
        var accounts: [String: CompanyFacts] = [:]
        for (_, lead) in touched {
            guard let account = LeadFacts.accountKey(lead) else { continue }
            let facts = CompanyFacts(lead: lead)
            if !facts.isEmpty { accounts[account] = facts.filled(from: accounts[account]) }
        }
        try tx.mergeAccountFacts(accounts.keys.sorted().map { ($0, accounts[$0]!) })
        if let scorer {
            // Score only what this chunk touched (rescoring the rest is `leadintake rescore`).
            var known: [String: CompanyFacts?] = [:]
            let keys = touched.map { LeadFacts.accountKey($0.1) }
            for key in Set(keys.compactMap { $0 }).sorted() { known[key] = try tx.accountFacts(key) }
            let leads = touched, facts = known
            let cards = Parallel.map(leads.count) { i in scorer.score(leads[i].1, account: keys[i].flatMap { facts[$0] ?? nil }) }
            try tx.saveScores(cards.enumerated().map { (touched[$0.offset].0, $0.element) })
            for card in cards { report.stages[card.stage.rawValue, default: 0] += 1 }
        }
        stage("score")
        var metadata: Logger.Metadata = [
            "records": "\(records.count)", "pairs": "\(plan.pairsScored)", "blocks-cut": "\(plan.blocksCut)",
            "largest-lead": "\(plan.largestCluster)",
        ]
        for timing in plan.timings { metadata["match." + timing.step] = "\(Int(timing.seconds * 1000))ms" }
        for (name, duration) in stages {
            metadata[name] = "\(Double(duration.components.attoseconds / 1_000_000_000_000_000) / 1000 + Double(duration.components.seconds))s"
        }
        logger.info("chunk matched", metadata: metadata)
    }

    public static func now() -> String {
        Date().formatted(.iso8601)
    }
}
