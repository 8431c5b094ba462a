import ArgumentParser
import Foundation
import LeadCore
import LeadImport
import LeadPipeline
import LeadScore
import LeadStore
import LibXML
import Logging

/// Set by SIGTERM or SIGINT: the pass finishes the file in progress and stops (a C signal handler can
/// only touch such a flag).
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

struct Inbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import the settled files of a drop folder, then move them to processed/ or failed/ (for cron or a systemd timer).",
        discussion: """
            One pass: files that are not hidden, not partial downloads (*.part, *.tmp, *.crdownload, ~$*) \
            and whose size and modification time stayed the same for --settle seconds are imported as \
            `import` would, all in one run of the ledger. Each then moves to DIR/processed/YYYY-MM-DD/ \
            (loaded, or already loaded before) or DIR/failed/YYYY-MM-DD/, never over a file of the same \
            name. The run's report goes to DIR/reports/run-N.html, with NAME.results.csv and \
            NAME.errors.csv per file beside it. A lock (DIR/.leadintake.lock) keeps two passes apart: \
            the second exits 75 at once. A source in config/sources.yml with `files: GLOB` (relative to \
            DIR) gives its files that source's name and kind.

            EXAMPLES
              leadintake inbox /srv/leads/inbox
              leadintake inbox --watch --every 60 /srv/leads/inbox
              */15 * * * *  cd /srv/leadintake && leadintake inbox --store sqlite:/srv/leads.sqlite /srv/leads/inbox

            EXIT CODES
              0 success or nothing to do · 1 some records rejected or files failed · 2 nothing could be loaded
              75 another pass is processing the folder, or the store is busy
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var logOptions: LogOptions
    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Source kind for files that no source in config/sources.yml claims.")
    var sourceKind: SourceKind?

    @Option(help: "Seconds a file's size and modification time must stay unchanged before it is taken.")
    var settle: Double = 5

    @Flag(help: "Keep polling the folder (for a container); SIGTERM finishes the current file and exits 0.")
    var watch = false

    @Option(help: "Seconds between passes with --watch.")
    var every: Double = 60

    @Flag(help: "No result files (NAME.results.csv, NAME.errors.csv) beside the report.")
    var noResults = false

    @Argument(help: "The drop folder.")
    var directory: String

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no folder at \(directory)")
        }
        guard settle >= 0, every > 0 else { throw ValidationError("--settle must be ≥ 0 and --every > 0") }
    }

    func run() throws {
        LibXML.setUp()
        let logger = logOptions.makeLogger()
        let folder = InboxFolder(path: directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)
        let lock: InboxLock
        switch InboxLock.acquire(folder.path + "/.leadintake.lock") {
        case .acquired(let held): lock = held
        case .held(let pid):
            printError("another run is processing \(folder.path)" + (pid.map { " (pid \($0))" } ?? ""))
            throw ExitCode(75)
        case .failed(let message):
            printError("Error: cannot lock \(folder.path)/.leadintake.lock: \(message)")
            throw ExitCode(ExitStatus.nothingLoaded)
        }
        defer { lock.release() }
        signal(SIGTERM) { _ in stopRequested = 1 }
        signal(SIGINT) { _ in stopRequested = 1 }
        // A parent may start us with these blocked (the mask survives exec): take them in any case.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        sigaddset(&wanted, SIGTERM)
        sigaddset(&wanted, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)

        var worst: Int32 = 0
        while true {
            let status = try pass(folder, logger: logger)
            worst = max(worst, status)
            guard watch, stopRequested == 0 else { break }
            // Sleep in short steps so a SIGTERM between passes ends the loop at once.
            let until = Date().addingTimeInterval(every)
            while Date() < until, stopRequested == 0 { Thread.sleep(forTimeInterval: 0.2) }
            if stopRequested != 0 { break }
        }
        if stopRequested != 0 { logger.notice("stopped by a signal after the file in progress") }
        if watch { return }  // a stopped watcher exits 0; each pass reported its own outcome
        if worst != 0 { throw ExitCode(worst) }
    }

    /// One pass over the folder; returns the run's exit status.
    private func pass(_ folder: InboxFolder, logger: Logger) throws -> Int32 {
        let definitions = try sourceDefinitions()
        let candidates = folder.candidates()
        let files = folder.settled(candidates, seconds: settle)
        let waiting = candidates.count - files.count
        guard !files.isEmpty else {
            print("inbox \(folder.path): nothing to import" + (waiting > 0 ? " (\(waiting) file(s) still being written)" : ""))
            return 0
        }
        let store = try openStore(storeOptions.url)
        let scorer = try profileOptions.load().map(Scorer.init(profile:))
        let limits = try configOptions.limits()
        let base = ImportOptions(sourceKind: sourceKind, limits: limits)
        let root = folder.path
        let claims = definitions.compactMap { definition in definition.files.map { (definition, $0) } }
        var pipeline = Pipeline(registry: try configOptions.registry(), options: base, scorer: scorer, logger: logger)
        pipeline.optionsForFile = { path in
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
            guard let (definition, _) = claims.first(where: { fnmatch($0.1, relative, FNM_PATHNAME) == 0 }) else { return base }
            var options = base
            options.sourceName = definition.name
            options.sourceKind = definition.kind ?? base.sourceKind
            return options
        }
        pipeline.shouldStop = { stopRequested != 0 }
        let staging = folder.path + "/reports/.run-in-progress"
        try? FileManager.default.removeItem(atPath: staging)
        if !noResults { pipeline.resultsDirectory = staging }
        let command = (["leadintake"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let result = try pipeline.run(paths: files, store: store, dryRun: false, command: command)

        // The report and the result files under the run's number.
        let runName = "run-\(result.runID.map(String.init) ?? "unknown")"
        let reports = folder.path + "/reports"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try Data(HTMLReport.render(result).utf8).write(to: URL(fileURLWithPath: reports + "/\(runName).html"))
        if !noResults, FileManager.default.fileExists(atPath: staging) {
            let target = folder.uniquePath(reports + "/" + runName)
            try FileManager.default.moveItem(atPath: staging, toPath: target)
        }
        // Move what the run handled; a file the run did not reach (stopped) stays for the next pass.
        let day = InboxFolder.today()
        var moved: [String] = []
        for file in result.files {
            let failed = file.status == .failed
            let destination = folder.path + "/" + (failed ? "failed" : "processed") + "/" + day
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            let target = folder.uniquePath(destination + "/" + file.name)
            do { try FileManager.default.moveItem(atPath: file.path, toPath: target) } catch {
                logger.error("cannot move the file", metadata: ["file": "\(file.name)", "error": "\(error)"])
                continue
            }
            let note = file.status == .alreadyLoaded ? " (already loaded in run \(file.loadedInRun.map(String.init) ?? "?"), same SHA-256)" : ""
            moved.append("  \(failed ? "failed   " : "processed") \(file.name) → \(target.dropFirst(folder.path.count + 1))\(note)")
        }
        let environment = ProcessInfo.processInfo.environment
        let printer = ReportPrinter(
            color: isatty(1) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb",
            quiet: false, reportPath: reports + "/\(runName).html")
        print(printer.text(result), terminator: "")
        print("\nMoved:\n" + moved.joined(separator: "\n"))
        if waiting > 0 { print("\(waiting) file(s) still being written: left for the next pass") }
        return result.exitStatus
    }

    private func sourceDefinitions() throws -> [SourceDefinition] {
        let path = configOptions.config + "/sources.yml"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do { return try SourceDefinitions.load(path: path) } catch { throw ValidationError("\(error)") }
    }
}

/// The drop folder: which files are candidates, which are settled, and names that never overwrite.
struct InboxFolder {
    let path: String
    /// Folders the pass writes to, never read as input.
    static let own: Set<String> = ["processed", "failed", "reports"]

    /// Files below the folder (recursively, in name order) that are not hidden, not in the pass's own
    /// folders and not partial downloads or editor lock files.
    func candidates() -> [String] {
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        while let relative = walker.nextObject() as? String {
            let parts = relative.split(separator: "/").map(String.init)
            if let first = parts.first, Self.own.contains(first) { walker.skipDescendants(); continue }
            if parts.contains(where: { $0.hasPrefix(".") }) { continue }
            let name = parts.last ?? relative
            let lower = name.lowercased()
            if lower.hasSuffix(".part") || lower.hasSuffix(".tmp") || lower.hasSuffix(".crdownload") || name.hasPrefix("~$") { continue }
            var isDirectory: ObjCBool = false
            let full = path + "/" + relative
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue { found.append(full) }
        }
        return found.sorted()
    }

    /// The files whose size and modification time stay the same for `seconds`: a file last changed
    /// longer ago than that is settled at once; the others are looked at again after the wait.
    func settled(_ files: [String], seconds: Double) -> [String] {
        func stamp(_ file: String) -> (Int64, Double)? {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                  let size = (attributes[.size] as? NSNumber)?.int64Value,
                  let modified = attributes[.modificationDate] as? Date
            else { return nil }
            return (size, modified.timeIntervalSince1970)
        }
        let now = Date().timeIntervalSince1970
        var ready: [String] = []
        var recent: [(String, (Int64, Double))] = []
        for file in files {
            guard let first = stamp(file) else { continue }
            if now - first.1 >= seconds { ready.append(file) } else { recent.append((file, first)) }
        }
        if !recent.isEmpty, seconds > 0 {
            Thread.sleep(forTimeInterval: seconds)
            for (file, first) in recent where stamp(file).map({ $0 == first }) == true { ready.append(file) }
        } else {
            ready += recent.map(\.0)
        }
        return ready.sorted()
    }

    /// `path`, or `path-2`, `path-3`, ... (before the extension) when something is there already.
    func uniquePath(_ candidate: String) -> String {
        guard FileManager.default.fileExists(atPath: candidate) else { return candidate }
        let ext = (candidate as NSString).pathExtension
        let stem = ext.isEmpty ? candidate : String(candidate.dropLast(ext.count + 1))
        var n = 2
        while true {
            let next = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            if !FileManager.default.fileExists(atPath: next) { return next }
            n += 1
        }
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

/// `flock` on the folder's lock file: the lock lives as long as the process (a crash leaves none);
/// the holder's pid is written into the file for the message the next pass prints.
final class InboxLock {
    enum Outcome {
        case acquired(InboxLock)
        case held(pid: Int32?)
        case failed(String)
    }

    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func acquire(_ path: String) -> Outcome {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &bytes, 32, 0)
            close(fd)
            guard busy else { return .failed(String(cString: strerror(errno))) }
            let text = count > 0 ? String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            return .held(pid: Int32(text))
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        return .acquired(InboxLock(descriptor: fd))
    }

    func release() {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
