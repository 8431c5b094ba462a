import Foundation
import LeadCore
import LibXML

/// Tables of people on a page: an attendee list, a speaker table, a partner directory. A table is a
/// people table when its header cells map, through the same synonyms as CSV headers, to at least two
/// person fields including a name or an e-mail; summary and layout tables are not.
enum HTMLTables {
    struct Cell {
        var column: String
        var value: String
        var field: LeadField?
    }

    struct Row {
        var line: Int
        var cells: [Cell]
    }

    struct Table {
        var line: Int
        var header: [String]
        var rows: [Row]
    }

    static func peopleTables(in document: DOMDocument) -> [Table] {
        var result: [Table] = []
        for table in (try? document.select("//table")) ?? [] {
            if let people = peopleTable(table) { result.append(people) }
        }
        return result
    }

    /// The rows of a table itself (not of tables nested in its cells).
    private static func rows(of table: DOMNode) -> [DOMNode] {
        var rows: [DOMNode] = []
        for child in table.elements {
            switch child.name {
            case "tr": rows.append(child)
            case "thead", "tbody", "tfoot": rows += child.elements.filter { $0.name == "tr" }
            default: break
            }
        }
        return rows
    }

    /// Cells of a row with `colspan` expanded (a spanning cell fills each column it covers).
    private static func cells(of row: DOMNode) -> [DOMNode] {
        spans(of: row).flatMap { Array(repeating: $0.cell, count: $0.span) }
    }

    /// Cells of a row with their column spans.
    private static func spans(of row: DOMNode) -> [(cell: DOMNode, span: Int)] {
        row.elements.filter { $0.name == "td" || $0.name == "th" }.map { cell in
            (cell, min(max(Int(cell.attribute("colspan") ?? "1") ?? 1, 1), 50))
        }
    }

    private static func isNamePart(_ field: LeadField?) -> Bool {
        switch field {
        case .givenName?, .familyName?, .middleName?, .displayName?, .namePrefix?, .nameSuffix?: true
        default: false
        }
    }

    private static func peopleTable(_ table: DOMNode) -> Table? {
        let allRows = rows(of: table)
        guard allRows.count >= 2 else { return nil }
        // Header: the last row of <thead>, else the first row made of <th>, else the first row.
        var headerIndex = 0
        if let theadRow = table.elements.first(where: { $0.name == "thead" })?.elements.last(where: { $0.name == "tr" }),
           let index = allRows.firstIndex(where: { $0.isSame(as: theadRow) }) {
            headerIndex = index
        } else if let index = allRows.prefix(5).firstIndex(where: { row in
            let cells = row.elements.filter { $0.name == "td" || $0.name == "th" }
            return !cells.isEmpty && cells.allSatisfy { $0.name == "th" }
        }) {
            headerIndex = index
        }
        let header = cells(of: allRows[headerIndex]).map { HTMLText.text(of: $0) }
        let fields = header.map(FieldSynonyms.field(forHeader:))
        let mapped = fields.compactMap { $0 }
        let personal = mapped.contains { field in
            switch field {
            case .displayName, .givenName, .familyName, .email: true
            default: false
            }
        }
        guard mapped.count >= 2, personal else { return nil }
        var rows: [Row] = []
        for row in allRows[(headerIndex + 1)...] {
            let spans = spans(of: row)
            guard spans.contains(where: { $0.cell.name == "td" }) else { continue }
            var cells: [Cell] = []
            var index = 0
            for (cell, span) in spans {
                defer { index += span }
                let column = index < header.count && !header[index].isEmpty ? header[index] : "column \(index + 1)"
                var field = index < fields.count ? fields[index] : nil
                // A cell spanning "First Name" and "Last Name" holds the whole name.
                if span > 1 {
                    let covered = (index..<min(index + span, fields.count)).map { fields[$0] }
                    if covered.count > 1, covered.allSatisfy(isNamePart) { field = .displayName }
                }
                let text = HTMLText.text(of: cell)
                var links: [Cell] = []
                var linkedEmail = false, linkedPhone = false
                // Links in a cell carry contact data the text may not show.
                for link in (try? cell.select(".//a[@href]")) ?? [] {
                    guard let href = link.attribute("href") else { continue }
                    let lowered = href.lowercased()
                    if lowered.hasPrefix("mailto:") {
                        linkedEmail = true
                        links.append(Cell(column: column + " (link)", value: HTMLRecordReader.contactValue(href, scheme: "mailto:"), field: .email(.other)))
                    } else if lowered.hasPrefix("tel:") {
                        linkedPhone = true
                        links.append(Cell(column: column + " (link)", value: HTMLRecordReader.contactValue(href, scheme: "tel:"), field: .phone(.other)))
                    } else if ["linkedin.com/in/", "xing.com/profile/", "twitter.com/", "x.com/", "github.com/"].contains(where: lowered.contains) {
                        links.append(Cell(column: column + " (link)", value: href, field: .socialProfile))
                    } else if field == .company || field == .website {
                        links.append(Cell(column: column + " (link)", value: href, field: .website))
                    }
                }
                // Link text such as "Mail" or "call" is not an address: the link is.
                var textField = field
                if case .email? = field, !text.contains("@") { textField = nil }
                if case .phone? = field, linkedPhone || !text.contains(where: \.isNumber) { textField = nil }
                if linkedEmail, case .email? = field, text.contains("@") {
                    links.removeAll { $0.field == .email(.other) && $0.value.lowercased() == text.lowercased() }
                }
                cells.append(Cell(column: column, value: text, field: textField))
                cells += links
            }
            guard cells.contains(where: { !$0.value.isEmpty }) else { continue }
            rows.append(Row(line: row.line, cells: cells))
        }
        guard !rows.isEmpty else { return nil }
        return Table(line: table.line, header: header, rows: rows)
    }
}
