public import LeadCore
import Foundation

/// How sure an importer is that it can read a file, and why.
public struct Confidence: Sendable, Comparable, Hashable, CustomStringConvertible {
    /// 0 (cannot read it) ... 1 (certain).
    public var score: Double
    /// A short reason a person can read: "extension .csv; header maps 5 columns".
    public var reason: String

    public init(_ score: Double, _ reason: String) {
        self.score = min(1, max(0, score))
        self.reason = reason
    }

    public static let no = Confidence(0, "not this format")
    public static func < (a: Self, b: Self) -> Bool { a.score < b.score }
    public var description: String { String(format2(score)) + " (" + reason + ")" }
}

func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
}

/// Options the pipeline passes to every importer.
public struct ImportOptions: Sendable {
    /// Source stamped on every record; when nil, the file name and the importer's default kind.
    public var sourceName: String?
    public var sourceKind: SourceKind?
    /// Include a webinar report's panelists as leads (presets).
    public var includePanelists: Bool
    /// Bounds on one record (config/limits.yml).
    public var limits: ImportLimits

    public init(
        sourceName: String? = nil, sourceKind: SourceKind? = nil, includePanelists: Bool = false, limits: ImportLimits = .default
    ) {
        self.sourceName = sourceName
        self.sourceKind = sourceKind
        self.includePanelists = includePanelists
        self.limits = limits
    }

    /// The source for records of `file` read by `importer`.
    public func source(for file: SourceFile, importer: any Importer) -> LeadSource {
        LeadSource(name: sourceName ?? file.name, kind: sourceKind ?? importer.defaultSourceKind)
    }
}

/// One step of a record reader: a record (with warnings about it) or a rejected record.
public enum ReaderStep: Sendable {
    /// A record, with non-fatal findings about it (warnings, notes).
    case record(LeadRecord, raw: [ExtraField], issues: [Issue])
    /// A record that could not be read; it still counts in the ordinals.
    case rejected(Issue)
    /// A finding about the file that is not tied to one record (a skipped section, an encoding guess).
    case note(Issue)
}

/// Reads the records of one file, one at a time (a single-pass, pull-based cursor).
///
/// Contract: a reader streams (memory does not grow with the file), puts provenance on every record,
/// counts every person record, failed ones included, in the ordinals, and never puts a full e-mail or
/// phone in an issue message. It throws only when the file as a whole cannot go on (I/O failure).
public protocol RecordReader: AnyObject {
    /// The next step, or nil at the end of the file.
    func next() throws(ImportError) -> ReaderStep?
    /// Facts about the file found while reading: "encoding", "delimiter", "header-line", "versions".
    var facts: [String: String] { get }
    /// Bytes of the file consumed so far, for a progress bar; nil when the reader cannot tell (a
    /// document parsed whole).
    var bytesRead: Int64? { get }
    /// The source's own columns (a table's header), for an error file that repeats rejected rows as
    /// they were; nil for formats that are not tables.
    var sourceColumns: [String]? { get }
    /// The record the last `.rejected` step stands for, as read: a table row's fields, or the record's
    /// text; nil when the reader cannot tell.
    var rejectedRaw: RawRecord? { get }
}

/// A rejected record as it was in the file.
public enum RawRecord: Sendable, Hashable {
    /// A table row: its fields in the source's column order.
    case fields([String])
    /// A record of a document format (a vCard, an element): its text.
    case text(String)

    /// A record whose own text is not a line of the file (an HTML row, an XML element, a jCard or
    /// xCard card): its fields as read, one `name: value` line each.
    public static func lines(_ fields: [ExtraField]) -> RawRecord {
        .text(fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
    }
}

extension RecordReader {
    public var bytesRead: Int64? { nil }
    public var sourceColumns: [String]? { nil }
    public var rejectedRaw: RawRecord? { nil }
}

/// An importer: one input format (or one preset layout of it).
///
/// Importers are values registered in an ``ImporterRegistry``; the pipeline asks each to ``sniff(_:)``
/// a file and lets the most confident one read it, so detection is automatic and explainable.
public protocol Importer: Sendable {
    /// Stable identifier, e.g. "csv", "vcard", "zoom-webinar-attendees".
    var id: String { get }
    /// What a person sees: "CSV (any layout)".
    var displayName: String { get }
    /// Extensions it reads, lower-case, without the dot.
    var fileExtensions: [String] { get }
    /// Source kind used when the run gives none.
    var defaultSourceKind: SourceKind { get }
    /// How confident the importer is that it reads `file` (name and first bytes only).
    func sniff(_ file: SourceFile) -> Confidence
    /// A reader for the file's records.
    func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader
}

/// The importers the pipeline knows, as a value (not a global), so tests and runs can swap it.
public struct ImporterRegistry: Sendable {
    public let importers: [any Importer]

