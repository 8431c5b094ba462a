import Foundation
import LibXML

/// Text of HTML nodes the way a reader sees it, plus the small decoders saved pages need.
enum HTMLText {
    /// Deepest element level the recursive walkers descend to. Real pages stay under 60; a hostile or
    /// broken file may nest 100,000 levels, which would exhaust the stack of a recursive walk.
    static let maxDepth = 400

    /// Collapses runs of white space (including U+00A0 from `&nbsp;`) into one space and trims.
    static func collapse(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" || scalar == "\u{200B}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text of an element: `<script>`, `<style>` and `<template>` dropped, `<img>` replaced by its
    /// alt text, `<br>` and block ends as spaces; white space collapsed.
    static func text(of node: DOMNode, imageAlt: Bool = true) -> String {
        var out = ""
        append(node, to: &out, depth: 0, imageAlt: imageAlt)
        return collapse(out)
    }

    private static let skipped: Set<String> = ["script", "style", "template", "noscript", "head"]
    private static let blocks: Set<String> = ["br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "section", "article", "header", "footer"]

    private static func append(_ node: DOMNode, to out: inout String, depth: Int, imageAlt: Bool) {
        guard depth < maxDepth else { return }
        var child = node.firstChild
        while let current = child {
            switch current.kind {
            case .text, .cdata:
                out += current.text ?? ""
            case .element:
                let name = current.name
                if skipped.contains(name) { break }
                if name == "img" || name == "area" {
                    if imageAlt, let alt = current.attribute("alt") { out += " " + alt + " " }
                    break
                }
                let block = blocks.contains(name)
                if block { out += " " }
                append(current, to: &out, depth: depth + 1, imageAlt: imageAlt)
                if block { out += " " }
            default:
                break
            }
            child = current.nextSibling
        }
    }

    /// The class names of an element.
    static func classes(_ node: DOMNode) -> [String] {
        guard let value = node.attribute("class") else { return [] }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }).map(String.init)
    }

    /// Cloudflare's e-mail obfuscation: hex bytes, the first is an XOR key for the rest; UTF-8 text.
    static func decodeCloudflare(_ hex: String) -> String? {
        let digits = Array(hex.utf8)
        guard digits.count >= 4, digits.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        let key = bytes[0]
        let decoded = bytes.dropFirst().map { $0 ^ key }
        guard let text = String(validating: decoded, as: UTF8.self), !text.isEmpty else { return nil }
        return text
    }

    /// Cloudflare's placeholder for an obfuscated address: never an e-mail.
    static func isObfuscationPlaceholder(_ text: String) -> Bool {
        // The page's `[email&#160;protected]` reaches us decoded; collapse turns U+00A0 into a space.
        return collapse(text).lowercased().contains("email protected")
    }

    /// Replaces every Cloudflare-obfuscated address in the document with the real one, in place:
    /// `data-cfemail` elements get the decoded text and `/cdn-cgi/l/email-protection#HEX` links a
    /// `mailto:` href. Returns how many were decoded and how many could not be.
    static func revealCloudflareEmails(in document: DOMDocument) -> (decoded: Int, failed: Int) {
        var decoded = 0
        var failed = 0
        for node in (try? document.select("//*[@data-cfemail]")) ?? [] {
            if let email = node.attribute("data-cfemail").flatMap(decodeCloudflare) {
                node.setText(email)
                decoded += 1
                // The surrounding link usually points at /cdn-cgi/l/email-protection without the hash.
                var link: DOMNode? = node
                while let current = link, current.name != "a" { link = current.parent }
                if let link, let href = link.attribute("href"), href.contains("/cdn-cgi/l/email-protection") {
                    link.setAttribute("href", "mailto:" + email)
                }
            } else {
                failed += 1
            }
        }
        for node in (try? document.select("//a[contains(@href, '/cdn-cgi/l/email-protection#')]")) ?? [] {
            guard let href = node.attribute("href"), let hash = href.split(separator: "#", maxSplits: 1).last else { continue }
            if let email = decodeCloudflare(String(hash)) {
                node.setAttribute("href", "mailto:" + email)
                if isObfuscationPlaceholder(node.content) { node.setText(email) }
                decoded += 1
            } else {
                failed += 1
            }
        }
        return (decoded, failed)
    }

    /// Resolves a possibly relative URL against a base (RFC 3986 reference resolution, the common
    /// cases: absolute, scheme-relative, absolute path, relative path, query, fragment).
    static func resolve(_ reference: String, base: String?) -> String {
        let value = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let base, !base.isEmpty else { return value }
        if let colon = value.firstIndex(of: ":"), value[..<colon].allSatisfy({ $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }), colon != value.startIndex {
            return value
        }
        guard let schemeEnd = base.range(of: "://") else { return value }
        let scheme = String(base[..<schemeEnd.lowerBound])
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let origin = scheme + "://" + afterScheme[..<authorityEnd]
        var path = String(afterScheme[authorityEnd...])
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        if path.isEmpty { path = "/" }
        if value.isEmpty { return origin + path }
        if value.hasPrefix("//") { return scheme + ":" + value }
        if value.hasPrefix("/") { return origin + value }
        if value.hasPrefix("?") { return origin + path + value }
        if value.hasPrefix("#") {
            var full = String(base)
            if let hash = full.firstIndex(of: "#") { full = String(full[..<hash]) }
            return full + value
        }
        let directory = path.hasSuffix("/") ? path : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
        var segments: [Substring] = []
        for segment in (directory + value).split(separator: "/", omittingEmptySubsequences: false) {
            if segment == "." { continue }
            if segment == ".." { if segments.count > 1 { segments.removeLast() }; continue }
            segments.append(segment)
        }
        var joined = segments.joined(separator: "/")
        if value.hasSuffix("/.") || value.hasSuffix("/..") || value == "." || value == ".." { joined += "/" }
        return origin + (joined.hasPrefix("/") ? joined : "/" + joined)
    }
}
