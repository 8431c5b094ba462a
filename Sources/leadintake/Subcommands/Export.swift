import ArgumentParser
import Foundation
import LeadPipeline
import LeadScore
import LeadStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export leads, provenance or accounts from the store, or hand leads off to a CRM.",
        discussion: """
            leads: one row per lead with its best values.
            provenance: one row per imported record: file, record, line, lead_id, source, ...
            accounts: leads grouped into companies by registrable domain, else by company name.

            Hand-off formats for leads (files a CRM imports without a mapping step):
              hubspot     a CSV whose headers HubSpot's contact import maps (First Name, Email, ...,
                          Lifecycle Stage, Lead Status) plus LeadIntake Lead ID, Fit Score, Stage, Source
              salesforce  the Lead object's import columns; Company is never empty (the company, its
                          domain, else the profile's handoff.salesforce_company, else "[not provided]")
              vcard       vCard 4.0 for Apple Contacts, Google Contacts, Thunderbird
            Leads bearing a suppressed identifier are never handed off. Every CSV keeps the formula
            guard; phone numbers stay dialable.

            EXAMPLES
              leadintake export leads --out leads.csv
              leadintake export provenance --format json --out provenance.json
              leadintake export leads --format hubspot --stage dream,prospect --out hubspot.csv
              leadintake export leads --format salesforce --since-run 42 --out today.csv
              leadintake export leads --format vcard --stage dream --out dream.vcf
            """)

    enum What: String, ExpressibleByArgument, CaseIterable { case leads, provenance, accounts }

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, hubspot, salesforce, vcard }

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var profileOptions: ProfileOptions

    @Argument(help: "What to export: leads, provenance or accounts.")
    var what: What

    @Option(help: "csv, json, or for leads a hand-off format: hubspot, salesforce, vcard.")
    var format: Format = .csv

    @Option(help: "Only leads of these stages (comma-separated: dream, prospect, lead, disqualified).")
    var stage: String?

    @Option(help: "Only leads created or changed in run N or later (the daily hand-off: the last run handed off plus one).")
    var sinceRun: Int64?

    @Option(help: "Output file (default: standard output).")
    var out: String?

    func validate() throws {
        if what != .leads && (stage != nil || sinceRun != nil) { throw ValidationError("--stage and --since-run select leads: use them with `export leads`") }
        if what != .leads && ![.csv, .json].contains(format) { throw ValidationError("--format \(format.rawValue) is for `export leads`") }
        _ = try stages()
    }

    func stages() throws -> Set<Stage>? {
        guard let stage else { return nil }
        var stages = Set<Stage>()
        for name in stage.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let value = Stage(rawValue: name) else {
                throw ValidationError("--stage: unknown stage \"\(name)\" (expected \(Stage.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            stages.insert(value)
        }
        return stages
    }

    func run() throws {
        let store = try openExistingStore(storeOptions)
        let sink = try OutputSink(path: out)
        var message: String
        switch (what, format) {
        case (_, .hubspot), (_, .salesforce), (_, .vcard):
            let target = Handoff.Target(rawValue: format.rawValue)!
            let filter = Handoff.Filter(stages: try stages(), sinceRun: sinceRun)
            let result = try Handoff.export(
                from: store, target: target, filter: filter, companyFallback: try profileOptions.load()?.handoffCompany, sink: sink.write)
            message = "exported \(result.exported) lead(s) for \(format.rawValue)"
            if result.suppressed > 0 { message += "; \(result.suppressed) left out (suppressed)" }
        case (.leads, _), (.provenance, _), (.accounts, _):
            let plain: Exporter.Format = format == .json ? .json : .csv
            var count: Int
            switch what {
            case .leads:
                let filter = Handoff.Filter(stages: try stages(), sinceRun: sinceRun)
                count = try Exporter.exportLeads(from: store, format: plain, filter: filter, sink: sink.write)
            case .provenance: count = try Exporter.exportProvenance(from: store, format: plain, sink: sink.write)
            case .accounts: count = try Exporter.exportAccounts(from: store, format: plain, sink: sink.write)
            }
            message = "exported \(count) \(what.rawValue)"
        }
        try sink.flush()
        if let out { printError(message + " to \(out)") }
    }
}
