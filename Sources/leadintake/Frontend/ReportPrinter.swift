import LeadCore
import LeadPipeline

/// The human summary of a run. It leads with what a person has to act on (files failed, rows
/// rejected, pairs to review, leads merged), then the files, then one total line; the JSON report
/// (`--json`, `--report`) has the same facts, `attention` included.
struct ReportPrinter {
    /// ANSI colour: only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    var color = false
    /// `--quiet`: only the one-line total (errors go to standard error as they happen).
    var quiet = false
    /// Where the full list of a file's rejected rows is, when the summary shows only the first few.
    var reportPath: String?

    static let rejectedShown = 5

    func text(_ report: RunReport) -> String {
        if quiet { return totalLine(report) + "\n" }
        var out = ""
        let dry = report.mode == "dry-run"
        out += bold(dry ? "DRY RUN: nothing was written to \(report.store)" : "Run \(report.runID.map(String.init) ?? "?") into \(report.store)") + "\n"

        let attention = report.attention
        if !attention.isEmpty {
            out += "\n" + bold("To act on") + "\n"
            for item in attention { out += "  " + paint(item) + "\n" }
        }

        for file in report.files {
            out += "\n" + bold(file.path) + "\n"
            if let format = file.format {
                var line = "  format: \(format) (\(file.formatName ?? "")), confidence \(file.confidence.map { String(Int(($0 * 100).rounded())) + "%" } ?? "?")"
                if let reason = file.confidenceReason { line += ": \(reason)" }
                out += line + "\n"
                if let runnerUp = file.runnerUp { out += "  runner-up: \(runnerUp)\n" }
            }
            let factKeys = ["encoding", "delimiter", "header-line", "preamble-lines", "versions", "charsets", "layout", "markup", "record-element", "json-ld", "cloudflare-emails"]
            let facts = factKeys.compactMap { key in file.facts[key].map { "\(key) \($0)" } }
            if !facts.isEmpty { out += "  " + facts.joined(separator: ", ") + "\n" }
            switch file.status {
            case .failed:
                out += "  " + red("FAILED: \(file.error ?? "unknown error")") + "\n"
                continue
            case .alreadyLoaded:
                out += "  skipped: \(file.error ?? "already loaded")\n"
                continue
            case .loaded, .wouldLoad:
                break
            }
            let rejected = "rejected \(file.recordsRejected)"
            out += "  records read \(file.recordsRead), \(dry ? "would load" : "loaded") \(file.recordsLoaded), "
                + (file.recordsRejected > 0 ? red(rejected) : rejected) + ", warnings \(file.warnings)"
                + (file.recordsSuppressed > 0 ? ", suppressed \(file.recordsSuppressed) (on the suppression list: not stored)" : "") + "\n"
            out += "  new leads \(file.newLeads), duplicates within the batch \(file.duplicatesInBatch), duplicates of leads already in the store \(file.duplicatesOfStore)\n"
            if !file.stages.isEmpty {
                out += "  scored: " + ["dream", "prospect", "lead", "disqualified"].map { "\($0) \(file.stages[$0] ?? 0)" }.joined(separator: ", ") + "\n"
            }
            if file.reviews > 0 { out += "  " + yellow("\(file.reviews) possible duplicate(s) sent to the review queue (leadintake review list)") + "\n" }
            if dry {
                for step in file.plan.prefix(50) {
                    out += "    record \(step.record) (line \(step.line)): \(step.outcome)\(step.reasons.isEmpty ? "" : " — " + step.reasons)\n"
                }
                if file.plan.count > 50 { out += "    … plan of every record in --report\n" }
            }
            for issue in file.rejected.prefix(Self.rejectedShown) {
                out += "  " + red("rejected") + " \(issue.location.file):\(issue.location.line ?? 0) (record \(issue.location.record ?? 0)\(issue.location.field.map { ", field \"\($0)\"" } ?? "")): \(issue.message)\n"
            }
            if file.recordsRejected > Self.rejectedShown {
                out += "  … \(file.recordsRejected - Self.rejectedShown) more rejected: \(whereRejectedAre(report))\n"
            }
        }
        out += "\n" + totalLine(report) + "\n"
        out += "       \(report.newLeads) new leads, \(report.duplicatesInBatch) duplicates within the batch, \(report.duplicatesOfStore) duplicates of stored leads\n"
        out += "       leads in store: \(report.leadsInStoreBefore) before, \(report.leadsInStoreAfter) \(dry ? "would be after" : "after")\n"
        return out
    }

    /// The one line that sums the run up.
    func totalLine(_ report: RunReport) -> String {
        let dry = report.mode == "dry-run"
        var parts = [
            "\(report.files.count) file(s)", "\(report.recordsRead) records read", "\(report.recordsLoaded) \(dry ? "would load" : "loaded")",
            "\(report.recordsRejected) rejected", "\(report.newLeads) new leads",
            "\(report.duplicatesInBatch + report.duplicatesOfStore) duplicates",
        ]
        if report.recordsSuppressed > 0 { parts.append("\(report.recordsSuppressed) suppressed") }
        if report.reviews > 0 { parts.append("\(report.reviews) to review") }
        if report.filesFailed > 0 { parts.append("\(report.filesFailed) file(s) failed") }
        if report.filesSkipped > 0 { parts.append("\(report.filesSkipped) already loaded") }
        return bold("Total:") + " " + parts.joined(separator: ", ")
    }

    private func whereRejectedAre(_ report: RunReport) -> String {
        if let reportPath { return "listed in \(reportPath)" }
        if report.runID != nil { return "the store keeps every one (record_issues); --report FILE lists them" }
        return "--report FILE lists them"
    }

    private func paint(_ item: RunReport.Attention) -> String {
        switch item.kind {
        case .filesFailed, .rowsRejected: red(item.text)
        case .pairsToReview: yellow(item.text)
        case .leadsMerged: item.text
        }
    }

    private func sgr(_ code: String, _ text: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func bold(_ text: String) -> String { sgr("1", text) }
    private func red(_ text: String) -> String { sgr("31", text) }
    private func yellow(_ text: String) -> String { sgr("33", text) }
}
