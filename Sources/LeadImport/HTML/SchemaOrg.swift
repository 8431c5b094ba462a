import Foundation
import LibXML

/// schema.org `Person` data in a page: JSON-LD scripts and microdata (`itemscope`/`itemprop`).
/// Both are reduced to one shape, a tree of ``SchemaOrg/Thing`` values, so the mapping to a lead is
/// written once.
enum SchemaOrg {
    /// A schema.org item: its types (short names: "Person") and its properties in source order.
    final class Thing {
        var types: [String]
        var properties: [(name: String, value: Value)] = []
        let line: Int
        init(types: [String], line: Int) {
            self.types = types
            self.line = line
        }
        func all(_ name: String) -> [Value] { properties.filter { $0.name == name }.map(\.value) }
        /// Text of the first value of `name`; a nested thing gives its `name`.
        func text(_ name: String) -> String? {
            for value in all(name) {
                switch value {
                case .text(let text): if !text.isEmpty { return text }
                case .thing(let thing): if let name = thing.text("name") { return name }
                }
            }
            return nil
        }
        var isPerson: Bool { types.contains("Person") }
    }

    enum Value {
        case text(String)
        case thing(Thing)
    }

    /// Short type name: "http://schema.org/Person", "https://schema.org/Person", "schema:Person" → "Person".
    static func shortType(_ type: String) -> String {
        var value = type.trimmingCharacters(in: .whitespaces)
        if let slash = value.lastIndex(where: { $0 == "/" || $0 == "#" }) { value = String(value[value.index(after: slash)...]) }
        if let colon = value.lastIndex(of: ":") { value = String(value[value.index(after: colon)...]) }
        return value
    }

