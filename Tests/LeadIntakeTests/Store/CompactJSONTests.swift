import Foundation
import LeadCore
import LeadMatch
import LeadNormalize
import LeadScore
import Testing

/// The store's streaming JSON encoder against Foundation's: every document it writes reads back
/// with `JSONDecoder` as the same value.
@Suite("Compact JSON encoder")
struct CompactJSONTests {
    /// Foundation's encoding of `value`: the reference the round trip is compared with.
    static func reference<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Encodes with CompactJSON, decodes with JSONDecoder, and compares Foundation's encodings.
    static func roundTrips<T: Codable>(_ value: T) throws -> Bool {
        let compact = try CompactJSON.encode(value)
        let decoded = try JSONDecoder().decode(T.self, from: Data(compact.utf8))
        return try reference(decoded) == reference(value)
    }

    @Test("leads, records, raw fields, comparisons and score cards of a generated chunk read back the same")
    func storeDocuments() throws {
        let (raw, _) = BatchEngineTests.generate(persons: 120, seed: 7)
        let normalizer = Normalizer()
        let records = raw.map { normalizer.normalize($0).0 }
        let plan = try BatchMatcher(matcher: ProbabilisticMatcher(model: .builtIn)).plan(
            records, source: BatchEngineTests.EmptyStore(), seenAt: "2026-12-02T10:00:00Z"
        ) { record, lead in LeadFacts.accumulate(record, into: &lead, seenAt: "2026-12-02T10:00:00Z") }
        #expect(plan.newLeads.count > 50)
        for lead in plan.newLeads { #expect(try Self.roundTrips(lead.lead)) }
        for record in records { #expect(try Self.roundTrips(record)) }
        let fields = [ExtraField(name: "First Name", value: "Zoë \"Z\""), ExtraField(name: "Notes", value: "line 1\r\nline 2")]
        #expect(try Self.roundTrips(fields))
        let comparisons = plan.links.compactMap(\.comparison)
        #expect(comparisons.count > 20)
        for comparison in comparisons { #expect(try Self.roundTrips(comparison)) }
        let scorer = Scorer(profile: try ICPProfile.load(path: Paths.root + "/config/icp.yml"))
        for lead in plan.newLeads.prefix(40) { #expect(try Self.roundTrips(scorer.score(lead.lead))) }
    }

    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var tags: [String]
            var weight: Double?
        }
        var text: String
        var count: Int
        var big: Int64
        var small: UInt8
        var ratio: Double
        var flag: Bool
        var missing: String?
        var inner: Inner
        var list: [Inner]
        var nested: [[Int]]
        var map: [String: String]
        var empty: [String: String]
    }

    @Test("escapes, numbers, optionals, nesting, dictionaries sorted by key")
    func shapes() throws {
        let sample = Sample(
            text: "quote \" backslash \\ slash / tab \t newline \n nul \u{0} bell \u{7} é 漢字 👋", count: -42, big: Int64.max,
            small: 255, ratio: 0.1 + 0.2, flag: true, missing: nil,
            inner: .init(tags: [], weight: 1e-7), list: [.init(tags: ["a", "b"], weight: nil), .init(tags: ["c"], weight: 3)],
            nested: [[], [1], [2, 3]], map: ["zeta": "1", "alpha": "2", "mid": "3"], empty: [:])
        let json = try CompactJSON.encode(sample)
        #expect(try JSONDecoder().decode(Sample.self, from: Data(json.utf8)) == sample)
        #expect(json.contains(#""map":{"alpha":"2","mid":"3","zeta":"1"}"#))
        #expect(json.contains(#""nested":[[],[1],[2,3]]"#))
        #expect(json.contains(#"nul \u0000 bell \u0007"#) && json.contains(#"slash / tab \t"#))
        #expect(!json.contains("missing"))
        #expect(json.contains(#""weight":3}"#))  // a whole Double is written as an integer
        #expect(throws: EncodingError.self) { try CompactJSON.encode(["x": Double.nan]) }
    }
}
