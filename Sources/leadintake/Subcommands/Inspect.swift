import ArgumentParser
import Foundation
import LeadCore
import LeadImport
import LeadNormalize

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the records an importer reads from a file (as JSON lines), without touching the store.",
        discussion: "EXAMPLE\n  leadintake inspect --normalize contacts.vcf")

    @Flag(help: "Also run the normalization stage.") var normalize = false
    @Option(help: "Show at most this many records.") var limit = 1000
    @OptionGroup var configOptions: ConfigOptions
    @Argument(help: "File to read.") var file: String

    func run() throws {
        let source = try SourceFile.open(path: file)
        guard let (importer, confidence) = try configOptions.registry().detect(source).winner else {
            throw ValidationError("no importer recognises \(file)")
        }
        printError("\(file): \(importer.id) \(confidence)")
        let reader = try importer.makeReader(for: source, options: ImportOptions())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let normalizer = Normalizer()
        var shown = 0
        while shown < limit, let step = try reader.next() {
            switch step {
            case .record(var record, _, let issues):
                if normalize { record = normalizer.normalize(record).0 }
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
                for issue in issues { printError("  \(issue)") }
                shown += 1
            case .rejected(let issue): printError("rejected: \(issue)")
            case .note(let issue): printError("note: \(issue)")
            }
        }
        printError("facts: \(reader.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))")
    }
}
