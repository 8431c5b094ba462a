import Foundation

/// The Fellegi-Sunter model: for each field and agreement level, the probability `m` of that level
/// among true matches and `u` among non-matches; a level's weight is log2(m/u).
///
/// The built-in parameters are priors chosen for lead data (a shared personal e-mail is near-certain,
/// a shared company is common among different people), so a 50-record import matches well before any
/// training. ``MatchModel/trained(pairs:randomPairs:iterations:)`` refits `m` by EM on candidate pairs
/// and `u` from random pairs; the store keeps the result and `leadintake train` refreshes it.
public struct MatchModel: Codable, Sendable, Equatable {
    public struct Level: Codable, Sendable, Equatable {
        public var m: Double
        public var u: Double
        public init(m: Double, u: Double) {
            self.m = m
            self.u = u
        }
        public var weight: Double { log2(max(m, 1e-9) / max(u, 1e-9)) }
    }

    /// field → level → probabilities.
    public var fields: [String: [String: Level]]
    /// Prior probability that two records sharing a blocking key are the same person.
    public var prior: Double
    /// Probability at or above which a record joins a lead.
    public var mergeThreshold: Double
    /// Probability at or above which (and below the merge threshold) the pair goes to review.
    public var reviewThreshold: Double
    /// How the parameters were obtained ("built-in priors", "EM on 1234 pairs, 17 iterations").
    public var origin: String

    public var priorWeight: Double { log2(prior / (1 - prior)) }

    public func level(_ field: String, _ level: String) -> Level? { fields[field]?[level] }

    public func weight(_ field: String, _ level: String) -> Double { fields[field]?[level]?.weight ?? 0 }

    /// Probability of a match for a total of field weights.
    public func probability(totalWeight: Double) -> Double {
        1 / (1 + pow(2, -(totalWeight + priorWeight)))
    }

    public static let builtIn = MatchModel(
        fields: [
            "email": ["exact": Level(m: 0.70, u: 0.0001), "local": Level(m: 0.04, u: 0.01), "role": Level(m: 0.02, u: 0.01),
                      "colleague": Level(m: 0.03, u: 0.3),
                      // Another mailbox made of the same name at the same domain: a company's second
                      // pattern or alias domain, or a vendor's guess; random pairs almost never show it.
                      "alias": Level(m: 0.08, u: 0.002),
                      "differ": Level(m: 0.20, u: 0.9894)],
            "name": ["exact": Level(m: 0.70, u: 0.0005), "fuzzy": Level(m: 0.18, u: 0.003), "swapped": Level(m: 0.02, u: 0.0001),
                     "initial": Level(m: 0.05, u: 0.004), "family-only": Level(m: 0.02, u: 0.03),
                     "given-only": Level(m: 0.02, u: 0.06), "differ": Level(m: 0.01, u: 0.9009)],
            // "shared": a number that people with other family names bear too (a switchboard).
            "phone": ["exact": Level(m: 0.55, u: 0.0002), "shared": Level(m: 0.05, u: 0.02), "differ": Level(m: 0.45, u: 0.9998)],
            "company": ["exact": Level(m: 0.62, u: 0.01), "similar": Level(m: 0.13, u: 0.02), "domain": Level(m: 0.10, u: 0.005),
                        "differ": Level(m: 0.25, u: 0.97)],
            "domain": ["exact": Level(m: 0.65, u: 0.01), "differ": Level(m: 0.35, u: 0.99)],
            "title": ["exact": Level(m: 0.40, u: 0.02), "similar": Level(m: 0.25, u: 0.08), "differ": Level(m: 0.35, u: 0.90)],
            "location": ["city": Level(m: 0.60, u: 0.05), "country": Level(m: 0.30, u: 0.35), "differ": Level(m: 0.10, u: 0.60)],
            "social": ["exact": Level(m: 0.90, u: 0.00001), "differ": Level(m: 0.10, u: 0.99999)],
            // Identity facts (compared only when both sides have them). A date of birth is shared by
            // about one random pair in 2,000 (ages spread over decades), a national id by almost none;
            // "close" is one typing error; a postcode is shared by neighbours.
            "birth-date": ["exact": Level(m: 0.85, u: 0.0005), "close": Level(m: 0.06, u: 0.004), "differ": Level(m: 0.09, u: 0.9955)],
            "national-id": ["exact": Level(m: 0.85, u: 0.00005), "close": Level(m: 0.08, u: 0.001), "differ": Level(m: 0.07, u: 0.99895)],
            "postcode": ["exact": Level(m: 0.75, u: 0.02), "close": Level(m: 0.18, u: 0.04), "differ": Level(m: 0.07, u: 0.94)],
            "street": ["exact": Level(m: 0.45, u: 0.001), "similar": Level(m: 0.35, u: 0.004), "same-street": Level(m: 0.08, u: 0.01),
                       "differ": Level(m: 0.12, u: 0.985)],
        ],
        prior: 0.1, mergeThreshold: 0.95, reviewThreshold: 0.5, origin: "built-in priors")

