import ArgumentParser
import Foundation
import LeadCore
import LeadMatch
import LeadPipeline
import LeadStore

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase a person from the store and suppress them, so no later import brings them back.",
        discussion: """
            Every stored lead that bears one of the person's e-mails, phones or profile URLs is deleted with \
            its keys, scores, source records (raw and normalized fields), their issues and any issue quoting \
            them, review pairs, merge history, and its account's facts when nobody else is at the account. \
            Each identifier the person had is then suppressed: the store keeps a keyed hash (HMAC-SHA-256 \
            with a secret made for the store), never the value, with the date and the reason. What remains \
            is counts: the ledger still says how many records each run loaded.

            A SQLite store is then rewritten (secure_delete, VACUUM, WAL checkpoint) so that neither freed \
            pages nor the WAL keep a copy. PostgreSQL deletes the rows; WAL archives and backups keep them \
            for as long as the operator's retention policy says (docs/privacy.md).

            EXAMPLES
              leadintake erase --email jane.doe@example.com --reason "GDPR art. 17 request 2026-118"
              leadintake erase --lead 4711 --reason "asked by phone"
              leadintake erase --file requests.csv --reason "erasure requests, November"
              leadintake erase --email jane.doe@example.com --dry-run
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "An e-mail address of the person (repeatable).")
    var email: [String] = []

    @Option(help: "A lead id (repeatable).")
    var lead: [Int64] = []

    @Option(help: "A list of people: a CSV (or any importable file) with an e-mail, phone or profile-URL column.")
    var file: String?

    @Option(help: "Why: kept with each suppression (do not put personal data here).")
    var reason: String = "erasure request"

    @Flag(help: "Show what would be erased; change nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard !email.isEmpty || !lead.isEmpty || file != nil else { throw ValidationError("give --email, --lead or --file") }
        for address in email where !address.contains("@") { throw ValidationError("--email \(Redact.email(address)) is not an e-mail address") }
    }

    func run() throws {
        let store = try openExistingStore(storeOptions)
        var targets = email.map { Suppression.identifiers(email: $0) }
        var source = [email.isEmpty ? nil : "\(email.count) e-mail(s) on the command line", lead.isEmpty ? nil : "\(lead.count) lead id(s)"].compactMap { $0 }
        if let file {
            let list = try readList(file, domains: false)
            targets += list.people
            source.append("list \((file as NSString).lastPathComponent)")
        }
        let report: Suppression.ErasureReport
        do {
            report = try Suppression.erase(
                targets: targets, leadIDs: lead, reason: reason, source: source.joined(separator: ", "), in: store, dryRun: dryRun)
        } catch let error as StoreError {
            printError("Error: \(error.message)")
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        let c = report.counts
        let verb = dryRun ? "would erase" : "erased"
        print("\(verb) \(report.erasedLeads.count) lead(s)\(report.erasedLeads.isEmpty ? "" : " (" + report.erasedLeads.map(String.init).joined(separator: ", ") + ")")"
            + (c.mergedLeads > 0 ? " and the history of \(c.mergedLeads) lead(s) merged into them" : ""))
        print("  source records \(c.sourceRecords), issues \(c.issues), review pairs \(c.reviews), merge rows \(c.merges), account facts \(c.accounts), file facts \(c.files)")
        print("  \(dryRun ? "would suppress" : "suppressed") \(c.suppressed) identifier(s)" + (report.unmatched > 0 ? "; \(report.unmatched) of those asked for are on no stored lead (suppressed all the same)" : ""))
        if let purge = report.purge { print("  \(purge)") }
        if let run = report.runID { print("  recorded as run \(run) (mode erase)") }
    }
}

/// Reads a list of people or domains for `erase` and `suppress`; rows that name nothing are listed by line.
func readList(_ path: String, domains: Bool) throws -> Suppression.List {
    let list: Suppression.List
    do {
        list = try Suppression.readList(path: path, domains: domains)
    } catch let error as ImportError {
        printError("Error: \(error)")
        throw ExitCode(2)
    }
    for issue in list.skipped.prefix(20) {
        printError("  skipped \(issue.location.file):\(issue.location.line ?? 0): \(issue.message)")
    }
    if list.skipped.count > 20 { printError("  … \(list.skipped.count - 20) more rows skipped") }
    if list.people.isEmpty && list.domains.isEmpty {
        printError("Error: \(path): no e-mail, phone, profile URL\(domains ? " or domain" : "") in \(list.records) row(s); nothing to do")
        throw ExitCode(2)
    }
    return list
}
