import Foundation
import LibXML

/// A microformats2 parser (https://microformats.org/wiki/microformats2-parsing) with the classic
/// (v1) root and property names mapped to their v2 forms, as the parsing spec's backward-compatible
/// rules say. Written by hand because no C or Swift library on this machine parses microformats; it
/// walks libxml2's DOM, so HTML parsing itself stays libxml2's.
struct Microformats {
    /// One parsed microformat (an `h-card`, or a nested `h-adr`, `h-org`, ...).
    final class Item {
        var types: [String]
        var properties: [(name: String, values: [Value])] = []
        var children: [Item] = []
        /// For an item that is also a property value: the plain value (name for p-, URL for u-).
        var value: String?
        let line: Int

        init(types: [String], line: Int) {
            self.types = types
            self.line = line
        }

        func add(_ name: String, _ value: Value) {
            if let index = properties.firstIndex(where: { $0.name == name }) {
                properties[index].values.append(value)
            } else {
                properties.append((name, [value]))
            }
        }

        func values(_ name: String) -> [Value] { properties.first { $0.name == name }?.values ?? [] }

        /// Plain text values of a property (nested items give their `value`).
        func strings(_ name: String) -> [String] {
            values(name).compactMap {
                switch $0 {
                case .text(let text): text
                case .item(let item): item.value ?? item.strings("name").first
                }
            }
        }
    }

    enum Value {
        case text(String)
        case item(Item)
    }

    let baseURL: String?
    /// Set when a walk stopped at ``HTMLText/maxDepth``.
    private(set) var truncated = false

    init(document: DOMDocument, url: String?) {
        var base = url
        if let href = (try? document.select("//base[@href]"))?.first?.attribute("href") {
            base = HTMLText.resolve(href, base: url)
        }
        baseURL = base
    }

    // MARK: Class names

