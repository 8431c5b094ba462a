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
              75  the store is busy: another writer held it longer than LEADINTAKE_BUSY_TIMEOUT
                  seconds (default 120); files before were committed, try again later
            """,
        subcommands: [Import.self, Inbox.self, Export.self, Revert.self, Erase.self, Suppress.self, Suppressions.self, Runs.self, Review.self, Explain.self, Train.self, Rescore.self, Profile.self, Sources.self, Detect.self, Formats.self, Inspect.self],
        defaultSubcommand: nil)

    /// ArgumentParser's main, plus one error every command can meet: a store another writer holds.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as StoreBusyError {
            printError("Error: \(error)")
            Foundation.exit(75)
        } catch {
            exit(withError: error)
        }
    }
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

    /// Bounds on one record from DIR/limits.yml (the defaults when there is none).
    func limits() throws -> ImportLimits {
        do { return try ImportLimits.load(path: config + "/limits.yml") } catch { throw ValidationError("\(error)") }
    }
}

/// Logging to standard error; `--verbose` shows debug (which may include personal data).
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    @Flag(name: .shortAndLong, help: "Same as --log-level info.")
    var verbose = false

    @Option(help: "Log format on standard error: text (readable), or json (one object per line, for unattended runs).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func makeLogger() -> Logger {
        let level = verbose && logLevel > .info ? Logger.Level.info : logLevel
        var logger: Logger
        switch logFormat {
        case .text:
            LoggingSystem.bootstrapOnce()
            logger = Logger(label: "leadintake")
        case .json:
            logger = Logger(label: "leadintake") { label in EscapingLogHandler(JSONLogHandler(label: label)) }
        }
        logger.logLevel = level
        return logger
    }
}

/// One JSON object per line on standard error: `time`, `level`, `label`, `message`, `source`, and the
/// metadata as string values (for journald, Loki or a log shipper).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "time": Date().formatted(.iso8601), "level": event.level.rawValue, "label": label,
            "message": event.message.description, "source": event.source,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) where object[key] == nil {
            object[key] = "\(value)"
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension LoggingSystem {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in EscapingLogHandler(StreamLogHandler.standardError(label: label)) }
    }()
    static func bootstrapOnce() { _ = once }
}

/// A log handler that escapes control characters in messages and metadata before they reach the
/// terminal or a log file (a file name or value with ANSI escapes, BEL or a bidi override).
struct EscapingLogHandler<Base: LogHandler>: LogHandler {
    var base: Base
    init(_ base: Base) { self.base = base }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }
    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: ControlCharacters.escaping(event.message.description))
        event.metadata = event.metadata.map { $0.mapValues(Self.escape) }
        base.log(event: event)
    }

    private static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(ControlCharacters.escaping(text))
        case .stringConvertible(let value): .string(ControlCharacters.escaping(value.description))
        case .array(let values): .array(values.map(escape))
        case .dictionary(let values): .dictionary(values.mapValues(escape))
        }
    }
}

/// Prints to standard error (Glibc's `stderr` is a global var Swift 6 rejects; FileHandle is fine).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
