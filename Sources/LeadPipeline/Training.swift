import Foundation
import LeadCore
public import LeadMatch
public import LeadStore

/// `leadintake train`: refits the match model on the store's own records. Deterministic: the same
/// store, sample sizes and seed give the same model (blocks in key order, a seeded sampler for the
/// random pairs, EM sums in field order).
public enum Training {
    public struct Result: Sendable {
        public var model: MatchModel
        public var records: Int
        public var candidatePairs: Int
        public var randomPairs: Int
        public var iterations: Int
    }

    public static func fit(store: any LeadStore, sample: Int = 50_000, maxPairs: Int = 200_000, seed: UInt64 = 1) throws -> Result {
        let current = try store.matchModel() ?? .builtIn
        var profiles: [MatchProfile] = []
        var blocks: [MatchKey: [Int]] = [:]
        let matcher = ProbabilisticMatcher(model: current)
        try store.forEachSourceRecord(limit: sample) { record in
            let index = profiles.count
            profiles.append(MatchProfile(record: record))
            for key in matcher.lookupKeys(for: Lead(record: record)) { blocks[key, default: []].append(index) }
        }
        guard profiles.count >= 2 else { throw StoreError("the store has \(profiles.count) record(s): nothing to train on") }
        let comparator = Comparator(model: current)
        func vector(_ a: Int, _ b: Int) -> [String: String] {
            var vector: [String: String] = [:]
            for field in comparator.compare(profiles[a], profiles[b]).fields { vector[field.field] = field.level }
            return vector
        }
        var seen = Set<[Int]>()
        var pairs: [[String: String]] = []
        let keys = blocks.keys.sorted { $0.kind != $1.kind ? $0.kind < $1.kind : $0.value < $1.value }
        outer: for key in keys {
            let members = blocks[key]!
            guard members.count > 1 && members.count <= 50 else { continue }
            for i in 0..<members.count {
                for j in (i + 1)..<members.count {
                    let pair = [min(members[i], members[j]), max(members[i], members[j])]
                    guard pair[0] != pair[1], seen.insert(pair).inserted else { continue }
                    pairs.append(vector(pair[0], pair[1]))
                    if pairs.count >= maxPairs { break outer }
                }
            }
        }
        var generator = SeededGenerator(seed: seed)
        let randomPairs = (0..<min(100_000, profiles.count * 10)).map { _ in
            vector(Int.random(in: 0..<profiles.count, using: &generator), Int.random(in: 0..<profiles.count, using: &generator))
        }
        let (model, iterations) = current.trained(pairs: pairs, randomPairs: randomPairs)
        return Result(model: model, records: profiles.count, candidatePairs: pairs.count, randomPairs: randomPairs.count, iterations: iterations)
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a
/// small seeded generator, written here because the standard library has only the system's.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
