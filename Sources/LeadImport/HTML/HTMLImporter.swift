public import LeadCore
import Foundation
import LibXML

/// Saved web pages: attendee and speaker tables, saved title-search result pages, partner
/// directories. One importer reads every HTML page, in this order of evidence:
/// 1. a page layout from the mappings (`format: html`) whose `detect` XPath matches the page;
/// 2. otherwise the person markup the page carries: microformats `h-card`/`vcard`, schema.org
///    `Person` in JSON-LD or microdata, and tables whose header cells name person fields.
/// Records come in document order; ordinals count top-level cards, persons and data rows.
public struct HTMLImporter: Importer {
    public let id = "html"
    public let displayName = "HTML page (tables, h-card, schema.org, saved layouts)"
    public let fileExtensions = ["html", "htm", "xhtml"]
    public let defaultSourceKind = SourceKind.titleSearch
    /// Page layouts tried first (shipped presets, then the team's own).
    public let layouts: [PageMapping]

    public init(layouts: [PageMapping] = PagePresets.all.filter { $0.format == .html }) {
        self.layouts = layouts
    }

    public func sniff(_ file: SourceFile) -> Confidence {
        var head = file.head
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        let text = String(decoding: head.prefix(4096), as: UTF8.self).lowercased()
        let markup = text.contains("<!doctype html") || text.contains("<html") || text.contains("<body") || text.contains("<table")
            || text.contains("<div") || text.contains("<head")
        let byExtension = fileExtensions.contains(file.pathExtension)
        switch (markup, byExtension) {
        case (true, true): return Confidence(0.95, "extension .\(file.pathExtension); HTML markup")
        case (true, false):
            // Without an HTML extension only a document start counts: a CSV may carry markup in a cell.
            guard text.contains("<!doctype html") || text.contains("<html") else { return .no }
            return Confidence(0.7, "HTML document start in the first bytes")
        case (false, true): return Confidence(0.5, "extension .\(file.pathExtension) but no HTML markup in the first bytes")
        default: return .no
        }
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try HTMLRecordReader(file: file, options: options, importer: self)
    }
}

/// Reads a page whole (pages are kilobytes to a few megabytes; a DOM is what every markup strategy
/// needs) and hands out its records one at a time.
final class HTMLRecordReader: RecordReader {
    private(set) var facts: [String: String] = [:]
    private var steps: [ReaderStep] = []
    /// The fields of each rejected record (by ordinal), one `name: value` line each, and the one
    /// behind the last `.rejected` step.
    private var rejectedTexts: [Int: RawRecord] = [:]
    private(set) var rejectedRaw: RawRecord?
    private let file: SourceFile
    private let source: LeadSource

    /// A record found on the page before ordinals are given: its line and how to build it.
    private struct Found {
        var line: Int
        var importer: String
        var build: (inout RecordBuilder) -> Void
    }

