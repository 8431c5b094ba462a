import Foundation
import FuzzTargets
import LibXML
import Testing

/// Replays the inputs kept in `Tests/fuzz-regressions/TARGET/` (what `make fuzz` found, once fixed, and
/// hand-made hostile cases of the same classes) through the fuzz targets: each must be read to its end
/// without a trap, as `leadintake import` would read it.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = Paths.root + "/Tests/fuzz-regressions"

    static var cases: [String] {
        FuzzTarget.allCases.flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + target.rawValue)) ?? []).sorted()
                .filter { !$0.hasPrefix(".") }.map { target.rawValue + "/" + $0 }
        }
    }

    @Test("every target has saved inputs")
    func present() {
        for target in FuzzTarget.allCases {
            #expect(Self.cases.contains { $0.hasPrefix(target.rawValue + "/") }, "no input for \(target.rawValue) in Tests/fuzz-regressions")
        }
    }

    @Test("a saved input is read to its end", arguments: cases)
    func replay(_ name: String) throws {
        LibXML.setUp()
        let target = try #require(FuzzTarget(rawValue: String(name.split(separator: "/")[0])))
        let data = try #require(FileManager.default.contents(atPath: Self.root + "/" + name))
        let dir = TempDir()
        let steps = target.run(Array(data), scratch: dir.path + "/input")
        // Deterministic: the same input reads the same way again.
        #expect(target.run(Array(data), scratch: dir.path + "/again") == steps)
    }
}
