import Foundation

/// The export presets shipped with LeadIntake: declarative mappings (YAML) in the module's resources.
public enum Presets {
    /// Every shipped preset, parsed once. A broken preset is a programming error caught by the tests.
    public static let all: [Mapping] = {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Presets"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".yml") }.sorted().compactMap { name in
            try? Mapping.load(path: folder.appendingPathComponent(name).path)
        }
    }()

    /// Presets that failed to load, with why (empty when all are fine).
    public static func problems() -> [String] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Presets"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return ["preset folder missing from the bundle"] }
        return names.filter { $0.hasSuffix(".yml") }.sorted().compactMap { name -> String? in
            do {
                _ = try Mapping.load(path: folder.appendingPathComponent(name).path)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }
}