    init(file: SourceFile, options: ImportOptions, importer: HTMLImporter) throws(ImportError) {
        self.file = file
        let document: DOMDocument
        do { document = try DOMDocument.html(path: file.path) } catch {
            throw ImportError("html.unreadable", "not readable as HTML: \(error.message)", at: SourceLocation(file: file.name, line: error.line))
        }
        let url = (try? document.select("//link[@rel='canonical']/@href"))?.first?.content
            ?? (try? document.select("//meta[@property='og:url']/@content"))?.first?.content
        var notes: [ReaderStep] = []
        let revealed = HTMLText.revealCloudflareEmails(in: document)
        if revealed.decoded > 0 {
            notes.append(.note(Issue(.info, "html.cloudflare-email", "decoded \(revealed.decoded) Cloudflare-obfuscated e-mail address(es)", at: SourceLocation(file: file.name))))
            facts["cloudflare-emails"] = String(revealed.decoded)
        }
        if revealed.failed > 0 {
            notes.append(.note(Issue(.warning, "html.cloudflare-email-undecodable", "\(revealed.failed) obfuscated e-mail address(es) could not be decoded", at: SourceLocation(file: file.name))))
        }

        var found: [Found] = []
        var layout: PageMapping?
        for candidate in importer.layouts {
            let detect = candidate.detect ?? candidate.record
            if let hits = try? document.select(detect), !hits.isEmpty { layout = candidate; break }
        }
        var mappingKind: SourceKind?
        if let layout {
            facts["layout"] = "\(layout.id) (\(layout.name))"
            mappingKind = layout.sourceKind
            found = Self.layoutRecords(layout, document: document)
        } else {
            var microformats = Microformats(document: document, url: url)
            let items = microformats.items(in: document)
            let cards = Self.cards(in: items)
            found += cards.map { card in Found(line: card.line, importer: "html.h-card") { builder in Self.fill(&builder, card: card) } }
            var things = SchemaOrg.microdata(in: document, baseURL: microformats.baseURL)
            var jsonLD = 0
            for script in (try? document.select("//script[@type='application/ld+json']")) ?? [] {
                let line = script.line
                guard let json = SchemaOrg.parseJSONLD(script.content) else {
                    notes.append(.note(Issue(.warning, "html.jsonld-invalid", "a JSON-LD script is not valid JSON even after repair; skipped", at: SourceLocation(file: file.name, line: line))))
                    continue
                }
                jsonLD += 1
                things += SchemaOrg.things(fromJSONLD: json, line: line)
            }
            let persons = SchemaOrg.flatten(things).filter(\.isPerson)
            found += persons.map { person in Found(line: person.line, importer: "html.schema-org") { builder in Self.fill(&builder, person: person) } }
            let tables = HTMLTables.peopleTables(in: document)
            for table in tables {
                found += table.rows.map { row in
                    Found(line: row.line, importer: "html.table") { builder in
                        for cell in row.cells { builder.add(column: cell.column, value: cell.value, field: cell.field) }
                    }
                }
            }
            var kinds: [String] = []
            if !cards.isEmpty { kinds.append("\(cards.count) h-card") }
            if !persons.isEmpty { kinds.append("\(persons.count) schema.org Person") }
            if !tables.isEmpty { kinds.append("\(tables.count) people table(s), \(tables.map(\.rows.count).reduce(0, +)) rows") }
            facts["markup"] = kinds.isEmpty ? "no person markup" : kinds.joined(separator: ", ")
            if jsonLD > 0 { facts["json-ld"] = String(jsonLD) }
            if microformats.truncated {
                notes.append(.note(Issue(.warning, "html.too-deep", "elements nested deeper than \(HTMLText.maxDepth) levels were not read", at: SourceLocation(file: file.name))))
            }
            if found.isEmpty {
                notes.append(.note(Issue(.warning, "html.no-people", "no person records on the page: no h-card, schema.org Person, people table or known layout", at: SourceLocation(file: file.name))))
            }
        }
        source = options.sourceName != nil || options.sourceKind != nil || mappingKind == nil
            ? options.source(for: file, importer: importer)
            : LeadSource(name: file.name, kind: mappingKind!)
        found.sort { $0.line < $1.line }
        var result = notes
        for (index, item) in found.enumerated() {
            let ordinal = index + 1
            var builder = RecordBuilder(
                source: source,
                provenance: Provenance(fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: item.line,
                                       importer: layout.map { "html." + $0.id } ?? item.importer))
            var issues: [Issue] = []
            item.build(&builder)
            let location = SourceLocation(file: file.name, line: item.line, record: ordinal)
            Self.dropPlaceholders(&builder, issues: &issues, location: location)
            if builder.record.hasPersonData {
                result.append(.record(builder.record, raw: builder.raw, issues: issues))
            } else {
                let what = builder.record.company != nil ? "only an organisation" : "no name, e-mail, phone or profile"
                rejectedTexts[ordinal] = .lines(builder.raw)
                result.append(.rejected(Issue(.error, "record.no-person", "record has \(what)", at: location)))
            }
        }
        steps = result.reversed()
    }

    func next() throws(ImportError) -> ReaderStep? {
        let step = steps.popLast()
        if case .rejected(let issue)? = step {
            rejectedRaw = issue.location.record.flatMap { rejectedTexts[$0] }
        }
        return step
    }

    /// Never store Cloudflare's `[email protected]` placeholder (or any non-address) as an e-mail.
    private static func dropPlaceholders(_ builder: inout RecordBuilder, issues: inout [Issue], location: SourceLocation) {
        let before = builder.record.emails.count
        builder.record.emails.removeAll { HTMLText.isObfuscationPlaceholder($0.raw) }
        if builder.record.emails.count < before {
            issues.append(Issue(.warning, "html.email-placeholder", "an obfuscated e-mail placeholder was left out", at: location))
        }
    }

    // MARK: Layouts

    private static func layoutRecords(_ layout: PageMapping, document: DOMDocument) -> [Found] {
        let records = (try? document.select(layout.record)) ?? []
        return records.map { node in
            Found(line: node.line, importer: "html." + layout.id) { builder in
                for field in layout.fields {
                    for path in field.paths {
                        for value in Self.values(document: document, path: path, from: node) {
                            builder.add(column: field.name, value: Self.strip(value, for: field.target), target: field.target, transforms: field.transforms)
                        }
                    }
                }
            }
        }
    }

    /// Values an XPath gives below a record: each selected node's text (attributes: their value), or
    /// the string result of a non-node expression such as `normalize-space(...)`.
    private static func values(document: DOMDocument, path: String, from node: DOMNode) -> [String] {
        if let nodes = try? document.select(path, from: node), !nodes.isEmpty {
            return nodes.map { $0.isElement ? HTMLText.text(of: $0) : HTMLText.collapse($0.content) }.filter { !$0.isEmpty }
        }
        let text = (try? document.string(path, from: node)).map(HTMLText.collapse) ?? ""
        return text.isEmpty ? [] : [text]
    }

    /// `mailto:` and `tel:` prefixes (and query strings) off e-mail and phone values from links.
    static func strip(_ value: String, for target: Mapping.Target?) -> String {
        guard case .field(let field)? = target else { return value }
        switch field {
        case .email: return contactValue(value, scheme: "mailto:")
        case .phone: return contactValue(value, scheme: "tel:")
        default: return value
        }
    }

