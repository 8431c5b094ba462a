import Foundation

/// The export presets shipped with LeadIntake: declarative mappings (YAML) in the module's resources.
public enum Presets {
    /// Every shipped preset, parsed once. A broken preset is a programming error caught by the tests.
    public static let all: [Mapping] = loadResourceFolder("Presets", Mapping.load).items

    /// Presets that failed to load, with why (empty when all are fine).
    public static func problems() -> [String] { loadResourceFolder("Presets", Mapping.load).problems }
}
