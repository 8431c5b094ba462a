import ArgumentParser
import LeadPipeline
import LeadStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export leads or provenance from the store.",
        discussion: """
            leads: one row per lead with its best values.
            provenance: one row per imported record: file, record, line, lead_id, source, ...
            accounts: leads grouped into companies by registrable domain, else by company name.

            EXAMPLES
              leadintake export leads --out leads.csv
              leadintake export provenance --format json --out provenance.json
            """)

    enum What: String, ExpressibleByArgument, CaseIterable { case leads, provenance, accounts }

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "What to export: leads or provenance.")
    var what: What

    @Option(help: "csv or json.")
    var format: Exporter.Format = .csv

    @Option(help: "Output file (default: standard output).")
    var out: String?

    func run() throws {
        let store = try openExistingStore(storeOptions)
        let sink = try OutputSink(path: out)
        let count: Int
        switch what {
        case .leads: count = try Exporter.exportLeads(from: store, format: format, sink: sink.write)
        case .provenance: count = try Exporter.exportProvenance(from: store, format: format, sink: sink.write)
        case .accounts: count = try Exporter.exportAccounts(from: store, format: format, sink: sink.write)
        }
        try sink.flush()
        if let out { printError("exported \(count) \(what.rawValue) to \(out)") }
    }
}

extension Exporter.Format: ExpressibleByArgument {}