    static func contactValue(_ value: String, scheme: String) -> String {
        var text = value.trimmingWhitespace()
        if text.lowercased().hasPrefix(scheme) { text = String(text.dropFirst(scheme.count)) }
        if scheme == "mailto:", let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        return text.removingPercentEncoding ?? text
    }

    // MARK: Microformats

    /// The person cards of a page: top-level h-cards, and h-cards found as properties or children
    /// of other top-level items (an h-entry's author, an h-event's attendees).
    static func cards(in items: [Microformats.Item]) -> [Microformats.Item] {
        var result: [Microformats.Item] = []
        func visit(_ item: Microformats.Item, depth: Int) {
            guard depth < 32 else { return }
            if item.types.contains("h-card") { result.append(item); return }
            for (_, values) in item.properties {
                for case .item(let nested) in values { visit(nested, depth: depth + 1) }
            }
            for child in item.children { visit(child, depth: depth + 1) }
        }
        for item in items { visit(item, depth: 0) }
        return result
    }

    private static let cardFields: [String: LeadField] = [
        "name": .displayName, "given-name": .givenName, "family-name": .familyName, "additional-name": .middleName,
        "honorific-prefix": .namePrefix, "honorific-suffix": .nameSuffix, "locality": .city, "region": .region,
        "country-name": .country, "note": .notes, "category": .tags,
    ]

    static func fill(_ builder: inout RecordBuilder, card: Microformats.Item) {
        for (name, values) in card.properties {
            for value in values {
                let text: String
                var nested: Microformats.Item?
                switch value {
                case .text(let string): text = string
                case .item(let item):
                    text = item.value ?? item.strings("name").first ?? ""
                    nested = item
                }
                let column = "h-card " + name
                switch name {
                case "email": builder.add(column: column, value: contactValue(text, scheme: "mailto:"), field: .email(.other))
                case "tel": builder.add(column: column, value: contactValue(text, scheme: "tel:"), field: .phone(.other))
                case "org": builder.add(column: column, value: nested?.strings("name").first ?? text, field: .company)
                case "job-title": builder.add(column: column, value: text, field: .title)
                case "role":
                    builder.add(column: column, value: text, field: card.values("job-title").isEmpty ? .title : nil)
                case "url", "uid":
                    addURL(&builder, column: column, value: text)
                case "adr":
                    if let nested {
                        for part in ["locality", "region", "country-name"] {
                            for value in nested.strings(part) { builder.add(column: "h-card adr " + part, value: value, field: cardFields[part]) }
                        }
                    } else {
                        builder.add(column: column, value: text, field: nil)
                    }
                case "photo", "logo":
                    builder.raw.append(ExtraField(name: column, value: text))
                default:
                    builder.add(column: column, value: text, field: cardFields[name])
                }
            }
        }
    }

    static func addURL(_ builder: inout RecordBuilder, column: String, value: String) {
        let lowered = value.lowercased()
        if CardBuilder.socialHosts.contains(where: { lowered.contains($0 + "/") }) {
            builder.add(column: column, value: value, field: .socialProfile)
        } else {
            builder.add(column: column, value: value, field: builder.record.website == nil ? .website : nil)
        }
    }

    // MARK: schema.org

    private static let personFields: [String: LeadField] = [
        "name": .displayName, "givenName": .givenName, "familyName": .familyName, "additionalName": .middleName,
        "honorificPrefix": .namePrefix, "honorificSuffix": .nameSuffix, "jobTitle": .title, "description": .notes,
    ]

    static func fill(_ builder: inout RecordBuilder, person: SchemaOrg.Thing) {
        for (name, value) in person.properties {
            let column = "schema.org " + name
            switch (name, value) {
            case ("email", .text(let text)): builder.add(column: column, value: contactValue(text, scheme: "mailto:"), field: .email(.other))
            case ("telephone", .text(let text)): builder.add(column: column, value: contactValue(text, scheme: "tel:"), field: .phone(.other))
            case ("worksFor", _), ("affiliation", _), ("memberOf", _):
                let company: String? = switch value {
                case .text(let text): text
                case .thing(let thing): thing.text("name") ?? thing.text("legalName")
                }
                if let company { builder.add(column: column, value: company, field: name == "worksFor" || builder.record.company == nil ? .company : nil) }
            case ("address", .thing(let address)):
                for (part, field) in [("addressLocality", LeadField.city), ("addressRegion", .region), ("addressCountry", .country)] {
                    if let text = address.text(part) { builder.add(column: column + " " + part, value: text, field: field) }
                }
            case ("address", .text(let text)): builder.add(column: column, value: text, field: nil)
            case ("url", .text(let text)), ("sameAs", .text(let text)): addURL(&builder, column: column, value: text)
            case ("image", _): break
            case (_, .text(let text)): builder.add(column: column, value: text, field: personFields[name])
            case (_, .thing(let thing)):
                if let text = thing.text("name") { builder.add(column: column, value: text, field: nil) }
            }
        }
    }
}
