import ArgumentParser
import Foundation
import LeadCore
import LeadMatch
import LeadScore
import LeadStore

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide pairs of leads the matcher was unsure about.",
        discussion: """
            A pair lands in the review queue when a record is probably, but not surely, the same person as \
            an existing lead. Accepting merges the two leads (the older id survives); rejecting keeps them \
            apart for good. Later runs respect both decisions.

            EXAMPLES
              leadintake review list
              leadintake review show 3
              leadintake review accept 3
              leadintake review reject 4
            """,
        subcommands: [List.self, Show.self, Accept.self, Reject.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pending pairs (or all with --all).")
        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Include decided pairs.") var all = false

        func run() throws {
            let store = try openExistingStore(storeOptions)
            let items = try store.reviews(status: all ? nil : "pending")
            if items.isEmpty { print(all ? "the review queue is empty" : "nothing to review"); return }
            // The pairs whose decision changes most come first: pending before decided, then the
            // pair's records (a merge of two large leads joins more history), then its best fit.
            struct Row {
                var item: ReviewItem
                var names: (String, String)
                var records: Int
                var fit: Int
            }
            var rows: [Row] = []
            for item in items {
                let a = try store.lead(id: item.leadID), b = try store.lead(id: item.otherLeadID)
                rows.append(Row(
                    item: item, names: (a?.lead.name.best ?? "(merged)", b?.lead.name.best ?? "(merged)"),
                    records: (a?.lead.recordCount ?? 0) + (b?.lead.recordCount ?? 0), fit: max(a?.score?.fit ?? 0, b?.score?.fit ?? 0)))
            }
            rows.sort { x, y in
                let (px, py) = (x.item.status == "pending", y.item.status == "pending")
                if px != py { return px }
                if x.records != y.records { return x.records > y.records }
                if x.fit != y.fit { return x.fit > y.fit }
                return x.item.id < y.item.id
            }
            for row in rows {
                let item = row.item
                // A vetoed pair is never shown as certainty: the veto says why it is not merged.
                let veto = item.comparison.veto.map { " (no merge: \($0))" } ?? ""
                print("#\(item.id)  \(item.status.padding(toLength: 9, withPad: " ", startingAt: 0)) P=\(String(format: "%.3f", item.probability))\(veto)  lead \(item.leadID) \(row.names.0)  ~  lead \(item.otherLeadID) \(row.names.1)  [\(row.records) records\(row.fit > 0 ? ", fit \(row.fit)" : "")]")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a pair side by side with the comparison of each field.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "Review item id.") var id: Int64

        func run() throws {
            let store = try openExistingStore(storeOptions)
            guard let item = try store.review(id: id) else { throw ValidationError("no review item \(id)") }
            let left = try store.lead(id: item.leadID)?.lead
            let right = try store.lead(id: item.otherLeadID)?.lead
            print("Review #\(item.id) (\(item.status)): lead \(item.leadID) vs lead \(item.otherLeadID), P=\(String(format: "%.3f", item.probability))")
            func row(_ label: String, _ a: String?, _ b: String?) {
                print(label.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + (a ?? "").padding(toLength: 38, withPad: " ", startingAt: 0) + " | " + (b ?? ""))
            }
            row("name", left?.name.best, right?.name.best)
            row("emails", left?.emails.map { $0.normalized ?? $0.raw }.joined(separator: ", "), right?.emails.map { $0.normalized ?? $0.raw }.joined(separator: ", "))
            row("phones", left?.phones.map { $0.normalized ?? $0.raw }.joined(separator: ", "), right?.phones.map { $0.normalized ?? $0.raw }.joined(separator: ", "))
            row("company", left?.company, right?.company)
            row("title", left?.title, right?.title)
            row("domain", left?.domain, right?.domain)
            row("city", left?.location.city, right?.location.city)
            row("country", left?.location.countryCode ?? left?.location.country, right?.location.countryCode ?? right?.location.country)
            print("")
            print(ExplainPrinter.waterfall(item.comparison))
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Same person: merge the two leads.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "Review item id.") var id: Int64

        func run() throws {
            let store = try openExistingStore(storeOptions)
            guard let item = try store.review(id: id) else { throw ValidationError("no review item \(id)") }
            try store.decideReview(id: id, accept: true, at: Date().formatted(.iso8601))
            print("merged lead \(max(item.leadID, item.otherLeadID)) into lead \(min(item.leadID, item.otherLeadID))")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Different people: keep the two leads apart for good.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "Review item id.") var id: Int64

        func run() throws {
            let store = try openExistingStore(storeOptions)
            try store.decideReview(id: id, accept: false, at: Date().formatted(.iso8601))
            print("kept apart")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which records form a lead, for each link the field-by-field match weights, and why it has its stage.",
        discussion: "EXAMPLE\n  leadintake explain 42")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "Lead id.") var leadID: Int64

    func run() throws {
        let store = try openExistingStore(storeOptions)
        guard let stored = try store.lead(id: leadID) else { throw ValidationError("no lead \(leadID)") }
        let lead = stored.lead
        print("Lead \(leadID): \(lead.name.best ?? "(no name)") — \(lead.recordCount) record(s)")
        for field in Lead.trackedFields {
            if let source = lead.fieldSources[field] { print("  \(field) from \(source)") }
        }
        if !lead.aliases.isEmpty { print("  also seen as: \(lead.aliases.joined(separator: "; "))") }
        for job in lead.history { print("  earlier: \(job.title ?? "?") at \(job.company ?? "?") (\(job.seenIn ?? "?"))") }
        print("")
        for record in try store.sourceRecords(leadID: leadID) {
            print("\(record.file):\(record.line) (record \(record.record), run \(record.runID)): \(record.match)")
            if let comparison = record.comparison {
                print(ExplainPrinter.waterfall(comparison).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            } else {
                print("    \(record.explanation)")
            }
        }
        for merge in try store.merges(leadID: leadID) {
            print("merged lead \(merge.mergedLeadID) in at \(merge.mergedAt): \(merge.reason)")
        }
        if let card = try store.scoreCard(leadID: leadID) {
            print("")
            print("Stage \(card.stage.rawValue), fit \(card.fit), tier \(card.tier) (profile \(card.profileVersion.prefix(12)))")
            for rule in card.rules ?? [] {
                print("  \(rule.stage.rawValue) (profile line \(rule.line)):")
                print(rule.trace.lines(indent: 2).joined(separator: "\n"))
            }
            if !card.missing.isEmpty { print("  unknown: \(card.missing.joined(separator: ", "))") }
        }
    }
}

enum ExplainPrinter {
    /// The waterfall of match weights: prior, each field, total and probability.
    static func waterfall(_ comparison: Comparison) -> String {
        var lines: [String] = []
        var running = comparison.priorWeight
        lines.append("prior".padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%+6.1f", comparison.priorWeight) + String(format: "  → %+6.1f", running))
        for field in comparison.fields {
            running += field.weight
            lines.append(field.field.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%+6.1f", field.weight)
                + String(format: "  → %+6.1f  ", running) + field.level + (field.detail.isEmpty ? "" : " (\(field.detail))"))
        }
        lines.append("match probability \(String(format: "%.4f", comparison.probability))" + (comparison.veto.map { "; no automatic merge: \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
