import LeadCore

/// The pictures of the HTML run report, as inline SVG: no scripts, no external files, every text
/// escaped. Each chart scales to the page's width (a `viewBox` with `width="100%"`), so it prints on A4.
///
/// Written by hand: three kinds of chart need a rectangle, a line and a text element, and none of
/// the packages on this machine draws SVG charts (Plot writes HTML, not charts).
enum ReportCharts {
    /// One part of a stacked bar: its label, count and colour.
    struct Part {
        var label: String
        var count: Int
        var color: String
    }

    static let newColor = "#2f9e44", reviewColor = "#f08c00", batchColor = "#1c7ed6", storeColor = "#7048e8", rejectedColor = "#e03131", suppressedColor = "#343a40"

    /// What became of a file's records: new, review, duplicate of the batch, of the store, rejected.
    /// A record sent to review made a new lead, so review is carved out of new and the parts add
    /// up to the records read.
    static func outcomes(_ file: FileReport) -> [Part] {
        let review = min(file.reviews, file.newLeads)
        return [
            Part(label: "new", count: file.newLeads - review, color: newColor),
            Part(label: "review", count: review, color: reviewColor),
            Part(label: "duplicate of the batch", count: file.duplicatesInBatch, color: batchColor),
            Part(label: "duplicate of the store", count: file.duplicatesOfStore, color: storeColor),
            Part(label: "rejected", count: file.recordsRejected, color: rejectedColor),
            Part(label: "suppressed", count: file.recordsSuppressed, color: suppressedColor),
        ]
    }

    static let stageColors: [(String, String)] = [
        ("dream", "#2b8a3e"), ("prospect", "#82c91e"), ("lead", "#adb5bd"), ("disqualified", "#495057"),
    ]

    /// The stages of the leads a file (or the run) touched.
    static func stages(_ counts: [String: Int]) -> [Part] {
        stageColors.map { Part(label: $0.0, count: counts[$0.0] ?? 0, color: $0.1) }
    }

    /// A horizontal stacked bar with a legend underneath (wrapped into rows): `class="chart stacked"`.
    static func stackedBar(_ parts: [Part], title: String, unit: String) -> String {
        let total = parts.reduce(0) { $0 + $1.count }
        let width = 600.0, barHeight = 26.0, rowHeight = 16.0
        // Legend first, to know the height: a swatch and "label count (percent)" per part.
        var legend: [(x: Double, row: Int, part: Part, text: String)] = []
        var lx = 0.0, row = 0
        for part in parts {
            let share = total > 0 ? Int((100 * Double(part.count) / Double(total)).rounded()) : 0
            let text = "\(part.label) \(part.count) (\(share)%)"
            let w = 14 + Double(text.count) * 6.4 + 16
            if lx > 0, lx + w > width { lx = 0; row += 1 }
            legend.append((lx, row, part, text))
            lx += w
        }
        let legendTop = barHeight + 18
        var svg = open(width: width, height: legendTop + Double(row) * rowHeight + 8, kind: "stacked", title: title)
        var x = 0.0
        for part in parts where part.count > 0 {
            let w = total > 0 ? width * Double(part.count) / Double(total) : 0
            svg += "<rect class=\"part\" x=\"\(f(x))\" y=\"0\" width=\"\(f(w))\" height=\"\(f(barHeight))\" fill=\"\(part.color)\">"
                + "<title>\(HTMLReport.escape("\(part.label): \(part.count) \(unit)"))</title></rect>\n"
            x += w
        }
        if total == 0 {
            svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(barHeight))\" fill=\"#f1f3f5\"/>\n"
        }
        for item in legend {
            let y = legendTop + Double(item.row) * rowHeight
            svg += "<rect x=\"\(f(item.x))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(item.part.color)\"/>"
                + "<text x=\"\(f(item.x + 14))\" y=\"\(f(y))\" font-size=\"11\">\(HTMLReport.escape(item.text))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Where a file's rejected rows sit: a strip of the file's length (record 1 to the last) with a
    /// mark per rejected row, so "the last 300 rows are broken" shows at once: `class="chart strip"`.
    static func rejectionStrip(_ file: FileReport) -> String? {
        let ordinals = file.rejected.compactMap(\.location.record)
        guard !ordinals.isEmpty, file.recordsRead > 0 else { return nil }
        let width = 600.0, height = 22.0
        let title = "Where the \(file.recordsRejected) rejected rows sit among the \(file.recordsRead) records"
        var svg = open(width: width, height: height + 16, kind: "strip", title: title)
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#e9ecef\"/>\n"
        let records = Double(max(file.recordsRead, ordinals.max() ?? 1))
        // One mark per distinct pixel column: a thousand rejected rows are not a thousand elements.
        var columns: [Int: Int] = [:]
        for ordinal in ordinals { columns[Int((Double(ordinal - 1) / records * width).rounded(.down)), default: 0] += 1 }
        for (column, count) in columns.sorted(by: { $0.key < $1.key }) {
            svg += "<rect class=\"mark\" x=\"\(column)\" y=\"0\" width=\"1.5\" height=\"\(f(height))\" fill=\"\(rejectedColor)\">"
                + "<title>\(count) rejected near record \(Int(Double(column) / width * records) + 1)</title></rect>\n"
        }
        svg += "<text x=\"0\" y=\"\(f(height + 13))\" font-size=\"11\">record 1</text>"
            + "<text x=\"\(f(width))\" y=\"\(f(height + 13))\" font-size=\"11\" text-anchor=\"end\">record \(file.recordsRead)</text>\n"
        return svg + "</svg>\n"
    }

    private static func open(width: Double, height: Double, kind: String, title: String) -> String {
        "<svg class=\"chart \(kind)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" "
            + "preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"\(HTMLReport.escape(title))\"><title>\(HTMLReport.escape(title))</title>\n"
    }

    /// A coordinate with at most one decimal.
    private static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