    public init(_ importers: [any Importer]) { self.importers = importers }

    /// Every importer this package ships: the format importers and the export presets.
    public static let standard = ImporterRegistry(
        [CSVImporter(), VCardImporter(), JCardImporter(), XCardImporter(), HTMLImporter(), XMLExportImporter(), SpreadsheetImporter()]
            + Presets.all.map(MappingImporter.init)
            + PagePresets.all.filter { $0.format == .xml }.map { XMLExportImporter(mapping: $0) })

    /// The standard importers plus the team's own mappings in `DIR/mappings/*.yml` (a user mapping
    /// with a preset's id replaces the preset). A broken mapping file is an error naming the file.
    public static func configured(directory: String) throws(ProfileLikeError) -> ImporterRegistry {
        let folder = directory + "/mappings"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        var mappings: [Mapping] = []
        var pages: [PageMapping] = []
        for name in names {
            let path = folder + "/" + name
            // `format: html` / `format: xml` files are page and XML layouts; the rest are CSV layouts.
            let text = try YAMLConfig.text(path: path)
            if PageMapping.declaredFormat(text) != nil {
                pages.append(try PageMapping.parse(text, origin: path))
            } else {
                mappings.append(try Mapping.parse(text, origin: path))
            }
        }
        guard !mappings.isEmpty || !pages.isEmpty else { return standard }
        let ids = Set(mappings.map(\.id) + pages.map { ($0.format == .xml ? "xml." : "") + $0.id })
        let pageIDs = Set(pages.map(\.id))
        // The team's HTML layouts come before the shipped ones (and replace a shipped one of the same id).
        let layouts = pages.filter { $0.format == .html } + PagePresets.all.filter { $0.format == .html && !pageIDs.contains($0.id) }
        // Sheets of a workbook may have the team's CSV layouts too (a team layout replaces a preset of its id).
        let tableLayouts = mappings + Presets.all.filter { preset in !mappings.contains { $0.id == preset.id } }
        let kept = standard.importers.filter { !ids.contains($0.id) }.map { importer -> any Importer in
            if importer is HTMLImporter { return HTMLImporter(layouts: layouts) }
            if importer is SpreadsheetImporter { return SpreadsheetImporter(mappings: tableLayouts) }
            return importer
        }
        return ImporterRegistry(kept + mappings.map(MappingImporter.init) + pages.filter { $0.format == .xml }.map { XMLExportImporter(mapping: $0) })
    }

    public func importer(id: String) -> (any Importer)? { importers.first { $0.id == id } }

    /// The result of format detection: the winner, and the ranking that explains it.
    public struct Detection: Sendable {
        public var ranking: [(importer: any Importer, confidence: Confidence)]
        public var winner: (importer: any Importer, confidence: Confidence)? {
            guard let first = ranking.first, first.confidence.score > 0 else { return nil }
            return first
        }
        public var runnerUp: (importer: any Importer, confidence: Confidence)? {
            ranking.count > 1 && ranking[1].confidence.score > 0 ? ranking[1] : nil
        }
    }

    /// Ranks every importer for `file` (highest confidence first, registration order on ties).
    public func detect(_ file: SourceFile) -> Detection {
        let scored = importers.enumerated().map { (index: $0.offset, importer: $0.element, confidence: $0.element.sniff(file)) }
        let sorted = scored.sorted { a, b in
            a.confidence.score != b.confidence.score ? a.confidence.score > b.confidence.score : a.index < b.index
        }
        return Detection(ranking: sorted.map { ($0.importer, $0.confidence) })
    }
}
