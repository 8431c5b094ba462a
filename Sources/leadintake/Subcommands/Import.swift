import ArgumentParser
import Foundation
import LeadCore
import LeadImport
import LeadPipeline
import LeadScore
import LeadStore
import LibXML
import Logging

extension SourceKind: ExpressibleByArgument {}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import lead files or folders into the store.",
        discussion: """
            Each file is loaded whole or not at all, in its own transaction with its ledger entry. A file \
            whose SHA-256 is already in the store is skipped. A bad record never stops its file; a bad \
            file never stops the batch.

            EXAMPLES
              leadintake import fixtures/
              leadintake import --source "Q3 CMO webinar" --source-kind webinar attendees.csv
              leadintake import --dry-run --report plan.json inbox/
              leadintake import --dry-run --report plan.html inbox/
              leadintake import --store sqlite:/srv/leads.sqlite inbox/
              leadintake import --store postgres://intake:PASSWORD@db.internal:5432/leads inbox/

            EXIT CODES
              0 success · 1 some records rejected or files failed · 2 nothing could be loaded · 64 usage error
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var logOptions: LogOptions
    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Import a webinar report's panelists as leads too (hosts never are).")
    var includePanelists = false

    @Option(help: "Source name stamped on every record (default: the file name).")
    var source: String?

    @Option(help: "Source kind: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sourceKind: SourceKind?

    @Flag(help: "Show what the import would do; write nothing.")
    var dryRun = false

    @Option(help: "Write the run report to this path: as an HTML page when it ends in .html or .htm, as JSON otherwise.")
    var report: String?

    @Option(help: "Write per-row result files to this folder: NAME.results.csv (every record's outcome and lead) and NAME.errors.csv (rejected rows as read, with the error).")
    var results: String?

    @Flag(help: "Print the summary as JSON on standard output instead of text.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print only errors and the one-line total; no progress bar.")
    var quiet = false

    @Flag(help: "No progress bar (it is drawn only when standard error is a terminal, never in CI).")
    var noProgress = false

    @Argument(help: "Files or folders to import (folders are read recursively, hidden files skipped).")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one file or folder") }
        _ = try parsedStore()
    }

    private func parsedStore() throws -> StoreURL.Parsed {
        do { return try StoreURL.parse(storeOptions.url) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        LibXML.setUp()
        let logger = logOptions.makeLogger()
        let store: any LeadStore
        if dryRun, try !StoreURL.exists(storeOptions.url) {
            store = try SQLiteStore(path: nil)
        } else {
            store = try openStore(storeOptions.url)
        }
        let scorer = try profileOptions.load().map(Scorer.init(profile:))
        // A --source named in config/sources.yml brings its kind.
        var kind = sourceKind
        let definitions = configOptions.config + "/sources.yml"
        if kind == nil, let source, FileManager.default.fileExists(atPath: definitions) {
            do {
                kind = try SourceDefinitions.load(path: definitions).first { $0.name == source }?.kind
            } catch { throw ValidationError("\(error)") }
        }
        var pipeline = Pipeline(
            registry: try configOptions.registry(),
            options: ImportOptions(
                sourceName: source, sourceKind: kind, includePanelists: includePanelists, limits: try configOptions.limits()),
            scorer: scorer,
            logger: logger)
        pipeline.resultsDirectory = results
        // The bar shares standard error with the log: it stays off when the log says more than notices.
        let level = logger.logLevel
        if !quiet, !noProgress, level >= .notice, ProgressBar.wanted() {
            let bar = ProgressBar()
            pipeline.progress = { bar.update($0) }
        }
        let command = (["leadintake"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let result = try pipeline.run(paths: paths, store: store, dryRun: dryRun, command: command)
        if let report {
            let lower = report.lowercased()
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
                try Data(HTMLReport.render(result).utf8).write(to: URL(fileURLWithPath: report))
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try encoder.encode(result).write(to: URL(fileURLWithPath: report))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            let environment = ProcessInfo.processInfo.environment
            let printer = ReportPrinter(
                color: isatty(1) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb",
                quiet: quiet, reportPath: report)
            print(printer.text(result), terminator: "")
        }
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}
