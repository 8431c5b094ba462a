import Foundation
import LeadPipeline
import Synchronization

/// The import's progress on a terminal: one line per file, redrawn in place, by bytes read, with
/// percent, records per second, an ETA and the stage the file is in; the final line stays.
///
///     [1/2] l20k.csv  [##########----------]  52%  10,400 records  1,230/s  ETA 0:07  matching
///
/// Written by hand rather than with console-kit's `ActivityIndicator`: that one animates on its own
/// timer and owns the terminal for the whole command, while this bar is drawn from the pipeline's
/// own events (bytes read, stage changes) and must also be easy to leave off (pipes, CI, logs).
final class ProgressBar: Sendable {
    /// Whether a bar belongs on standard error: a terminal, not CI, not a dumb terminal.
    static func wanted(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard isatty(2) != 0 else { return false }
        if let ci = environment["CI"], !ci.isEmpty, ci != "0", ci != "false" { return false }
        return environment["TERM"] != "dumb"
    }

    private struct State {
        var file = ""
        var started = ContinuousClock.now
        var lastDraw: ContinuousClock.Instant?
        var lastStage: ImportProgress.Stage?
        var stageStarted = ContinuousClock.now
        /// This file: time spent reading, and records already through every stage.
        var readSeconds = 0.0
        var recordsDone = 0
        /// The whole run: time spent matching, writing and scoring, and the records that took it.
        var processSeconds = 0.0
        var recordsProcessed = 0
    }

    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void
    private let width: Int
    /// At most this often, except when the stage changes or the file ends.
    private let interval: Duration

    init(width: Int = ProgressBar.terminalWidth(), interval: Duration = .milliseconds(200), write: @escaping @Sendable (String) -> Void = ProgressBar.standardError) {
        self.width = max(40, width)
        self.interval = interval
        self.write = write
    }

    func update(_ progress: ImportProgress) {
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            let file = "\(progress.fileIndex)/\(progress.file)"
            if file != state.file {
                state.file = file
                state.started = now
                state.stageStarted = now
                state.lastStage = nil
                state.lastDraw = nil
                state.readSeconds = 0
                state.recordsDone = 0
            }
            let changed = progress.stage != state.lastStage
            if changed {
                // Book the stage that just ended: reading time for this file, processing time for the run.
                let spent = Self.seconds(now - state.stageStarted)
                switch state.lastStage {
                case .reading: state.readSeconds += spent
                case .normalizing, .matching, .writing, .scoring: state.processSeconds += spent
                case .finished, nil: break
                }
                if progress.stage == .reading || progress.stage == .finished, let last = state.lastStage, last != .reading, last != .finished {
                    state.recordsProcessed += progress.records - state.recordsDone
                    state.recordsDone = progress.records
                }
                state.stageStarted = now
            }
            if !changed, let last = state.lastDraw, now - last < interval { return nil }
            state.lastDraw = now
            state.lastStage = progress.stage
            return render(progress, elapsed: Self.seconds(now - state.started), eta: eta(progress, state, now: now))
        }
        guard let line else { return }
        // Carriage return, erase the line, draw; the final line of a file keeps its newline.
        write("\r\u{1B}[2K" + line + (progress.stage == .finished ? "\n" : ""))
    }

    /// Seconds left for the file: the records not read yet (at this file's reading pace) plus every
    /// record not yet through matching, writing and scoring (at the run's pace so far, 1 ms a record
    /// until one chunk has shown it), less the time the current stage has already run.
    private func eta(_ progress: ImportProgress, _ state: State, now: ContinuousClock.Instant) -> Double? {
        guard progress.stage != .finished, let fraction = progress.fraction, fraction > 0, progress.records > 0 else { return nil }
        let readSoFar = state.readSeconds + (progress.stage == .reading ? Self.seconds(now - state.stageStarted) : 0)
        let expected = Double(progress.records) / fraction
        let perRead = readSoFar / Double(progress.records)
        let perProcess = state.recordsProcessed > 0 ? state.processSeconds / Double(state.recordsProcessed) : 0.001
        var left = (expected - Double(progress.records)) * perRead + (expected - Double(state.recordsDone)) * perProcess
        if progress.stage != .reading { left -= Self.seconds(now - state.stageStarted) }
        return max(0, left)
    }

    /// The line for `progress`, `elapsed` seconds into the file.
    func render(_ progress: ImportProgress, elapsed: Double, eta: Double?) -> String {
        let seconds = max(0.001, elapsed)
        let rate = Double(progress.records) / seconds
        var tail: [String] = []
        var percent: String?
        if let fraction = progress.fraction { percent = String(Int((fraction * 100).rounded(.down))).leftPadded(3) + "%" }
        if let percent { tail.append(percent) }
        tail.append("\(Self.grouped(progress.records)) records")
        tail.append("\(Self.grouped(Int(rate.rounded())))/s")
        if progress.stage == .finished {
            tail.append("done in " + Self.clock(seconds))
        } else {
            if let eta { tail.append("ETA " + Self.clock(eta)) }
            tail.append(progress.stage.rawValue)
        }
        let prefix = progress.fileCount > 1 ? "[\(progress.fileIndex)/\(progress.fileCount)] " : ""
        let text = tail.joined(separator: "  ")
        // The bar takes what is left after the name (at most 24 characters) and room for the widest
        // figures, so that it keeps one length while the figures change: 10 to 30 cells.
        let nameRoom = min(progress.file.count, 24)
        var cells = progress.fraction == nil ? 0 : max(10, min(30, width - 1 - prefix.count - 24 - 2 - 4 - Self.figuresWidth))
        var name = progress.file
        if name.count > nameRoom { name = String(name.prefix(nameRoom - 1)) + "…" }
        // Still too wide: shorten the name, then drop the bar.
        var overflow = prefix.count + name.count + 2 + (cells > 0 ? cells + 4 : 0) + text.count - (width - 1)
        if overflow > 0, name.count > 8 {
            let cut = min(overflow, name.count - 8)
            name = String(name.prefix(name.count - cut - 1)) + "…"
            overflow -= cut
        }
        if overflow > 0 { cells = 0 }
        var line = prefix + name + "  "
        if cells > 0, let fraction = progress.fraction {
            let full = min(cells, Int((fraction * Double(cells)).rounded(.down)))
            line += "[" + String(repeating: "#", count: full) + String(repeating: "-", count: cells - full) + "]  "
        }
        return line + text
    }

    /// Room kept for "100%  1,000,000 records  10,000/s  ETA 10:00  normalizing".
    static let figuresWidth = 56

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let mmss = String(format: "%d:%02d", m, s)
        return h > 0 ? "\(h):" + String(format: "%02d:%02d", m, s) : mmss
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
    }

    @Sendable static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
