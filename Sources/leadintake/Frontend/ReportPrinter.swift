import LeadCore
import LeadPipeline

/// The human summary of a run (the JSON report has the same facts).
enum ReportPrinter {
    static func text(_ report: RunReport) -> String {
        var out = ""
        let dry = report.mode == "dry-run"
        out += dry ? "DRY RUN: nothing was written to \(report.store)\n" : "Run \(report.runID.map(String.init) ?? "?") into \(report.store)\n"
        for file in report.files {
            out += "\n\(file.path)\n"
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
                out += "  FAILED: \(file.error ?? "unknown error")\n"
                continue
            case .alreadyLoaded:
                out += "  skipped: \(file.error ?? "already loaded")\n"
                continue
            case .loaded, .wouldLoad:
                break
            }
            out += "  records read \(file.recordsRead), \(dry ? "would load" : "loaded") \(file.recordsLoaded), rejected \(file.recordsRejected), warnings \(file.warnings)\n"
            out += "  new leads \(file.newLeads), duplicates within the batch \(file.duplicatesInBatch), duplicates of leads already in the store \(file.duplicatesOfStore)\n"
            if !file.stages.isEmpty {
                out += "  scored: " + ["dream", "prospect", "lead", "disqualified"].map { "\($0) \(file.stages[$0] ?? 0)" }.joined(separator: ", ") + "\n"
            }
            if file.reviews > 0 { out += "  \(file.reviews) possible duplicate(s) sent to the review queue (leadintake review list)\n" }
            if dry {
                for step in file.plan.prefix(50) {
                    out += "    record \(step.record) (line \(step.line)): \(step.outcome)\(step.reasons.isEmpty ? "" : " — " + step.reasons)\n"
                }
                if file.plan.count > 50 { out += "    … plan of every record in --report\n" }
            }
            for issue in file.rejected.prefix(20) {
                out += "  rejected \(issue.location.file):\(issue.location.line ?? 0) (record \(issue.location.record ?? 0)): \(issue.message)\n"
            }
            if file.rejected.count > 20 { out += "  … \(file.recordsRejected - 20) more rejected (see --report)\n" }
        }
        out += "\nTotal: \(report.files.count) file(s): \(report.filesLoaded) \(dry ? "would load" : "loaded"), \(report.filesSkipped) already loaded, \(report.filesFailed) failed\n"
        out += "       \(report.recordsRead) records read, \(report.recordsLoaded) \(dry ? "would load" : "loaded"), \(report.recordsRejected) rejected\n"
        out += "       \(report.newLeads) new leads, \(report.duplicatesInBatch) duplicates within the batch, \(report.duplicatesOfStore) duplicates of stored leads\n"
        if report.reviews > 0 { out += "       \(report.reviews) pair(s) to review\n" }
        if report.leadsMergedInRun > 0 { out += "       \(report.leadsMergedInRun) lead(s) found to be the same person as another and merged into it\n" }
        out += "       leads in store: \(report.leadsInStoreBefore) before, \(report.leadsInStoreAfter) \(dry ? "would be after" : "after")\n"
        return out
    }
}
