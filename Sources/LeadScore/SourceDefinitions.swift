public import LeadCore
import Foundation
import Yams

/// A lead source as the team defines it in `config/sources.yml`.
public struct SourceDefinition: Sendable, Equatable {
    public var name: String
    public var kind: SourceKind?
    public var owner: String?
    /// What the list or event cost.
    public var cost: Double?
    /// Files of an inbox folder that come from this source (a glob relative to the inbox:
    /// `webinars/*.csv`); `leadintake inbox` gives them this source's kind. Files matched by no source
    /// keep the name of their file as the source.
    public var files: String?
}

public enum SourceDefinitions {
    /// Loads `config/sources.yml`: `sources: [{name, kind, owner, cost}]`, validated with precise errors.
    public static func load(path: String) throws(ProfileError) -> [SourceDefinition] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ProfileError(file: path, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        let node: Any?
        do { node = try SafeYAML.load(text) } catch { throw ProfileError(file: path, key: "", message: "not valid YAML: \(error)") }
        guard let root = node as? [String: Any], let list = root["sources"] as? [Any] else {
            throw ProfileError(file: path, key: "sources", message: "expected a list of sources")
        }
        var result: [SourceDefinition] = []
        for (index, item) in list.enumerated() {
            let key = "sources[\(index)]"
            guard let map = item as? [String: Any] else { throw ProfileError(file: path, key: key, message: "expected a mapping") }
            for field in map.keys where !["name", "kind", "owner", "cost", "files"].contains(field) {
                throw ProfileError(file: path, key: key + "." + field, message: "unknown key; expected name, kind, owner, cost, files")
            }
            guard let name = map["name"] as? String, !name.isEmpty else { throw ProfileError(file: path, key: key + ".name", message: "expected a name") }
            var definition = SourceDefinition(name: name)
            if let kind = map["kind"] {
                guard let text = kind as? String, let value = SourceKind(rawValue: text) else {
                    throw ProfileError(file: path, key: key + ".kind", message: "expected one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                definition.kind = value
            }
            definition.owner = map["owner"] as? String
            if let files = map["files"] {
                guard let glob = files as? String, !glob.isEmpty else {
                    throw ProfileError(file: path, key: key + ".files", message: "expected a glob relative to the inbox, such as webinars/*.csv")
                }
                definition.files = glob
            }
            if let cost = map["cost"] {
                guard let number = (cost as? Double) ?? (cost as? Int).map(Double.init), number >= 0 else {
                    throw ProfileError(file: path, key: key + ".cost", message: "expected a number ≥ 0")
                }
                definition.cost = number
            }
            result.append(definition)
        }
        return result
    }
}

extension SourceDefinition {
    public init(name: String) { self.name = name }
}
