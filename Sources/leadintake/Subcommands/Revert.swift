import ArgumentParser
import Foundation
import LeadPipeline
import LeadStore

struct Revert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo everything a run wrote: an import, an inbox pass or a review decision.",
        discussion: """
            Leads the run created are deleted with their keys and scores; leads it updated get back the \
            state they had before it; merges it made are undone (both leads back, with their ids and \
            records); its source records, issues, review pairs and file rows go, so its files can be \
            imported again; account facts are as before. The run stays in the ledger as `reverted`, \
            and the revert is a run of its own. One transaction: killed at any moment, it is done or not.

            When a later run changed a lead or account this run touched, the revert refuses and names \
            those runs; --cascade reverts them too, newest first. An erasure is never undone: an erased \
            person's before-images are erased with them.

            EXAMPLES
              leadintake runs
              leadintake revert 12 --dry-run
              leadintake revert 12
              leadintake revert 12 --cascade
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run to revert (its id in `leadintake runs`).")
    var runID: Int64

    @Flag(help: "Revert the later runs that depend on this one too, newest first.")
    var cascade = false

    @Flag(help: "Show what would change; change nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let store = try openExistingStore(storeOptions)
        let command = "leadintake revert \(runID)" + (cascade ? " --cascade" : "")
        let result: RevertResult
        do {
            result = try store.transaction(commit: !dryRun) { tx in
                try tx.revert(run: runID, cascade: cascade, command: command, at: Pipeline.now())
            }
        } catch let error as RevertBlocked {
            printError("Error: \(error)")
            throw ExitCode(ExitStatus.nothingLoaded)
        } catch let error as StoreError {
            printError("Error: \(error.message)")
            throw ExitCode(ExitStatus.nothingLoaded)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var shown = result
            if dryRun { shown.revertRunID = nil }
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
            return
        }
        let runs = result.runs.map(String.init).joined(separator: ", ")
        print("\(dryRun ? "would revert" : "reverted") run\(result.runs.count == 1 ? "" : "s") \(runs)")
        print("  leads deleted \(result.leadsDeleted), restored \(result.leadsRestored), merges undone \(result.mergesUndone)")
        print("  source records removed \(result.sourceRecordsRemoved), files removed \(result.filesRemoved) (they can be imported again), review pairs restored \(result.reviewsRestored), accounts restored \(result.accountsRestored)")
        if !dryRun, let id = result.revertRunID { print("  recorded as run \(id) (mode revert)") }
    }
}
