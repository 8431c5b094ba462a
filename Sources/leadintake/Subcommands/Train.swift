import ArgumentParser
import Foundation
import LeadCore
import LeadMatch
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

    func run() throws {
        let store = try openExistingStore(storeOptions)
        let current = try store.matchModel() ?? .builtIn
        var profiles: [MatchProfile] = []
        var blocks: [MatchKey: [Int]] = [:]
        let matcher = ProbabilisticMatcher(model: current)
        try store.forEachSourceRecord(limit: sample) { record in
            let index = profiles.count
            profiles.append(MatchProfile(record: record))
            for key in matcher.lookupKeys(for: Lead(record: record)) { blocks[key, default: []].append(index) }
        }
        guard profiles.count >= 2 else { throw ValidationError("the store has \(profiles.count) record(s): nothing to train on") }
        let comparator = Comparator(model: current)
        func vector(_ a: Int, _ b: Int) -> [String: String] {
            var vector: [String: String] = [:]
            for field in comparator.compare(profiles[a], profiles[b]).fields { vector[field.field] = field.level }
            return vector
        }
        var seen = Set<[Int]>()
        var pairs: [[String: String]] = []
        outer: for members in blocks.values where members.count > 1 && members.count <= 50 {
            for i in 0..<members.count {
                for j in (i + 1)..<members.count {
                    let pair = [min(members[i], members[j]), max(members[i], members[j])]
                    guard pair[0] != pair[1], seen.insert(pair).inserted else { continue }
                    pairs.append(vector(pair[0], pair[1]))
                    if pairs.count >= maxPairs { break outer }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let randomPairs = (0..<min(100_000, profiles.count * 10)).map { _ in
            vector(Int.random(in: 0..<profiles.count, using: &generator), Int.random(in: 0..<profiles.count, using: &generator))
        }
        let (model, iterations) = current.trained(pairs: pairs, randomPairs: randomPairs)
        try store.saveMatchModel(model, at: Date().formatted(.iso8601))
        print("trained on \(profiles.count) records: \(pairs.count) candidate pairs, \(randomPairs.count) random pairs, \(iterations) EM iterations")
        print("estimated share of matches among candidate pairs: \(String(format: "%.3f", model.prior))")
        for field in model.fields.keys.sorted() {
            let levels = model.fields[field]!.sorted { $0.value.weight > $1.value.weight }
                .map { "\($0.key) \(String(format: "%+.1f", $0.value.weight))" }
            print("  \(field): \(levels.joined(separator: ", "))")
        }
    }
}
