import ArgumentParser
import Foundation
import LeadCore
import LeadImport
import LeadPipeline
import LeadStore
import LeadNormalize
import LibXML
import Logging

@main
struct LeadIntakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadintake",
        abstract: "Turn raw lead lists into a clean, deduplicated lead store.",
        discussion: """
            Files go through five stages: import (CSV and more), normalize, match (deduplicate within the \
            batch and against the store), score, and load into the store (SQLite by default, or PostgreSQL).

            EXIT CODES
              0   success
              1   success, but some records were rejected or some files failed
              2   nothing could be loaded (every file failed, or the store cannot be opened)
              64  usage error (bad option, bad store URL)
            """,
        subcommands: [Import.self, Export.self, Runs.self, Review.self, Explain.self, Train.self, Rescore.self, Profile.self, Sources.self, Detect.self, Formats.self, Inspect.self],
        defaultSubcommand: nil)
}

/// Options shared by every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Store URL: sqlite:PATH (default: \(defaultStoreURL)), postgres://USER:PASSWORD@HOST:PORT/DB, or $LEADINTAKE_STORE.")
    var store: String?

    static var defaultStoreURL: String { "sqlite:data/leads.sqlite" }

    var url: String { store ?? ProcessInfo.processInfo.environment["LEADINTAKE_STORE"] ?? Self.defaultStoreURL }
}

/// Opens the store at `url`. A store that cannot be opened (a PostgreSQL server that cannot be reached,
/// a file that cannot be created) means nothing can be loaded: the message, then exit code 2.
func openStore(_ url: String) throws -> any LeadStore {
    do {
        return try StoreURL.open(url)
    } catch let error as StoreError {
        printError("Error: \(error.message)")
        throw ExitCode(2)
    }
}

/// Opens a store that must exist already (every command but `import`). A missing store is not a
/// usage error: the command line was right, there is just nothing to read (exit 2, no usage text).
func openExistingStore(_ options: StoreOptions) throws -> any LeadStore {
    let exists: Bool
    do { exists = try StoreURL.exists(options.url) } catch { throw ValidationError("\(error)") }
    guard exists else {
        printError("Error: no store at \(options.url): import something first (leadintake import FILE)")
        throw ExitCode(ExitStatus.nothingLoaded)
    }
    return try openStore(options.url)
}

/// `--config DIR`: mappings (DIR/mappings/*.yml), sources (DIR/sources.yml), profile (DIR/icp.yml).
struct ConfigOptions: ParsableArguments {
    @Option(help: "Configuration folder (default: config).")
    var config: String = "config"

    /// The shipped importers and presets plus the team's mappings from DIR/mappings.
    func registry() throws -> ImporterRegistry {
        do { return try ImporterRegistry.configured(directory: config) } catch { throw ValidationError("\(error)") }
    }
}

/// Logging to standard error; `--verbose` shows debug (which may include personal data).
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    @Flag(name: .shortAndLong, help: "Same as --log-level info.")
    var verbose = false

    func makeLogger() -> Logger {
        let level = verbose && logLevel > .info ? Logger.Level.info : logLevel
        LoggingSystem.bootstrapOnce()
        var logger = Logger(label: "leadintake")
        logger.logLevel = level
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension LoggingSystem {
    private static let once: Void = { LoggingSystem.bootstrap(StreamLogHandler.standardError) }()
    static func bootstrapOnce() { _ = once }
}

/// Prints to standard error (Glibc's `stderr` is a global var Swift 6 rejects; FileHandle is fine).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
