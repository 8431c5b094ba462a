import Foundation
import LeadCore
import LeadImport
import LeadMatch
import LeadPipeline
import LeadStore
import Testing

/// Pipeline and store tests on each backend: a real SQLite file in a temporary folder, and a fresh
/// schema of the PostgreSQL server that `make test` starts (see StoreBackends.swift).
@Suite("Pipeline, store and ledger")
struct PipelineTests {
    let dir = TempDir()
    var storePath: String { dir.path + "/store/leads.sqlite" }

    /// A new, empty store of `backend`.
    func makeStore(_ backend: Backend) throws -> any LeadStore { try backend.open(try backend.makeURL(in: dir.path)) }

    /// What a store holds, as the exports and the ledger show it (PostgreSQL has no file to hash).
    func fingerprint(_ store: any LeadStore) throws -> String {
        var text = try exportLeads(store)
        try Exporter.exportProvenance(from: store, format: .csv) { text += $0 }
        for run in try store.runs() { text += "\(run)\n" }
        for item in try store.reviews(status: nil) { text += "\(item.id) \(item.status)\n" }
        return text
    }

    func sha256(_ path: String) throws -> String { try SourceFile.open(path: path).sha256 }

    func exportLeads(_ store: any LeadStore) throws -> String {
        var text = ""
        try Exporter.exportLeads(from: store, format: .csv) { text += $0 }
        return text
    }

