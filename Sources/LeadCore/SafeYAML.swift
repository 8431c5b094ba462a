import Yams

/// YAML configuration as plain values (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`),
/// built from Yams' node tree by hand rather than with `Yams.load`: that one traps on a mapping key
/// that is not text (`? [a, b] : c`, found by `make fuzz`), and it expands aliases without a bound
/// (a few lines of anchors make billions of nodes). Here a non-text key is an error with its line,
/// and at most `nodeLimit` nodes are built.
public enum SafeYAML {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var description: String { (line.map { "line \($0): " } ?? "") + message }
    }

    /// Nodes a configuration file may expand to, aliases counted each time they are used.
    public static let nodeLimit = 100_000

    public static func load(_ text: String) throws(Failure) -> Any? {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw Failure(message: "\(error)") }
        guard let root else { return nil }
        var budget = nodeLimit
        return try plain(root, budget: &budget)
    }

    private static func plain(_ node: Node, budget: inout Int) throws(Failure) -> Any {
        budget -= 1
        guard budget >= 0 else {
            throw Failure(line: node.mark.map { $0.line }, message: "more than \(nodeLimit) values (aliases that repeat each other?)")
        }
        switch node {
        case .scalar:
            return node.any
        case .sequence(let sequence):
            var items: [Any] = []
            for item in sequence { items.append(try plain(item, budget: &budget)) }
            return items
        case .mapping(let mapping):
            var map: [String: Any] = [:]
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else {
                    throw Failure(line: key.mark.map { $0.line }, message: "a key must be text, found a list or a mapping")
                }
                map[scalar.string] = try plain(value, budget: &budget)
            }
            return map
        }
    }
}
