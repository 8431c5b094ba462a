import ArgumentParser
import Foundation
import LeadStore

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the ledger of runs, newest first.",
        discussion: "EXAMPLE\n  leadintake runs --store sqlite:data/leads.sqlite")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let runs = try openExistingStore(storeOptions).runs()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(runs), as: UTF8.self))
            return
        }
        print("run  mode     status       started                   files (loaded/skipped/failed)  records (read/loaded/rejected)  leads new/merged")
        for run in runs {
            let files = "\(run.filesSeen) (\(run.filesLoaded)/\(run.filesSkipped)/\(run.filesFailed))"
            let records = "\(run.recordsRead)/\(run.recordsLoaded)/\(run.recordsRejected)"
            print([
                String(run.id).padding(toLength: 4, withPad: " ", startingAt: 0),
                run.mode.padding(toLength: 8, withPad: " ", startingAt: 0),
                run.status.padding(toLength: 12, withPad: " ", startingAt: 0),
                run.startedAt.padding(toLength: 25, withPad: " ", startingAt: 0),
                files.padding(toLength: 30, withPad: " ", startingAt: 0),
                records.padding(toLength: 31, withPad: " ", startingAt: 0),
                "\(run.leadsNew)/\(run.leadsMerged)",
            ].joined(separator: " "))
            for error in run.errors { print("     ! \(error)") }
        }
    }
}
