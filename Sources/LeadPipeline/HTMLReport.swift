import LeadCore

/// The run report as one self-contained HTML page (no scripts, no external files), for the person
/// who validates an import before it runs: `leadintake import --dry-run --report plan.html`.
/// It holds the same facts as the JSON report; every text is escaped.
///
/// Written by hand: a page of tables needs no template engine, and none is among the dependencies.
public enum HTMLReport {
    public static func render(_ report: RunReport) -> String {
        let dry = report.mode == "dry-run"
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(dry ? "LeadIntake dry run" : "LeadIntake run \(report.runID.map(String.init) ?? "")"))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            table.files, table.plan, table.notes, table.rejected { max-width: 100%; }
            table.files td:first-child { overflow-wrap: anywhere; }
            .failed { color: #a00; } .rejected { color: #a00; } .review { color: #a60; }
            figure { margin: 0.5em 0 1.2em; max-width: 180mm; }
            figcaption { font-weight: 600; margin-bottom: 0.3em; }
            svg.chart { display: block; }
            ul.attention li { margin: 0.2em 0; }
            @page { size: A4; margin: 15mm; }
            @media print {
              body { margin: 0; font-size: 10pt; }
              h2 { break-after: avoid; } figure, tr { break-inside: avoid; }
              th { background: #f3f3f3 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            </style>
            </head>
            <body>

            """
        html += "<h1>\(escape(dry ? "Dry run: nothing was written" : "Run \(report.runID.map(String.init) ?? "?")"))</h1>\n"
        html += "<p>Store <code>\(escape(report.store))</code>, started \(escape(report.startedAt))"
        if let finished = report.finishedAt { html += ", finished \(escape(finished))" }
        html += ".</p>\n"

        let will = dry ? "would load" : "loaded"
        let attention = report.attention
        if !attention.isEmpty {
            html += "<h2>To act on</h2>\n<ul class=\"attention\">\n"
            for item in attention {
                let kind = item.kind == .pairsToReview ? "review" : item.kind == .leadsMerged ? "merged" : "failed"
                html += "<li class=\"\(kind)\">\(escape(item.text))</li>\n"
            }
            html += "</ul>\n"
        }
        html += "<h2>At a glance</h2>\n"
        var runParts = ReportCharts.outcomes(FileReport(path: "", name: ""))
        var runStages: [String: Int] = [:]
        for file in report.files {
            for (i, part) in ReportCharts.outcomes(file).enumerated() { runParts[i].count += part.count }
            runStages.merge(file.stages, uniquingKeysWith: +)
        }
        html += figure("What became of the \(report.recordsRead) records read", ReportCharts.stackedBar(
            runParts, title: "Records of the run: new, review, duplicates, rejected", unit: "records"))
        if !runStages.isEmpty {
            html += figure("Stages of the \(runStages.values.reduce(0, +)) leads touched", ReportCharts.stackedBar(
                ReportCharts.stages(runStages), title: "Leads touched, by stage", unit: "leads"))
        }
        html += "<h2>Totals</h2>\n<table class=\"totals\">\n"
        for (label, value) in [
            ("files", report.files.count), ("files \(will)", report.filesLoaded), ("files already loaded", report.filesSkipped),
            ("files failed", report.filesFailed), ("records read", report.recordsRead), ("records \(will)", report.recordsLoaded),
            ("records rejected", report.recordsRejected), ("records suppressed (not stored)", report.recordsSuppressed), ("new leads", report.newLeads),
            ("duplicates within the batch", report.duplicatesInBatch), ("duplicates of stored leads", report.duplicatesOfStore),
            ("pairs to review", report.reviews), ("leads merged as one person", report.leadsMergedInRun),
            ("leads in store before", report.leadsInStoreBefore), ("leads in store \(dry ? "would be after" : "after")", report.leadsInStoreAfter),
        ] {
            html += "<tr><th>\(escape(label))</th><td class=\"n\">\(value)</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Files</h2>\n<table class=\"files\">\n<tr><th>file</th><th>status</th><th>format</th><th>read</th><th>\(will)</th>"
            + "<th>rejected</th><th>warnings</th><th>new leads</th><th>duplicates</th><th>review</th></tr>\n"
        for file in report.files {
            let status: String
            switch file.status {
            case .loaded: status = "loaded"
            case .wouldLoad: status = "would load"
            case .alreadyLoaded: status = "already loaded"
            case .failed: status = "failed"
            }
            var format = file.formatName ?? file.format ?? ""
            if let confidence = file.confidence { format += " (\(Int((confidence * 100).rounded()))%)" }
            html += "<tr\(file.status == .failed ? " class=\"failed\"" : "")><td><a href=\"#\(escape(anchor(file.path)))\">\(escape(file.path))</a></td><td>\(escape(status))</td>"
                + "<td>\(escape(format))</td><td class=\"n\">\(file.recordsRead)</td><td class=\"n\">\(file.recordsLoaded)</td>"
                + "<td class=\"n\">\(file.recordsRejected)</td><td class=\"n\">\(file.warnings)</td><td class=\"n\">\(file.newLeads)</td>"
                + "<td class=\"n\">\(file.duplicatesInBatch + file.duplicatesOfStore)</td><td class=\"n\">\(file.reviews)</td></tr>\n"
        }
        html += "</table>\n"

        for file in report.files {
            html += "<h2 id=\"\(escape(anchor(file.path)))\">\(escape(file.path))</h2>\n"
            if let reason = file.confidenceReason { html += "<p>Detected: \(escape(reason))</p>\n" }
            if let error = file.error { html += "<p class=\"\(file.status == .failed ? "failed" : "skipped")\">\(escape(error))</p>\n" }
            if file.status == .loaded || file.status == .wouldLoad {
                html += figure("Records of \(file.name)", ReportCharts.stackedBar(
                    ReportCharts.outcomes(file), title: "Records of \(file.name): new, review, duplicates, rejected", unit: "records"))
                if !file.stages.isEmpty {
                    html += figure("Stages of the leads \(file.name) touched", ReportCharts.stackedBar(
                        ReportCharts.stages(file.stages), title: "Leads touched by \(file.name), by stage", unit: "leads"))
                }
                if let strip = ReportCharts.rejectionStrip(file) {
                    let listed = file.rejected.count < file.recordsRejected ? " (the first \(file.rejected.count) listed)" : ""
                    html += figure("Where the rejected rows sit in \(file.name)\(listed)", strip)
                }
            }
            if !file.rejected.isEmpty {
                html += "<h3>Rejected records</h3>\n<table class=\"rejected\">\n<tr><th>line</th><th>record</th><th>field</th><th>why</th></tr>\n"
                for issue in file.rejected {
                    html += "<tr><td class=\"n\">\(issue.location.line.map(String.init) ?? "")</td><td class=\"n\">\(issue.location.record.map(String.init) ?? "")</td>"
                        + "<td>\(escape(issue.location.field ?? ""))</td><td>\(escape(issue.message))</td></tr>\n"
                }
                html += "</table>\n"
                if file.recordsRejected > file.rejected.count {
                    html += "<p>… and \(file.recordsRejected - file.rejected.count) more (the first \(file.rejected.count) are listed).</p>\n"
                }
            }
            if !file.notes.isEmpty {
                html += "<h3>Warnings and notes</h3>\n<table class=\"notes\">\n<tr><th>line</th><th>severity</th><th>what</th></tr>\n"
                for issue in file.notes {
                    html += "<tr><td class=\"n\">\(issue.location.line.map(String.init) ?? "")</td><td>\(escape(issue.severity.rawValue))</td>"
                        + "<td>\(escape(issue.message))</td></tr>\n"
                }
                html += "</table>\n"
            }
            if !file.plan.isEmpty {
                html += "<h3>Plan, record by record</h3>\n<table class=\"plan\">\n<tr><th>line</th><th>record</th><th>outcome</th><th>reasons</th></tr>\n"
                for step in file.plan {
                    let kind = step.outcome == "rejected" ? " class=\"rejected\"" : step.outcome.contains("review") ? " class=\"review\"" : ""
                    html += "<tr\(kind)><td class=\"n\">\(step.line > 0 ? String(step.line) : "")</td><td class=\"n\">\(step.record > 0 ? String(step.record) : "")</td>"
                        + "<td>\(escape(step.outcome))</td><td>\(escape(step.reasons))</td></tr>\n"
                }
                html += "</table>\n"
                if file.recordsRead > file.plan.count {
                    html += "<p>The plan lists the first \(file.plan.count) of \(file.recordsRead) records.</p>\n"
                }
            }
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// A chart with its caption (escaped).
    static func figure(_ caption: String, _ svg: String) -> String {
        "<figure>\n<figcaption>\(escape(caption))</figcaption>\n\(svg)</figure>\n"
    }

    /// Text for an HTML element or attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func anchor(_ path: String) -> String {
        "file-" + String(path.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
