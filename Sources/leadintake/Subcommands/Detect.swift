import ArgumentParser
import Foundation
import LeadCore
import LeadImport

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which importer would read each file, how sure it is, and the runner-up.",
        discussion: "EXAMPLE\n  leadintake detect fixtures/csv/*.csv")

    @OptionGroup var configOptions: ConfigOptions
    @Argument(help: "Files to examine.")
    var files: [String]

    func run() throws {
        let registry = try configOptions.registry()
        var failed = false
        for path in files {
            do {
                let file = try SourceFile.open(path: path)
                let detection = registry.detect(file)
                if let winner = detection.winner {
                    var line = "\(path): \(winner.importer.id) \(winner.confidence)"
                    if let runnerUp = detection.runnerUp { line += "; runner-up \(runnerUp.importer.id) \(runnerUp.confidence)" }
                    print(line)
                } else {
                    print("\(path): no importer recognises this file")
                    failed = true
                }
            } catch {
                print("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the importers, presets and mappings, and what they read.")

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        for importer in try configOptions.registry().importers {
            let extensions = importer.fileExtensions.map { "." + $0 }.joined(separator: " ")
            print("\(importer.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(importer.displayName)  [\(extensions)]  default source kind: \(importer.defaultSourceKind.rawValue)")
            // Page layouts are tried inside the HTML importer, before the page's own markup.
            if let html = importer as? HTMLImporter {
                for layout in html.layouts {
                    let kind = (layout.sourceKind ?? html.defaultSourceKind).rawValue
                    print("  html layout \(layout.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(layout.name)  (\(layout.origin))  default source kind: \(kind)")
                }
            }
        }
    }
}
