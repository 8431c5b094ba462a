import LeadCore
import Foundation
import Yams

/// The top level of a YAML configuration file (a CSV mapping, a page or XML layout), with accessors
/// whose errors name the file, the key and what was expected. Shared so every mapping kind reports
/// mistakes the same way.
struct YAMLConfig {
    let root: [String: Any]
    let origin: String

    /// Reads a file's text; an unreadable file is an error naming it.
    static func text(path: String) throws(ProfileLikeError) -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ProfileLikeError(file: path, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
    }

    /// Parses `text`; the top level must be a mapping whose keys are all in `allowed`.
    init(_ text: String, origin: String, allowed: Set<String>, expected: String) throws(ProfileLikeError) {
        self.origin = origin
        let node: Any?
        do { node = try SafeYAML.load(text) } catch {
            throw ProfileLikeError(file: origin, key: "", message: "not valid YAML: \(error)")
        }
        guard let root = node as? [String: Any] else { throw ProfileLikeError(file: origin, key: "", message: "expected a mapping with \(expected)") }
        self.root = root
        for key in root.keys.sorted() where !allowed.contains(key) {
            throw fail(key, "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    func fail(_ key: String, _ message: String) -> ProfileLikeError { ProfileLikeError(file: origin, key: key, message: message) }

    func string(_ key: String, required: Bool) throws(ProfileLikeError) -> String? {
        guard let value = root[key] else {
            if required { throw fail(key, "missing; expected text") }
            return nil
        }
        guard let text = value as? String, !text.isEmpty else { throw fail(key, "expected text") }
        return text
    }

    func list(_ key: String) throws(ProfileLikeError) -> [String] {
        guard let value = root[key] else { return [] }
        guard let items = value as? [Any] else { throw fail(key, "expected a list of text") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item as? String else { throw fail("\(key)[\(index)]", "expected text") }
            result.append(text)
        }
        return result
    }

    /// The `id` key: lower-case letters, digits and dashes.
    func identifier() throws(ProfileLikeError) -> String {
        let id = try string("id", required: true)!
        guard id.allSatisfy({ $0.isLetter && $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw fail("id", "expected lower-case letters, digits and dashes, found \"\(id)\"")
        }
        return id
    }

    /// The optional `source_kind` key.
    func sourceKind() throws(ProfileLikeError) -> SourceKind? {
        guard let kind = try string("source_kind", required: false) else { return nil }
        guard let value = SourceKind(rawValue: kind) else {
            throw fail("source_kind", "expected one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(kind)\"")
        }
        return value
    }

    /// `key: {target: [transform, ...]}` with every name checked against ``Mapping/Transform``.
    func transforms(_ key: String = "transforms", expected: String) throws(ProfileLikeError) -> [String: [Mapping.Transform]] {
        guard let value = root[key] else { return [:] }
        guard let map = value as? [String: Any] else { throw fail(key, "expected a mapping of \(expected): [transforms]") }
        var result: [String: [Mapping.Transform]] = [:]
        for (name, value) in map {
            let names = (value as? [Any])?.compactMap { $0 as? String } ?? (value as? String).map { [$0] } ?? []
            guard !names.isEmpty else { throw fail(key + "." + name, "expected a list of transforms") }
            result[name] = try names.map { transform throws(ProfileLikeError) in
                guard let parsed = Mapping.Transform(rawValue: transform) else {
                    throw fail(key + "." + name, "unknown transform \"\(transform)\"; expected one of: \(Mapping.Transform.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return parsed
            }
        }
        return result
    }

    /// A mapping target name ("display-name", "attribute minutes").
    func target(_ name: String, key: String) throws(ProfileLikeError) -> Mapping.Target {
        if name.hasPrefix("attribute ") { return .attribute(String(name.dropFirst("attribute ".count)).trimmingWhitespace()) }
        if let value = Mapping.targets[name] { return value }
        throw fail(key, "unknown target \"\(name)\"; expected one of: \(Mapping.targets.keys.sorted().joined(separator: ", ")), attribute NAME")
    }
}

/// Loads every `*.yml` of a resource folder of this module, sorted by name: the parsed files and,
/// for the tests, the problems of the files that failed.
func loadResourceFolder<T>(_ folder: String, _ load: (String) throws(ProfileLikeError) -> T) -> (items: [T], problems: [String]) {
    guard let url = Bundle.module.resourceURL?.appendingPathComponent(folder),
          let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
    else { return ([], ["resource folder \(folder) missing from the bundle"]) }
    var items: [T] = []
    var problems: [String] = []
    for name in names.filter({ $0.hasSuffix(".yml") }).sorted() {
        do { items.append(try load(url.appendingPathComponent(name).path)) } catch { problems.append(error.description) }
    }
    return (items, problems)
}
