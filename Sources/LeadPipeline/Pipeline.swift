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
    /// Called with (file name, records read so far) every ``progressInterval`` records.
    public var progress: (@Sendable (String, Int) -> Void)?
    public var progressInterval = 10_000
    /// Time stamp of the current run (ISO 8601), recorded as each lead's last sighting.
    var runStartedAt = ""

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
                for path in files {
                    var fileReport = FileReport(path: path, name: (path as NSString).lastPathComponent)
                    do {
                        try tx.savepoint { try load(path: path, into: &tx, report: &fileReport, dryRun: true) }
                    } catch {
                        fail(&fileReport, error)
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
            for path in files {
                var fileReport = FileReport(path: path, name: (path as NSString).lastPathComponent)
                do {
                    try store.transaction(commit: true) { tx in
                        tx.runID = runID
                        try load(path: path, into: &tx, report: &fileReport, dryRun: false)
                        // The file's ledger entry is written in the file's own transaction.
                        var next = ledger
                        Self.account(fileReport, in: &next)
                        try tx.updateRun(next)
                    }
                } catch {
                    fail(&fileReport, error)
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
    private func load(path: String, into tx: inout any StoreTransaction, report: inout FileReport, dryRun: Bool) throws {
        let file = try SourceFile.open(path: path)
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
        let reader = try importer.makeReader(for: file, options: options)
        let fileID = try tx.insertFile(FileEntry(
            sha256: file.sha256, name: file.name, path: file.path, size: file.size, format: importer.id, facts: reader.facts))
        var touched = Set<Int64>()
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
            case .record(let record, let raw, let readIssues):
                report.recordsRead += 1
                let (normalized, normalizeIssues) = normalizer.normalize(record)
                for issue in readIssues + normalizeIssues {
                    if issue.severity >= .warning { report.warnings += 1 }
                    if report.notes.count < RunReport.detailLimit { report.notes.append(issue) }
                    try tx.insertIssue(issue, fileID: fileID)
                }
                touched.insert(try match(normalized, raw: raw, fileID: fileID, tx: &tx, report: &report))
            }
            if let progress, report.recordsRead % progressInterval == 0, report.recordsRead > 0 {
                progress(file.name, report.recordsRead)
            }
        }
        report.facts = reader.facts
        try reconcile(&touched, fileName: file.name, tx: &tx, report: &report)
        if let scorer {
            // Score only what this file touched (rescoring the rest is `leadintake rescore`).
            for id in touched.sorted() {
                guard let lead = try tx.lead(id: id) else { continue }
                let account = try LeadFacts.accountKey(lead).flatMap { try tx.accountFacts($0) }
                let card = scorer.score(lead, account: account)
                try tx.saveScore(leadID: id, card)
                report.stages[card.stage.rawValue, default: 0] += 1
            }
        }
        try tx.finishFile(id: fileID, records: report.recordsRead, rejected: report.recordsRejected, facts: reader.facts)
        report.status = dryRun ? .wouldLoad : .loaded
        logger.info("file read", metadata: [
            "file": "\(file.name)", "format": "\(importer.id)", "records": "\(report.recordsRead)",
            "rejected": "\(report.recordsRejected)", "new": "\(report.newLeads)",
        ])
    }

    /// Compares each lead the file touched, as a whole, with the leads it shares a key with, and merges
    /// those the matcher finds to be the same person (the older id survives; the merge is recorded).
    /// Records are matched in file order: a record that arrived before its lead showed a city or a
    /// phone could not join it then, and this pass makes the outcome independent of that order.
    private func reconcile(_ touched: inout Set<Int64>, fileName: String, tx: inout any StoreTransaction, report: inout FileReport) throws {
        let matcher = self.matcher!
        var gone = Set<Int64>()
        for id in touched.sorted() where !gone.contains(id) {
            guard let lead = try tx.lead(id: id) else { continue }
            let lookup = matcher.lookupKeys(for: lead)
            guard !lookup.isEmpty else { continue }
            let candidates = try tx.candidates(for: lookup).filter { !gone.contains($0.id) }
            var survivor = id
            for other in try matcher.reconcile(id, lead: lead, candidates: candidates, index: tx) {
                let keep = min(survivor, other.id), drop = max(survivor, other.id)
                try tx.mergeLeads(
                    survivor: keep, merged: drop,
                    reason: "after \(fileName): the two leads match as wholes: \(other.comparison.summary)", at: runStartedAt)
                gone.insert(drop)
                touched.remove(drop)
                survivor = keep
                report.leadsMergedInRun += 1
                if report.plan.count < RunReport.detailLimit {
                    report.plan.append(RecordPlan(
                        record: 0, line: 0, outcome: "leads \(keep) and \(drop) are one person (\(drop) merged into \(keep))",
                        reasons: other.comparison.summary))
                }
            }
            touched.insert(survivor)
        }
    }

    /// Matches and stores one record; returns the id of the lead it went to.
    private func match(_ record: LeadRecord, raw: [ExtraField], fileID: Int64, tx: inout any StoreTransaction, report: inout FileReport) throws -> Int64 {
        let matcher = self.matcher!
        var probe = Lead(record: record)
        LeadFacts.accumulate(record, into: &probe, seenAt: runStartedAt)
        let lookup = matcher.lookupKeys(for: probe)
        let candidates = lookup.isEmpty ? [] : try tx.candidates(for: lookup)
        let decision = try matcher.decide(record, candidates: candidates, index: tx)
        let leadID: Int64
        let kind: String
        var plan: String
        var saved = probe
        switch decision.outcome {
        case .new, .review:
            leadID = try tx.insertLead(probe, keys: matcher.keys(for: probe))
            report.newLeads += 1
            kind = "new"
            plan = "new lead \(leadID)"
        case .merge(let id):
            guard let candidate = candidates.first(where: { $0.id == id }) else {
                throw StoreError("matcher \(matcher.id) chose lead \(id), which is not among its candidates")
            }
            var lead = candidate.lead
            LeadMerger.merge(record, into: &lead)
            LeadFacts.accumulate(record, into: &lead, seenAt: runStartedAt)
            try tx.updateLead(id: id, lead: lead, keys: matcher.keys(for: lead))
            saved = lead
            if candidate.createdInThisRun { report.duplicatesInBatch += 1 } else { report.duplicatesOfStore += 1 }
            kind = "merged"
            plan = "joins lead \(id)"
            // The record shows that other leads are the same person: merge them, the oldest id survives.
            var survivor = id
            for other in decision.sameAs {
                let keep = min(survivor, other.id), gone = max(survivor, other.id)
                try tx.mergeLeads(
                    survivor: keep, merged: gone,
                    reason: "record \(record.provenance.record) of \(record.provenance.fileName) joins both: \(other.comparison.summary)",
                    at: runStartedAt)
                survivor = keep
                report.leadsMergedInRun += 1
                plan += "; leads \(keep) and \(gone) are one person (\(gone) merged into \(keep))"
            }
            if survivor != id, let merged = try tx.lead(id: survivor) { saved = merged }
            leadID = survivor
        }
        let sourceID = try tx.insertSourceRecord(SourceRecordEntry(
            fileID: fileID, record: record, raw: raw, leadID: leadID, match: kind, explanation: decision.explanation,
            comparison: decision.comparison))
        if case .review(let other) = decision.outcome, let comparison = decision.comparison {
            if try tx.isRejectedPair(other, leadID) {
                plan += " (a person decided earlier that it differs from lead \(other))"
            } else {
                try tx.insertReview(
                    leadID: other, otherLeadID: leadID, sourceRecordID: sourceID, probability: comparison.probability,
                    comparison: comparison)
                report.reviews += 1
                plan += ", review against lead \(other)"
            }
        }
        report.recordsLoaded += 1
        if let account = LeadFacts.accountKey(saved) {
            // Company facts roll up to the account, so a colleague's record informs this lead's score.
            let facts = CompanyFacts(lead: saved)
            if !facts.isEmpty { try tx.mergeAccountFacts(account, facts) }
        }
        if report.plan.count < RunReport.detailLimit {
            let reasons = decision.comparison.map { " — " + $0.summary } ?? ""
            report.plan.append(RecordPlan(
                record: record.provenance.record, line: record.provenance.line, outcome: plan, reasons: String(reasons.dropFirst(3))))
        }
        return leadID
    }

    static func now() -> String {
        Date().formatted(.iso8601)
    }
}