    @Test("importing the fixtures loads leads, finds duplicates, and keeps provenance", arguments: Backend.available)
    func importFixtures(_ backend: Backend) throws {
        let store = try makeStore(backend)
        let report = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: false)
        #expect(report.files.count == 3)
        #expect(report.filesLoaded == 3)
        #expect(report.recordsRead == 12)
        #expect(report.recordsRejected == 3)
        #expect(report.recordsLoaded == 9)
        // Jürgen (German file, then partner file) and Priya (partner file, then webinar) are duplicates.
        #expect(report.duplicatesInBatch == 2)
        #expect(report.newLeads == 7)
        #expect(try store.leadCount() == 7)
        #expect(report.exitStatus == ExitStatus.partial)
        var provenance: [ProvenanceRow] = []
        try store.forEachProvenance { provenance.append($0) }
        #expect(provenance.count == 9)
        let priyaRows = provenance.filter { $0.file == "webinar-attendees-with-bad-rows.csv" && $0.record == 1 }
        #expect(priyaRows.first?.line == 6)
        #expect(priyaRows.first?.match == "merged")
    }

    @Test("importing the same file twice leaves the store unchanged the second time", arguments: Backend.available)
    func idempotent(_ backend: Backend) throws {
        let store = try makeStore(backend)
        let first = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: false)
        let leadsBefore = try exportLeads(store)
        var provenanceBefore = 0
        try store.forEachProvenance { _ in provenanceBefore += 1 }
        let second = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: false)
        #expect(second.files.allSatisfy { $0.status == .alreadyLoaded })
        #expect(second.files.allSatisfy { $0.loadedInRun == first.runID })
        #expect(second.recordsRead == 0)
        #expect(second.exitStatus == ExitStatus.success)
        #expect(try exportLeads(store) == leadsBefore)
        var provenanceAfter = 0
        try store.forEachProvenance { _ in provenanceAfter += 1 }
        #expect(provenanceAfter == provenanceBefore)
        let runs = try store.runs()
        #expect(runs.count == 2)
        #expect(runs[0].filesSkipped == 3 && runs[0].recordsRead == 0 && runs[0].status == "succeeded")
        #expect(runs[1].filesLoaded == 3 && runs[1].recordsRejected == 3 && runs[1].status == "partial")
    }

    @Test("a file with 3 bad rows loads the rest and reports the 3 with their lines", arguments: Backend.available)
    func badRows(_ backend: Backend) throws {
        let store = try makeStore(backend)
        let report = try Pipeline().run(
            paths: [Paths.fixture("csv/webinar-attendees-with-bad-rows.csv")], store: store, dryRun: false)
        let file = try #require(report.files.first)
        #expect(file.status == .loaded)
        #expect(file.recordsLoaded == 3)
        #expect(file.rejected.map { "\($0.location.file):\($0.location.line ?? 0)" } == [
            "webinar-attendees-with-bad-rows.csv:9", "webinar-attendees-with-bad-rows.csv:10",
            "webinar-attendees-with-bad-rows.csv:11",
        ])
        #expect(try store.leadCount() == 3)
    }

    @Test("a dry run against an existing store leaves the file byte-identical and reports the plan", arguments: Backend.available)
    func dryRun(_ backend: Backend) throws {
        let url = try backend.makeURL(in: dir.path)
        do {
            let store = try backend.open(url)
            _ = try Pipeline().run(paths: [Paths.fixture("csv/partner-referrals.csv")], store: store, dryRun: false)
        }
        // SQLite: the file's bytes; PostgreSQL: everything the store shows (leads, provenance, ledger, queue).
        func snapshot() throws -> String {
            backend == .sqlite ? try sha256(storePath) : try fingerprint(try backend.open(url))
        }
        let before = try snapshot()
        let report: RunReport
        do {
            let store = try backend.open(url)
            report = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: true)
            #expect(try store.leadCount() == 4)
            #expect(try store.runs().count == 1)
        }
        #expect(try snapshot() == before)
        #expect(report.mode == "dry-run")
        #expect(report.runID == nil)
        let byName = Dictionary(uniqueKeysWithValues: report.files.map { ($0.name, $0) })
        #expect(byName["partner-referrals.csv"]?.status == .alreadyLoaded)
        let german = try #require(byName["excel-german-semicolon.csv"])
        #expect(german.status == .wouldLoad)
        #expect(german.facts["encoding"] == "Windows-1252")
        #expect(german.duplicatesOfStore == 1)  // J.Mueller@Bauwerk.de is already a lead
        #expect(german.newLeads == 1)
        let webinar = try #require(byName["webinar-attendees-with-bad-rows.csv"])
        #expect(webinar.recordsRejected == 3)
        #expect(webinar.duplicatesOfStore == 1)  // Priya
        #expect(report.leadsInStoreAfter == 4 + report.newLeads)
    }

    @Test("a bad file never stops the batch; a file that fails midway leaves nothing behind", arguments: Backend.available)
    func failingFile(_ backend: Backend) throws {
        struct Exploding: Importer {
            let id = "exploding"
            let displayName = "fails after two records"
            let fileExtensions = ["boom"]
            let defaultSourceKind = SourceKind.other
            func sniff(_ file: SourceFile) -> Confidence { file.pathExtension == "boom" ? Confidence(1, "test") : .no }
            func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
                Reader(file: file)
            }
            final class Reader: RecordReader {
                let file: SourceFile
                var count = 0
                let facts: [String: String] = [:]
                init(file: SourceFile) { self.file = file }
                func next() throws(ImportError) -> ReaderStep? {
                    count += 1
                    if count > 2 { throw ImportError("test.io", "disk vanished", at: SourceLocation(file: file.name, line: 3)) }
                    let provenance = Provenance(
                        fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: count, line: count,
                        importer: id)
                    return .record(
                        LeadRecord(
                            name: PersonName(display: "Person \(count)"),
                            emails: [EmailAddress(raw: "p\(count)@boom.example")],
                            source: LeadSource(name: "boom", kind: .other), provenance: provenance),
                        raw: [], issues: [])
                }
                var id: String { "exploding" }
            }
        }
        let boom = dir.write("inbox/a.boom", "x")
        let good = dir.write("inbox/b.csv", "Name,Email\nAda Lovelace,ada@engine.example\n")
        let missing = dir.path + "/inbox/missing.csv"
        let store = try makeStore(backend)
        let pipeline = Pipeline(registry: ImporterRegistry([CSVImporter(), Exploding()]))
        let report = try pipeline.run(paths: [boom, good, missing], store: store, dryRun: false)
        #expect(report.files.map(\.status) == [.failed, .loaded, .failed])
        #expect(report.files[0].error?.contains("disk vanished") == true)
        #expect(report.files[2].error?.contains("file.unreadable") == true)
        #expect(try store.leadCount() == 1)
        var files = Set<String>()
        try store.forEachProvenance { files.insert($0.file) }
        #expect(files == ["b.csv"])
        let run = try #require(try store.runs().first)
        #expect(run.filesFailed == 2 && run.filesLoaded == 1 && run.recordsLoaded == 1)
        #expect(run.errors.count == 2)
        // The failed file can be imported again later (its hash was not recorded).
        let again = try pipeline.run(paths: [boom], store: store, dryRun: false)
        #expect(again.files[0].status == .failed)
        #expect(again.exitStatus == ExitStatus.nothingLoaded)
    }

    @Test("exports: leads (csv, json) and provenance with file,record,line,lead_id,source", arguments: Backend.available)
    func exports(_ backend: Backend) throws {
        let store = try makeStore(backend)
        _ = try Pipeline(options: ImportOptions(sourceName: "Partner: Becker", sourceKind: .partner))
            .run(paths: [Paths.fixture("csv/partner-referrals.csv")], store: store, dryRun: false)
        let csv = try exportLeads(store)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("lead_id,display_name,prefix,given_name"))
        #expect(csv.contains("Jürgen Müller"))
        // A phone number stays dialable under the formula-injection guard.
        #expect(csv.contains(",+34612345678,"))
        var provenance = ""
        try Exporter.exportProvenance(from: store, format: .csv) { provenance += $0 }
        let rows = provenance.split(separator: "\r\n")
        #expect(rows[0].hasPrefix("file,record,line,lead_id,source"))
        #expect(rows[1].hasPrefix("partner-referrals.csv,1,2,1,Partner: Becker,partner"))
        var json = ""
        try Exporter.exportLeads(from: store, format: .json) { json += $0 }
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]]
        #expect(parsed?.count == 4)
        #expect(parsed?.first?["email"] == "ana.garcia@acme-soft.es")
        #expect(parsed?.first?["sources"] == "Partner: Becker")
    }

    @Test("the exact-e-mail matcher explains its merges without printing the address")
    func explanation() {
        let provenance = Provenance(fileName: "f", filePath: "f", fileSHA256: "", record: 1, line: 1, importer: "csv")
        let record = LeadRecord(
            emails: [EmailAddress(raw: "Ann@X.io", normalized: "ann@x.io")], source: LeadSource(name: "s", kind: .other),
            provenance: provenance)
        let candidate = Candidate(id: 7, lead: Lead(record: record), createdInThisRun: false)
        let decision = ExactEmailMatcher().decide(record, candidates: [candidate], index: MemoryIndex())
        #expect(decision.outcome == .merge(into: 7))
        #expect(decision.explanation == "same e-mail a***@x.io as lead 7")
    }
}
