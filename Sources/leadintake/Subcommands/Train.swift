import ArgumentParser
import Foundation
import LeadCore
import LeadMatch
import LeadPipeline
import LeadStore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refit the match model on the store's records (EM) and save it for later runs.",
        discussion: """
            Pairs of records that share a blocking key give the m-probabilities (by expectation-maximisation); \
            random pairs give the u-probabilities. The store keeps every fitted model; imports use the latest.

            EXAMPLE
              leadintake train --sample 50000
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Source records to read at most.") var sample = 50_000
    @Option(help: "Candidate pairs to use at most.") var maxPairs = 200_000

    @Option(help: "Seed of the random-pair sampler: the same store and seed give the same model.") var seed: UInt64 = 1

    func run() throws {
        let store = try openExistingStore(storeOptions)
        let result: Training.Result
        do {
            result = try Training.fit(store: store, sample: sample, maxPairs: maxPairs, seed: seed)
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
        let model = result.model
        try store.saveMatchModel(model, at: Date().formatted(.iso8601))
        print("trained on \(result.records) records: \(result.candidatePairs) candidate pairs, \(result.randomPairs) random pairs, \(result.iterations) EM iterations")
        print("estimated share of matches among candidate pairs: \(String(format: "%.3f", model.prior))")
        for field in model.fields.keys.sorted() {
            let levels = model.fields[field]!.sorted { $0.value.weight != $1.value.weight ? $0.value.weight > $1.value.weight : $0.key < $1.key }
                .map { "\($0.key) \(String(format: "%+.1f", $0.value.weight))" }
            print("  \(field): \(levels.joined(separator: ", "))")
        }
    }
}