    /// Every thing of any type, nested ones included, in document order.
    static func flatten(_ things: [Thing]) -> [Thing] {
        var result: [Thing] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ thing: Thing, depth: Int) {
            guard depth < 64, seen.insert(ObjectIdentifier(thing)).inserted else { return }
            result.append(thing)
            for (_, value) in thing.properties { if case .thing(let nested) = value { visit(nested, depth: depth + 1) } }
        }
        for thing in things { visit(thing, depth: 0) }
        return result
    }

    // MARK: JSON-LD

    /// Makes the JSON real pages put in `<script type="application/ld+json">` parseable: HTML comment
    /// markers around it, `//` and `/* */` comments, raw control characters inside strings and
    /// trailing commas (all seen in extruct's corpus of broken pages).
    static func cleanJSON(_ text: String) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // A comment before the JSON ("<!-- John joined the festival. -->") goes; a comment marker that
        // wraps the whole JSON (old pages hiding scripts from old browsers) loses only its markers.
        while body.hasPrefix("<!--") {
            if let end = body.range(of: "-->"), !body[body.index(body.startIndex, offsetBy: 4)..<end.lowerBound].contains(where: { $0 == "{" || $0 == "[" }) {
                body = String(body[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                body = String(body.dropFirst(4)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        if body.hasSuffix("-->") { body = String(body.dropLast(3)) }
        let scalars = Array(body.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var inString = false
        while index < scalars.count {
            let c = scalars[index]
            if inString {
                if c == "\\", index + 1 < scalars.count {
                    out.append(c)
                    out.append(scalars[index + 1])
                    index += 2
                    continue
                }
                if c == "\"" { inString = false }
                if c.value < 0x20 {
                    // A raw control character inside a string: keep it, escaped as JSON requires.
                    let escaped = c == "\n" ? "\\n" : c == "\r" ? "\\r" : c == "\t" ? "\\t" : "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
                    out.append(contentsOf: escaped.unicodeScalars)
                } else {
                    out.append(c)
                }
                index += 1
                continue
            }
            if c == "\"" {
                inString = true
                out.append(c)
            } else if c == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            } else if c == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                index += 2
                while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                index += 2
                continue
            } else if c == "," {
                // A trailing comma: the next non-space character closes the object or array.
                var look = index + 1
                while look < scalars.count, scalars[look].properties.isWhitespace { look += 1 }
                if look < scalars.count, scalars[look] == "}" || scalars[look] == "]" {
                    index += 1
                    continue
                }
                out.append(c)
            } else {
                out.append(c.value < 0x20 && c != "\n" && c != "\r" && c != "\t" ? " " : c)
            }
            index += 1
        }
        return String(out)
    }

    /// Parses one JSON-LD script body (after ``cleanJSON(_:)``); nil when it is still not JSON.
    static func parseJSONLD(_ text: String) -> Any? {
        let cleaned = cleanJSON(text)
        guard let data = cleaned.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// The schema.org things of a JSON-LD value (`@graph` and nested objects included).
    static func things(fromJSONLD json: Any, line: Int) -> [Thing] {
        func convert(_ object: [String: Any], depth: Int) -> Thing? {
            guard depth < 64 else { return nil }
            var types: [String] = []
            if let type = object["@type"] as? String { types = [shortType(type)] }
            if let list = object["@type"] as? [Any] { types = list.compactMap { $0 as? String }.map(shortType) }
            let thing = Thing(types: types, line: line)
            for key in object.keys.sorted() where !key.hasPrefix("@") {
                for value in values(object[key]!, depth: depth) { thing.properties.append((shortType(key), value)) }
            }
            return thing
        }
        func values(_ value: Any, depth: Int) -> [Value] {
            switch value {
            case let text as String: return [.text(HTMLText.collapse(text))]
            case let number as NSNumber: return [.text(number.stringValue)]
            case let list as [Any]: return list.flatMap { values($0, depth: depth + 1) }
            case let object as [String: Any]:
                if let value = object["@value"] { return values(value, depth: depth + 1) }
                if let id = object["@id"] as? String, object.count == 1 { return [.text(id)] }
                return convert(object, depth: depth + 1).map { [.thing($0)] } ?? []
            default: return []
            }
        }
        var result: [Thing] = []
        func top(_ value: Any) {
            if let list = value as? [Any] { list.forEach(top); return }
            guard let object = value as? [String: Any] else { return }
            if let graph = object["@graph"] { top(graph) }
            if object["@type"] != nil, let thing = convert(object, depth: 0) { result.append(thing) }
        }
        top(json)
        return result
    }

    // MARK: Microdata

    /// Top-level microdata items of the document (items nested as property values hang below).
    static func microdata(in document: DOMDocument, baseURL: String?) -> [Thing] {
        var result: [Thing] = []
        for element in (try? document.select("//*[@itemscope and not(@itemprop)]")) ?? [] {
            result.append(item(element, baseURL: baseURL, depth: 0))
        }
        return result
    }

    private static func item(_ element: DOMNode, baseURL: String?, depth: Int) -> Thing {
        let types = (element.attribute("itemtype") ?? "").split(separator: " ").map { shortType(String($0)) }
        let thing = Thing(types: types, line: element.line)
        collect(element, into: thing, baseURL: baseURL, depth: depth + 1)
        return thing
    }

    private static func collect(_ element: DOMNode, into thing: Thing, baseURL: String?, depth: Int) {
        guard depth < HTMLText.maxDepth else { return }
        for child in element.elements {
            let names = (child.attribute("itemprop") ?? "").split(separator: " ").map { shortType(String($0)) }
            let isScope = child.attribute("itemscope") != nil
            if !names.isEmpty {
                let value: Value = isScope ? .thing(item(child, baseURL: baseURL, depth: depth)) : .text(propertyValue(child, baseURL: baseURL))
                for name in names { thing.properties.append((name, value)) }
            }
            if !isScope { collect(child, into: thing, baseURL: baseURL, depth: depth + 1) }
        }
    }

    private static func propertyValue(_ element: DOMNode, baseURL: String?) -> String {
        let attribute: String? = switch element.name {
        case "meta": element.attribute("content")
        case "audio", "embed", "iframe", "img", "source", "track", "video": element.attribute("src").map { HTMLText.resolve($0, base: baseURL) }
        case "a", "area", "link": element.attribute("href").map { HTMLText.resolve($0, base: baseURL) }
        case "object": element.attribute("data").map { HTMLText.resolve($0, base: baseURL) }
        case "data", "meter": element.attribute("value")
        case "time": element.attribute("datetime")
        default: nil
        }
        return HTMLText.collapse(attribute ?? element.attribute("content") ?? HTMLText.text(of: element))
    }
}
