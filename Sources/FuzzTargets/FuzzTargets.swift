public import LeadImport
import LeadCore
import Foundation

/// The parsers `make fuzz` drives with libFuzzer, and the replay of saved inputs that the regression
/// tests run. One input is one whole file: it goes through the importer's sniffer, the registry's
/// detection, the reader to its end and the shared record guard, as an import would read it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case csv, vcard, jcard, xcard, xml, html, spreadsheet, mapping

    /// The file extension an input of this target is saved with (the importers look at it).
    public var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .vcard: "vcf"
        case .jcard: "json"
        case .xcard: "xml"
        case .xml: "xml"
        case .html: "html"
        case .spreadsheet: "xlsx"
        case .mapping: "yml"
        }
    }

    /// The importer under test; nil for the mapping loader.
    var importer: (any Importer)? {
        switch self {
        case .csv: CSVImporter()
        case .vcard: VCardImporter()
        case .jcard: JCardImporter()
        case .xcard: XCardImporter()
        case .xml: XMLExportImporter()
        case .html: HTMLImporter()
        case .spreadsheet: SpreadsheetImporter()
        case .mapping: nil
        }
    }

    /// Reads one input; returns the number of reader steps. A reader that never ends is a finding: it
    /// traps after a million steps (no input here is that large), and libFuzzer's -timeout catches a
    /// reader that hangs inside one step.
    /// Whether each record is also encoded as the store would (off to measure a reader alone).
    public nonisolated(unsafe) static var encodeRecords = true

    private var encodeRecords: Bool { Self.encodeRecords }

    /// Reads the file at `path` in place (the replay of a large input: no copy).
    @discardableResult
    public func read(path: String) -> Int {
        guard let importer, let file = try? SourceFile.open(path: path) else { return 0 }
        return read(file, with: importer)
    }

    @discardableResult
    public func run(_ bytes: [UInt8], scratch: String) -> Int {
        guard let importer else {
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Mapping.parse(text, origin: "fuzz.yml")
            _ = try? PageMapping.parse(text, origin: "fuzz.yml")
            _ = try? ImportLimits.load(path: write(bytes, to: scratch))
            return 0
        }
        let path = write(bytes, to: scratch)
        guard let file = try? SourceFile.open(path: path) else { return 0 }
        let detection = ImporterRegistry.standard.detect(file)
        var steps = read(file, with: importer)
        // The CSV target also drives whichever preset the registry picks for the input.
        if self == .csv, let winner = detection.winner?.importer, winner.id != importer.id {
            steps += read(file, with: winner)
        }
        return steps
    }

    private func read(_ file: SourceFile, with importer: any Importer) -> Int {
        _ = importer.sniff(file)
        guard let base = try? importer.makeReader(for: file, options: ImportOptions()) else { return 0 }
        let reader = GuardedReader(base, limits: .default, fileName: file.name)
        var steps = 0
        while let step = try? reader.next() {
            steps += 1
            precondition(steps < 1_000_000, "\(rawValue): the reader does not end")
            if case .record(let record, _, _) = step {
                // Everything a record carries must be encodable (the store writes it as JSON).
                if encodeRecords {
                precondition((try? JSONEncoder().encode(record)) != nil, "\(rawValue): a record cannot be encoded")
            }
            }
        }
        _ = reader.facts
        return steps
    }

    private func write(_ bytes: [UInt8], to scratch: String) -> String {
        let path = scratch + "." + fileExtension
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}
