import ArgumentParser
import Foundation
import LeadCore
import LeadMatch
import LeadPipeline
import LeadStore

struct Suppress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a do-not-contact list: no later import stores a record of anyone on it.",
        discussion: """
            The list is any file the importers read; its rows give e-mails, phones, profile URLs or whole \
            domains (`@competitor.example` in the e-mail column, or a row with only a domain or website). \
            The store keeps a keyed hash of each (HMAC-SHA-256 with the store's secret), never the value. \
            Leads already stored stay (use `erase` to remove a person); the hand-off exports leave out \
            leads that bear a suppressed identifier.

            EXAMPLES
              leadintake suppress --file dnc.csv --reason "do not contact (legal, 2026-12)"
              leadintake suppress --email press@example.com --reason "asked not to be contacted"
              leadintake suppressions
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "A do-not-contact list (CSV or any importable file).")
    var file: String?

    @Option(help: "An e-mail address (repeatable); `@domain` suppresses the whole domain.")
    var email: [String] = []

    @Option(help: "Why: kept with each suppression (do not put personal data here).")
    var reason: String = "do not contact"

    func validate() throws {
        guard file != nil || !email.isEmpty else { throw ValidationError("give --file or --email") }
    }

    func run() throws {
        let store = try openStore(storeOptions.url)
        var keys: [SuppressionKey] = []
        var source: [String] = []
        var records = 0
        if let file {
            let list = try readList(file, domains: true)
            keys += list.allKeys
            records = list.records
            source.append("list \((file as NSString).lastPathComponent)")
        }
        for address in email {
            if address.hasPrefix("@") {
                keys += SuppressionKeys.domains(emails: [EmailAddress(raw: address)], domain: nil)
            } else {
                keys += Suppression.identifiers(email: address)
            }
        }
        if !email.isEmpty { source.append("\(email.count) e-mail(s) on the command line") }
        let added = try Suppression.suppress(keys, reason: reason, source: source.joined(separator: ", "), in: store)
        let byKind = Dictionary(grouping: Set(keys), by: \.kind).mapValues(\.count)
        let kinds = SuppressionKey.Kind.allCases.compactMap { kind in byKind[kind].map { "\($0) \(kind.rawValue)" } }.joined(separator: ", ")
        print("suppressed \(added) new identifier(s) (\(kinds))" + (records > 0 ? " from \(records) row(s)" : "")
            + (added < Set(keys).count ? "; \(Set(keys).count - added) were suppressed already" : ""))
    }
}

struct Suppressions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count the store's suppressions by reason, kind and day (never a value).")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let rows = try openExistingStore(storeOptions).suppressionCounts()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        guard !rows.isEmpty else {
            print("no suppressions")
            return
        }
        print("date        kind     count  reason")
        for row in rows {
            print(row.date.padding(toLength: 11, withPad: " ", startingAt: 0) + " " + row.kind.padding(toLength: 8, withPad: " ", startingAt: 0)
                + " " + String(row.count).padding(toLength: 6, withPad: " ", startingAt: 0) + " " + row.reason)
        }
        print("total \(rows.reduce(0) { $0 + $1.count })")
    }
}