    private static func isRootClass(_ name: String) -> Bool {
        // h-{vendor-}name: "h-" then lower-case letters/digits words separated by "-".
        guard name.hasPrefix("h-"), name.count > 2 else { return false }
        return name.dropFirst(2).split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    private static func isPropertyClass(_ name: String) -> Bool {
        for prefix in ["p-", "u-", "dt-", "e-"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            return !rest.isEmpty && rest.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
        return false
    }

    /// Classic (v1) root class names and their v2 types.
    private static let classicRoots: [String: String] = [
        "vcard": "h-card", "adr": "h-adr", "geo": "h-geo", "hentry": "h-entry", "vevent": "h-event",
        "hreview": "h-review", "hresume": "h-resume", "hproduct": "h-product", "hrecipe": "h-recipe", "hfeed": "h-feed",
    ]

    /// Classic property class names per classic root type → v2 property classes.
    private static let classicProperties: [String: [String: [String]]] = [
        "h-card": [
            "fn": ["p-name"], "honorific-prefix": ["p-honorific-prefix"], "given-name": ["p-given-name"],
            "additional-name": ["p-additional-name"], "family-name": ["p-family-name"], "honorific-suffix": ["p-honorific-suffix"],
            "nickname": ["p-nickname"], "email": ["u-email"], "logo": ["u-logo"], "photo": ["u-photo"], "url": ["u-url"],
            "uid": ["u-uid"], "category": ["p-category"], "adr": ["p-adr"], "extended-address": ["p-extended-address"],
            "street-address": ["p-street-address"], "locality": ["p-locality"], "region": ["p-region"],
            "postal-code": ["p-postal-code"], "country-name": ["p-country-name"], "label": ["p-label"], "geo": ["p-geo"],
            "latitude": ["p-latitude"], "longitude": ["p-longitude"], "tel": ["p-tel"], "note": ["p-note"], "bday": ["dt-bday"],
            "key": ["u-key"], "org": ["p-org"], "organization-name": ["p-organization-name"], "organization-unit": ["p-organization-unit"],
            "title": ["p-job-title"], "role": ["p-role"], "tz": ["p-tz"], "rev": ["dt-rev"], "sort-string": ["p-sort-string"],
            "class": ["p-class"], "sound": ["u-sound"], "agent": ["p-agent"],
        ],
        "h-adr": [
            "post-office-box": ["p-post-office-box"], "extended-address": ["p-extended-address"], "street-address": ["p-street-address"],
            "locality": ["p-locality"], "region": ["p-region"], "postal-code": ["p-postal-code"], "country-name": ["p-country-name"],
        ],
        "h-geo": ["latitude": ["p-latitude"], "longitude": ["p-longitude"]],
    ]

    /// Root types of an element in the current mode (v2 classes win over classic ones).
    private func rootTypes(_ classes: [String], classic: Bool) -> (types: [String], backcompat: Bool) {
        let v2 = Array(Set(classes.filter(Self.isRootClass))).sorted()
        if !v2.isEmpty { return (v2, false) }
        guard classic else { return ([], false) }
        let old = Array(Set(classes.compactMap { Self.classicRoots[$0] })).sorted()
        return (old, !old.isEmpty)
    }

    // MARK: Parsing

    /// Every top-level microformat of the document, in document order.
    mutating func items(in document: DOMDocument) -> [Item] {
        guard let root = document.root else { return [] }
        var found: [Item] = []
        findRoots(root, depth: 0, into: &found)
        return found
    }

    private mutating func findRoots(_ node: DOMNode, depth: Int, into found: inout [Item]) {
        guard depth < HTMLText.maxDepth else { truncated = true; return }
        for child in node.elements {
            let (types, backcompat) = rootTypes(HTMLText.classes(child), classic: true)
            if !types.isEmpty {
                found.append(parseItem(child, types: types, backcompat: backcompat, depth: depth + 1))
            } else {
                findRoots(child, depth: depth + 1, into: &found)
            }
        }
    }

    private mutating func parseItem(_ element: DOMNode, types: [String], backcompat: Bool, depth: Int) -> Item {
        let item = Item(types: types, line: element.line)
        var sawP = false, sawU = false, sawNested = false, sawE = false
        walkProperties(of: element, item: item, backcompat: backcompat, rootTypes: types, depth: depth,
                       sawP: &sawP, sawU: &sawU, sawE: &sawE, sawNested: &sawNested)
        if backcompat { applyClassicRootProperties(element, item: item, types: types) }
        // Implied properties (the spec applies them to v2 roots only; classic vcards imply nothing).
        if !backcompat {
            if item.values("name").isEmpty, !sawP, !sawE, !sawNested {
                if let name = impliedName(element), !name.isEmpty { item.add("name", .text(name)) }
            }
            if item.values("url").isEmpty, !sawU, !sawNested, let url = impliedURL(element) {
                item.add("url", .text(url))
            }
        }
        return item
    }

    /// Classic markup often puts property classes on the root itself (`<a class="vcard fn url">`).
    private mutating func applyClassicRootProperties(_ element: DOMNode, item: Item, types: [String]) {
        let classes = HTMLText.classes(element)
        for type in types {
            guard let table = Self.classicProperties[type] else { continue }
            for name in classes {
                for property in table[name] ?? [] where item.values(String(property.drop { $0 != "-" }.dropFirst())).isEmpty {
                    addProperty(property, from: element, to: item)
                }
            }
        }
    }

    private func propertyClasses(_ classes: [String], backcompat: Bool, rootTypes: [String]) -> [String] {
        if !backcompat { return Array(Set(classes.filter(Self.isPropertyClass))).sorted() }
        var result: [String] = []
        for type in rootTypes {
            for name in classes { result += Self.classicProperties[type]?[name] ?? [] }
        }
        return Array(Set(result)).sorted()
    }

    private mutating func walkProperties(
        of element: DOMNode, item: Item, backcompat: Bool, rootTypes parentTypes: [String], depth: Int,
        sawP: inout Bool, sawU: inout Bool, sawE: inout Bool, sawNested: inout Bool
    ) {
        guard depth < HTMLText.maxDepth else { truncated = true; return }
        for child in element.elements {
            let classes = HTMLText.classes(child)
            let properties = propertyClasses(classes, backcompat: backcompat, rootTypes: parentTypes)
            // A classic "n" (or v1 "org" with sub-parts) is a grouping with no root class: its children
            // still belong to this item. A v2 root inside a classic item is still a nested item.
            var (types, childBackcompat) = rootTypes(classes, classic: true)
            if !backcompat, childBackcompat {
                // Classic roots inside a v2 item count only when they carry a v2 property class.
                if properties.isEmpty { types = []; childBackcompat = false }
            }
            if backcompat, properties.contains("p-geo") || properties.contains("p-adr") || properties.contains("p-agent") {
                if types.isEmpty { types = [properties.contains("p-geo") ? "h-geo" : properties.contains("p-adr") ? "h-adr" : "h-card"]; childBackcompat = true }
            }
            for property in properties {
                if property.hasPrefix("p-") { sawP = true }
                if property.hasPrefix("u-") { sawU = true }
                if property.hasPrefix("e-") { sawE = true }
            }
            if !types.isEmpty {
                sawNested = true
                let nested = parseItem(child, types: types, backcompat: childBackcompat, depth: depth + 1)
                if properties.isEmpty {
                    item.children.append(nested)
                } else {
                    for property in properties {
                        let name = String(property.drop { $0 != "-" }.dropFirst())
                        if property.hasPrefix("u-") {
                            nested.value = urlValue(child) ?? nested.strings("url").first ?? textValue(child)
                        } else if property.hasPrefix("p-") {
                            nested.value = nested.strings("name").first ?? textValue(child)
                        } else {
                            nested.value = textValue(child)
                        }
                        item.add(name, .item(nested))
                    }
                }
                continue
            }
            for property in properties { addProperty(property, from: child, to: item) }
            walkProperties(of: child, item: item, backcompat: backcompat, rootTypes: parentTypes, depth: depth + 1,
                           sawP: &sawP, sawU: &sawU, sawE: &sawE, sawNested: &sawNested)
        }
    }

    private func addProperty(_ property: String, from element: DOMNode, to item: Item) {
        let name = String(property.drop { $0 != "-" }.dropFirst())
        let value: String
        if property.hasPrefix("u-") {
            value = urlValue(element) ?? textValue(element)
        } else if property.hasPrefix("dt-") {
            value = valueClass(element) ?? element.attribute("datetime") ?? element.attribute("title") ?? element.attribute("value") ?? HTMLText.text(of: element)
        } else if property.hasPrefix("e-") {
            value = HTMLText.text(of: element)
        } else {
            value = textValue(element)
        }
        item.add(name, .text(value))
    }

    /// p-* parsing: value-class pattern, then abbr/link title, data/input value, img/area alt, text.
    private func textValue(_ element: DOMNode) -> String {
        if let parts = valueClass(element) { return parts }
        switch element.name {
        case "abbr", "link": if let title = element.attribute("title") { return HTMLText.collapse(title) }
        case "data", "input": if let value = element.attribute("value") { return HTMLText.collapse(value) }
        case "img", "area": if let alt = element.attribute("alt") { return HTMLText.collapse(alt) }
        default: break
        }
        return HTMLText.text(of: element)
    }

    /// u-* parsing: href, src, poster, data; then value-class, abbr title, data value, text.
    private func urlValue(_ element: DOMNode) -> String? {
        let attribute: String? = switch element.name {
        case "a", "area", "link": element.attribute("href")
        case "img", "audio", "video", "source", "iframe": element.attribute("src")
        case "object": element.attribute("data")
        default: nil
        }
        if let attribute { return HTMLText.resolve(attribute, base: baseURL) }
        if element.name == "video", let poster = element.attribute("poster") { return HTMLText.resolve(poster, base: baseURL) }
        if let parts = valueClass(element) { return parts }
        if element.name == "abbr", let title = element.attribute("title") { return title }
        if element.name == "data" || element.name == "input", let value = element.attribute("value") { return value }
        return nil
    }

    /// The value-class pattern: the concatenated values of descendants with class "value"
    /// (or their `title` for class "value-title"); nil when there are none.
    private func valueClass(_ element: DOMNode) -> String? {
        var parts: [String] = []
        collectValues(element, into: &parts, depth: 0)
        return parts.isEmpty ? nil : parts.joined()
    }

    private func collectValues(_ element: DOMNode, into parts: inout [String], depth: Int) {
        guard depth < HTMLText.maxDepth else { return }
        for child in element.elements {
            let classes = HTMLText.classes(child)
            if classes.contains(where: Self.isRootClass) { continue }
            if classes.contains("value-title"), let title = child.attribute("title") {
                parts.append(title)
            } else if classes.contains("value") {
                switch child.name {
                case "img", "area": parts.append(child.attribute("alt") ?? HTMLText.text(of: child))
                case "data": parts.append(child.attribute("value") ?? HTMLText.text(of: child))
                case "abbr": parts.append(child.attribute("title") ?? HTMLText.text(of: child))
                default: parts.append(HTMLText.text(of: child))
                }
            } else {
                collectValues(child, into: &parts, depth: depth + 1)
            }
        }
    }

    private func impliedName(_ element: DOMNode) -> String? {
        func fromSelf(_ node: DOMNode) -> String? {
            switch node.name {
            case "img", "area": node.attribute("alt")
            case "abbr": node.attribute("title")
            default: nil
            }
        }
        if let name = fromSelf(element) { return name }
        func onlyChild(_ node: DOMNode) -> DOMNode? {
            let elements = node.elements
            guard elements.count == 1 else { return nil }
            let child = elements[0]
            return HTMLText.classes(child).contains(where: Self.isRootClass) ? nil : child
        }
        if let child = onlyChild(element) {
            if let name = fromSelf(child) { return name }
            if let grandchild = onlyChild(child), let name = fromSelf(grandchild) { return name }
        }
        return HTMLText.text(of: element)
    }

    private func impliedURL(_ element: DOMNode) -> String? {
        func href(_ node: DOMNode) -> String? {
            guard node.name == "a" || node.name == "area", let href = node.attribute("href") else { return nil }
            return HTMLText.resolve(href, base: baseURL)
        }
        if let url = href(element) { return url }
        func onlyChild(_ node: DOMNode, named names: Set<String>) -> DOMNode? {
            let matching = node.elements.filter { names.contains($0.name) }
            guard matching.count == 1, !HTMLText.classes(matching[0]).contains(where: Self.isRootClass) else { return nil }
            return matching[0]
        }
        if let child = onlyChild(element, named: ["a", "area"]), let url = href(child) { return url }
        let elements = element.elements
        if elements.count == 1, !HTMLText.classes(elements[0]).contains(where: Self.isRootClass),
           let grandchild = onlyChild(elements[0], named: ["a", "area"]), let url = href(grandchild) {
            return url
        }
        return nil
    }
}
