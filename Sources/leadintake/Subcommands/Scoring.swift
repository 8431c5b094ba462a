import ArgumentParser
import Foundation
import LeadCore
import LeadScore
import LeadStore

/// `--profile PATH`: the ICP profile (default config/icp.yml when it exists).
struct ProfileOptions: ParsableArguments {
    @Option(help: "ICP profile (YAML). Default: config/icp.yml when present; \"none\" turns scoring off.")
    var profile: String?

    func load() throws -> ICPProfile? {
        if profile == "none" { return nil }
        let path = profile ?? "config/icp.yml"
        if profile == nil && !FileManager.default.fileExists(atPath: path) { return nil }
        do { return try ICPProfile.load(path: path) } catch { throw ValidationError("\(error)") }
    }
}

struct Rescore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute scores after the profile changed (only leads scored by another profile version, or --all).",
        discussion: "EXAMPLE\n  leadintake rescore --profile config/icp.yml")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var profileOptions: ProfileOptions
    @Flag(help: "Rescore every lead.") var all = false

    func run() throws {
        guard let profile = try profileOptions.load() else { throw ValidationError("no profile: give --profile PATH or create config/icp.yml") }
        let store = try openExistingStore(storeOptions)
        let scorer = Scorer(profile: profile)
        let now = Date()
        let count = try store.rescore(force: all, profileVersion: profile.version) { lead, account in
            scorer.score(lead, account: account, now: now)
        }
        print("rescored \(count) lead(s) with profile \(profile.version.prefix(12))")
    }
}

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Which sources produce prospects.",
        subcommands: [Report.self])

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per source and per referrer: records, new leads, already known, stages, cost per lead.",
            discussion: "EXAMPLE\n  leadintake sources report --config config/sources.yml")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Source definitions with costs (default: config/sources.yml when present).")
        var config: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try openExistingStore(storeOptions)
            var costs: [String: Double] = [:]
            let path = config ?? "config/sources.yml"
            if config != nil || FileManager.default.fileExists(atPath: path) {
                do {
                    for definition in try SourceDefinitions.load(path: path) { costs[definition.name] = definition.cost }
                } catch { throw ValidationError("\(error)") }
            }
            let rows = try store.sourceYield()
            if json {
                struct Row: Encodable {
                    var yield: SourceYield
                    var cost: Double?
                    var costPerLead: Double?
                    var costPerQualifiedLead: Double?
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let output = rows.map { row in
                    let cost = row.kind == "source" ? costs[row.name] : nil
                    return Row(
                        yield: row, cost: cost, costPerLead: cost.flatMap { row.newLeads > 0 ? $0 / Double(row.newLeads) : nil },
                        costPerQualifiedLead: cost.flatMap { row.qualified > 0 ? $0 / Double(row.qualified) : nil })
                }
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
                return
            }
            print(SourceReport.text(rows, costs: costs))
        }
    }
}

enum SourceReport {
    static func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "-" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%" }

    static func text(_ rows: [SourceYield], costs: [String: Double]) -> String {
        var lines = ["by     name                                      records  new  known  dream prospect  lead  disq.  cost  cost/lead  cost/qualified"]
        for row in rows {
            let cost = row.kind == "source" ? costs[row.name] : nil
            let perLead = cost.map { row.newLeads > 0 ? String(format: "%.2f", $0 / Double(row.newLeads)) : "-" } ?? ""
            let perQualified = cost.map { row.qualified > 0 ? String(format: "%.2f", $0 / Double(row.qualified)) : "no prospect" } ?? ""
            let leads = row.leads
            lines.append([
                row.kind.padding(toLength: 6, withPad: " ", startingAt: 0),
                String(row.name.prefix(40)).padding(toLength: 41, withPad: " ", startingAt: 0),
                String(row.records).leftPad(8), String(row.newLeads).leftPad(5), String(row.alreadyKnown).leftPad(6),
                percent(row.stages["dream"] ?? 0, leads).leftPad(6), percent(row.stages["prospect"] ?? 0, leads).leftPad(9),
                percent(row.stages["lead"] ?? 0, leads).leftPad(6), percent(row.stages["disqualified"] ?? 0, leads).leftPad(6),
                (cost.map { String(format: "%.0f", $0) } ?? "").leftPad(6), perLead.leftPad(10), perQualified.leftPad(15),
            ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
