import Foundation
import LeadCore
import LeadImport

/// Paths to the project's fixtures and to the shared corpus of real files beside the project.
enum Paths {
    /// The package root (two levels above this file's folder).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ relative: String) -> String { root + "/fixtures/" + relative }

    /// `../shared/corpus/<relative>` beside the project's root.
    static func corpus(_ relative: String) -> String {
        URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared/corpus/" + relative).path
    }
}

/// A temporary folder removed when the value is released.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "leadintake-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        let dir = (file as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}

/// Reads every step of a file with the given importer.
struct ReadResult {
    var records: [LeadRecord] = []
    var raws: [[ExtraField]] = []
    var rejected: [Issue] = []
    var notes: [Issue] = []
    var warnings: [Issue] = []
    var facts: [String: String] = [:]
}

func readAll(_ path: String, with importer: any Importer, options: ImportOptions = ImportOptions()) throws -> ReadResult {
    let file = try SourceFile.open(path: path)
    let reader = try importer.makeReader(for: file, options: options)
    var result = ReadResult()
    while let step = try reader.next() {
        switch step {
        case .record(let record, let raw, let issues):
            result.records.append(record)
            result.raws.append(raw)
            result.warnings += issues
        case .rejected(let issue): result.rejected.append(issue)
        case .note(let issue): result.notes.append(issue)
        }
    }
    result.facts = reader.facts
    return result
}

import LeadMatch

/// An in-memory ``LeadIndex`` for matcher tests: leads with their keys, no store.
final class MemoryIndex: LeadIndex {
    var leads: [Int64: Lead] = [:]
    var keys: [MatchKey: [Int64]] = [:]
    var rejected: Set<[Int64]> = []

    func add(_ lead: Lead, id: Int64, keys leadKeys: [MatchKey]) {
        leads[id] = lead
        for key in leadKeys where !(keys[key] ?? []).contains(id) { keys[key, default: []].append(id) }
    }

    func candidates(for lookup: [MatchKey]) throws -> [Candidate] {
        var seen = Set<Int64>()
        return lookup.flatMap { keys[$0] ?? [] }.filter { seen.insert($0).inserted }.map {
            Candidate(id: $0, lead: leads[$0]!, createdInThisRun: false)
        }
    }
    func keyCount(_ key: MatchKey) throws -> Int { keys[key]?.count ?? 0 }
    func indexedLeadCount() throws -> Int { leads.count }
    func isRejectedPair(_ a: Int64, _ b: Int64) throws -> Bool { rejected.contains([min(a, b), max(a, b)]) }
}

/// A record with the given values, for matcher and merge tests.
func makeRecord(
    given: String? = nil, family: String? = nil, display: String? = nil, emails: [String] = [], phones: [String] = [],
    company: String? = nil, title: String? = nil, domain: String? = nil, city: String? = nil, country: String? = nil,
    socials: [String] = [], file: String = "test.csv", record: Int = 1
) -> LeadRecord {
    LeadRecord(
        name: PersonName(given: given, family: family, display: display),
        emails: emails.map { EmailAddress(raw: $0, normalized: $0.lowercased(), key: $0.lowercased()) },
        phones: phones.map { PhoneNumber(raw: $0, normalized: $0) }, company: company, title: title, domain: domain,
        socialProfiles: socials, location: Location(city: city, country: country),
        source: LeadSource(name: file, kind: .other),
        provenance: Provenance(fileName: file, filePath: file, fileSHA256: "", record: record, line: record + 1, importer: "csv"))
}
