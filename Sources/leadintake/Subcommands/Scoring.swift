import ArgumentParser
import Foundation
import LeadCore
import LeadPipeline
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

/// `leadintake profile check|convert FILE`: work on an ICP profile without a store.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an ICP profile, or convert a profile in the old points format to stage rules.",
        subcommands: [Check.self, Convert.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a profile: every atom, value and name, with file and line for each mistake.",
            discussion: "EXAMPLE\n  leadintake profile check config/icp.yml")

        @Argument(help: "Profile file (YAML).") var file: String

        func run() throws {
            let profile: ICPProfile
            do { profile = try ICPProfile.load(path: file) } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.nothingLoaded)
            }
            print("\(file): \(profile.name ?? "(unnamed profile)"), version \(profile.version.prefix(12))")
            for definition in profile.definitions { print("  define \(definition.name)") }
            for rule in profile.stages { print("  line \(rule.line): \(rule.stage.rawValue)") }
            print("ok")
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a points-format profile (persona, firmographics, disqualifiers) as stage rules.",
            discussion: """
                Prints the rule-form profile on standard output (or writes it with --out). Points become the \
                values a stage asks for: the seniorities and departments with points, the industries, sizes \
                and countries the profile favoured, its disqualifiers.

                EXAMPLE
                  leadintake profile convert old-icp.yml --out config/icp.yml
                """)

        @Argument(help: "Profile file in the old points format.") var file: String
        @Option(help: "Write the converted profile here instead of standard output.") var out: String?

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                printError("Error: cannot read \(file): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.nothingLoaded)
            }
            let converted: String
            do { converted = try LegacyProfile.convert(text, file: file) } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.nothingLoaded)
            }
            if let out {
                do { try converted.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    printError("Error: cannot write \(out): \(error.localizedDescription)")
                    throw ExitCode(ExitStatus.nothingLoaded)
                }
                print("wrote \(out)")
            } else {
                print(converted, terminator: converted.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