    /// This model with every field and level it lacks taken from `defaults` (a model saved before a
    /// field existed still weighs that field).
    public func completed(with defaults: MatchModel = .builtIn) -> MatchModel {
        var model = self
        for (field, levels) in defaults.fields {
            for (name, level) in levels where model.fields[field]?[name] == nil { model.fields[field, default: [:]][name] = level }
        }
        return model
    }

    /// Refits `m` (EM) and `u` (random pairs) from comparison vectors.
    ///
    /// - Parameters:
    ///   - pairs: field → level of each candidate pair (pairs sharing a blocking key).
    ///   - randomPairs: the same for random pairs (almost all non-matches): they estimate `u`.
    /// - Returns: the refitted model and the number of EM iterations used.
    public func trained(pairs: [[String: String]], randomPairs: [[String: String]], iterations maxIterations: Int = 200)
        -> (model: MatchModel, iterations: Int)
    {
        var model = self
        // u from random pairs, smoothed towards the prior so unseen levels keep a sensible value.
        if !randomPairs.isEmpty {
            for (field, levels) in model.fields {
                let present = randomPairs.compactMap { $0[field] }
                guard !present.isEmpty else { continue }
                for (name, level) in levels {
                    let count = Double(present.filter { $0 == name }.count)
                    let smoothed = (count + level.u * 10) / (Double(present.count) + 10)
                    model.fields[field]![name]!.u = max(smoothed, 1e-6)
                }
            }
        }
        guard !pairs.isEmpty else { return (model, 0) }
        var lambda = model.prior
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            var posteriors: [Double] = []
            posteriors.reserveCapacity(pairs.count)
            for pair in pairs {
                var logM = log2(lambda), logU = log2(1 - lambda)
                // In a fixed order: floating-point sums in a dictionary's order (seeded per process)
                // would make two runs on the same pairs differ in their last digits.
                for field in pair.keys.sorted() {
                    guard let level = pair[field], let p = model.fields[field]?[level] else { continue }
                    logM += log2(max(p.m, 1e-9))
                    logU += log2(max(p.u, 1e-9))
                }
                posteriors.append(1 / (1 + pow(2, logU - logM)))
            }
            var change = 0.0
            for (field, levels) in model.fields {
                var total = 0.0
                var perLevel: [String: Double] = [:]
                for (pair, posterior) in zip(pairs, posteriors) {
                    guard let level = pair[field] else { continue }
                    total += posterior
                    perLevel[level, default: 0] += posterior
                }
                guard total > 1e-9 else { continue }
                for (name, level) in levels {
                    // Laplace-style smoothing keeps every level possible.
                    let m = ((perLevel[name] ?? 0) + level.m * 2) / (total + 2)
                    change = max(change, abs(m - level.m))
                    model.fields[field]![name]!.m = m
                }
            }
            let newLambda = min(0.99, max(0.001, posteriors.reduce(0, +) / Double(posteriors.count)))
            change = max(change, abs(newLambda - lambda))
            lambda = newLambda
            if change < 1e-6 { break }
        }
        model.prior = lambda
        model.origin = "EM on \(pairs.count) candidate pairs (\(iteration) iterations), u from \(randomPairs.count) random pairs"
        return (model, iteration)
    }
}
