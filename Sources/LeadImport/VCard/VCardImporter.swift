public import LeadCore
import Confusables
import Foundation

/// vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350, the 2.1 specification) as written by real address
/// books: Outlook, Apple, Google, Android, Evolution, Thunderbird, KDE, Lotus Notes, BlackBerry, XING.
public struct VCardImporter: Importer {
    /// Hosts whose URL in a card is a social profile (a profile URL, not the person's website).
    public static let socialHosts = ["linkedin.com", "twitter.com", "x.com", "facebook.com", "xing.com", "github.com", "instagram.com", "mastodon"]

    public let id = "vcard"
    public let displayName = "vCard 2.1 / 3.0 / 4.0 (.vcf)"
    public let fileExtensions = ["vcf", "vcard"]
    public let defaultSourceKind = SourceKind.contactsExport

    public init() {}

    public func sniff(_ file: SourceFile) -> Confidence {
        var head = file.head
        if let bom = TextEncoding.fromHead(head), bom == .utf16LE || bom == .utf16BE {
            // Drop the zero bytes of ASCII text in UTF-16 for the signature test.
            head = head.filter { $0 != 0 }
        }
        let text = String(decoding: head.prefix(2048), as: UTF8.self).uppercased()
        let signature = text.contains("BEGIN:VCARD")
        let byExtension = fileExtensions.contains(file.pathExtension)
        switch (signature, byExtension) {
        case (true, true): return Confidence(0.99, "extension .\(file.pathExtension); BEGIN:VCARD")
        case (true, false): return Confidence(0.9, "BEGIN:VCARD in the first bytes")
        case (false, true): return Confidence(file.size <= 3 ? 0.6 : 0.3, "extension .\(file.pathExtension) but no BEGIN:VCARD")
        default: return .no
        }
    }

    public func makeReader(for file: SourceFile, options: ImportOptions) throws(ImportError) -> any RecordReader {
        try VCardRecordReader(file: file, source: options.source(for: file, importer: self), importerID: id, limits: options.limits)
    }
}

/// Streams the cards of one file; a broken card is rejected and the next one read.
final class VCardRecordReader: RecordReader {
    private(set) var facts: [String: String] = [:]
    private let file: SourceFile
    private let source: LeadSource
    private let importerID: String
    private let lexer: VCardLexer
    private let fileEncoding: TextEncoding
    /// Charset for 8-bit values without CHARSET: UTF-8, or ICU's guess for a file that is not UTF-8.
    private let undeclaredCharset: String
    private var pending: [ReaderStep] = []
    private var ordinal = 0
    private var card: CardBuilder?
    private var versions: [String] = []
    private var charsets: [String] = []
    private var warnedUndeclared = false
    private let limits: ImportLimits
    /// Properties of the current card, and why it will be rejected at its END (a limit it broke).
    private var cardProperties = 0
    private var cardRejection: Issue?
    /// The text of the card behind the last `.rejected` step.
    private(set) var rejectedRaw: RawRecord?
    /// The current card's lines as written, at most 64 KiB.
    private var cardText: [UInt8] = []

    private func appendText(_ property: VCardProperty) {
        guard cardText.count < 64 * 1024 else { return }
        cardText.append(0x0A)
        cardText += property.sourceText
    }
    var bytesRead: Int64? { lexer.bytesRead }

    init(file: SourceFile, source: LeadSource, importerID: String, limits: ImportLimits = .default) throws(ImportError) {
        self.limits = limits
        self.file = file
        self.source = source
        self.importerID = importerID
        let (encoding, _) = try TextEncoding.detect(file)
        fileEncoding = encoding
        facts["encoding"] = encoding.rawValue
        if encoding == .windows1252 {
            // Not UTF-8 and no BOM: ask ICU which 8-bit charset the text looks like (Cyrillic and
            // Greek address books write Windows-1251/1253 without saying so).
            // First a charset the file declares on other properties (Outlook declares it on some only),
            // then ICU's detector.
            let headText = String(decoding: file.head, as: UTF8.self).uppercased()
            let declared = headText.components(separatedBy: "CHARSET=").dropFirst()
                .map { String($0.prefix { $0 != ";" && $0 != ":" && $0 != "\r" && $0 != "\n" }) }
                .first { !$0.hasPrefix("UTF") && Charsets.decode([0xE9], charset: $0) != nil }
            let eightBit = file.head.filter { $0 >= 0x80 }.count
            if let declared {
                undeclaredCharset = declared
            } else if eightBit >= 8, let guess = Charsets.detect(file.head), guess.confidence >= 30,
               !["UTF-8", "ISO-8859-1", "windows-1252"].contains(guess.name)
            {
                undeclaredCharset = guess.name
            } else {
                undeclaredCharset = "windows-1252"
            }
            facts["encoding"] = "8-bit, no charset declared (read as \(undeclaredCharset))"
        } else {
            undeclaredCharset = "UTF-8"
        }
        // UTF-16 is transcoded; everything else is passed through as bytes and decoded per property,
        // because a 2.1 property may declare its own CHARSET.
        let streamEncoding: TextEncoding = encoding == .utf16LE || encoding == .utf16BE || encoding == .utf8BOM ? encoding : .utf8
        lexer = VCardLexer(stream: try UTF8Stream(file: file, encoding: streamEncoding), maxLineBytes: limits.maxLineBytes)
    }

    private func note(_ list: inout [String], _ value: String) {
        if !list.contains(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) { list.append(value) }
    }

    func next() throws(ImportError) -> ReaderStep? {
        if !pending.isEmpty { return pending.removeFirst() }
        while let property = try lexer.next() {
            if property.name == "BEGIN", VCardValue.unescape(String(decoding: property.rawValue, as: UTF8.self)).uppercased().trimmingWhitespace() == "VCARD" {
                ordinal += 1
                let previous = card
                if previous != nil { rejectedRaw = .text(Self.text(cardText[...])) }
                cardText = property.sourceText
                cardProperties = 0
                cardRejection = nil
                card = CardBuilder(
                    source: source,
                    provenance: Provenance(
                        fileName: file.name, filePath: file.path, fileSHA256: file.sha256, record: ordinal, line: property.line,
                        importer: importerID))
                if let previous {
                    return .rejected(Issue(
                        .error, "vcard.missing-end",
                        "card has no END:VCARD before the next BEGIN:VCARD at line \(property.line)",
                        at: SourceLocation(file: file.name, line: previous.record.provenance.line, record: previous.record.provenance.record)))
                }
                continue
            }
            guard card != nil else {
                if !property.name.isEmpty && property.name != "END" {
                    pending.append(.note(Issue(
                        .warning, "vcard.outside-card", "property \(property.name) outside BEGIN:VCARD/END:VCARD ignored",
                        at: SourceLocation(file: file.name, line: property.line))))
                }
                if !pending.isEmpty { return pending.removeFirst() }
                continue
            }
            if property.name == "END" {
                let finished = card!
                card = nil
                syncFacts()
                appendText(property)
                rejectedRaw = .text(Self.text(cardText[...]))
                if let cardRejection { return .rejected(cardRejection) }
                return finished.finish(file: file.name)
            }
            appendText(property)
            cardProperties += 1
            if cardRejection != nil { continue }
            if cardProperties > limits.maxVCardProperties {
                cardRejection = Issue(
                    .error, "limit.properties",
                    "card has more than \(limits.maxVCardProperties) properties (\(ImportLimits.key(\.maxVCardProperties)) in config/limits.yml); card skipped",
                    at: SourceLocation(file: file.name, line: card!.record.provenance.line, record: ordinal))
                continue
            }
            if let bytes = property.oversizedBytes {
                cardRejection = Issue(
                    .error, "limit.line-length",
                    "\(property.name) value is \(bytes) bytes, over the limit of \(limits.maxLineBytes) (\(ImportLimits.key(\.maxLineBytes)) in config/limits.yml); card skipped",
                    at: SourceLocation(file: file.name, line: property.line, record: ordinal, field: property.name))
                continue
            }
            if property.name.isEmpty {
                card!.issues.append(Issue(
                    .warning, "vcard.broken-line", "line without a property name and value ignored",
                    at: SourceLocation(file: file.name, line: property.line, record: ordinal)))
                continue
            }
            add(property)
        }
        if let unfinished = card {
            card = nil
            syncFacts()
            rejectedRaw = .text(Self.text(cardText[...]))
            return .rejected(Issue(
                .error, "vcard.missing-end", "card is not closed: the file ends before END:VCARD",
                at: SourceLocation(file: file.name, line: unfinished.record.provenance.line, record: unfinished.record.provenance.record)))
        }
        syncFacts()
        return nil
    }

    /// A card's lines as text (decoded leniently: an error file shows what was there).
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private func syncFacts() {
        if !versions.isEmpty { facts["versions"] = versions.joined(separator: ", ") }
        if !charsets.isEmpty { facts["charsets"] = charsets.joined(separator: ", ") }
    }

    private func add(_ property: VCardProperty) {
        var bytes = property.rawValue
        let encoding = property.parameter("ENCODING")?.uppercased()
        if encoding == "QUOTED-PRINTABLE" || property.types.contains("quoted-printable") {
            bytes = VCardValue.quotedPrintable(bytes)
        } else if encoding == "B" || encoding == "BASE64" {
            // Base64 is for binary values; text in base64 is rare. Keep only known text properties.
            guard ["N", "FN", "ORG", "TITLE", "NOTE", "ADR", "EMAIL", "TEL"].contains(property.name) else { return }
            if let data = Data(base64Encoded: Data(bytes), options: .ignoreUnknownCharacters) { bytes = Array(data) }
        }
        let declared = property.parameter("CHARSET")
        let (text, used) = VCardValue.decode(bytes, charset: declared, fileDefault: undeclaredCharset)
        if used != "US-ASCII" { note(&charsets, used) }
        if declared == nil, used != "UTF-8", used != "US-ASCII", !warnedUndeclared {
            warnedUndeclared = true
            pending.append(.note(Issue(
                .warning, "vcard.undeclared-charset",
                "8-bit text without a CHARSET and not valid UTF-8: read as \(used)",
                at: SourceLocation(file: file.name, line: property.line, record: ordinal))))
        }
        if let declared, used.uppercased() != declared.uppercased(), !["UTF-8", "UTF8", "WINDOWS-1252", "CP1252", "ANSI", "ISO-8859-1", "LATIN1"]
            .contains(declared.uppercased().replacingOccurrences(of: "_", with: "-")), !bytes.allSatisfy({ $0 < 0x80 })
        {
            card!.issues.append(Issue(
                .warning, "vcard.unknown-charset", "unknown CHARSET=\(declared); read as \(used)",
                at: SourceLocation(file: file.name, line: property.line, record: ordinal, field: property.name)))
        }
        if property.name == "VERSION" { note(&versions, text.trimmingWhitespace()) }
        card!.add(name: property.name, group: property.group, types: property.types, parameters: property.parameters, value: text)
    }
}

/// Maps vCard properties (from text vCards or jCard) to a lead record.
struct CardBuilder {
    var record: LeadRecord
    var raw: [ExtraField] = []
    var issues: [Issue] = []
    private var groupLabels: [String: String] = [:]
    private var groupedEmails: [(group: String, index: Int)] = []
    private var groupedPhones: [(group: String, index: Int)] = []
    private var groupedURLs: [(group: String, value: String)] = []

    init(source: LeadSource, provenance: Provenance) {
        record = LeadRecord(source: source, provenance: provenance)
    }

    static let socialHosts = VCardImporter.socialHosts

    mutating func add(name: String, group: String?, types: [String], parameters: [String: [String]], value: String) {
        raw.append(ExtraField(name: (group.map { $0 + "." } ?? "") + name, value: value))
        let trimmed = value.trimmingWhitespace()
        let preferred = types.contains("pref") || parameters["PREF"] != nil
        switch name {
        case "N":
            let parts = VCardValue.split(value, on: ";").map { VCardValue.split($0, on: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ") }
            func part(_ i: Int) -> String? { i < parts.count && !parts[i].isEmpty ? parts[i] : nil }
            record.name.family = part(0)
            record.name.given = part(1)
            record.name.middle = part(2)
            record.name.prefix = part(3)
            record.name.suffix = part(4)
        case "FN":
            let text = VCardValue.unescape(trimmed)
            if !text.isEmpty { record.name.display = text }
        case "ORG":
            let parts = VCardValue.split(value, on: ";").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if let org = parts.first { record.company = org }
            for unit in parts.dropFirst() { record.extras.append(ExtraField(name: "ORG unit", value: unit)) }
        case "TITLE":
            if !trimmed.isEmpty { record.title = VCardValue.unescape(trimmed) }
        case "ROLE":
            if !trimmed.isEmpty {
                if record.title == nil { record.title = VCardValue.unescape(trimmed) } else { record.extras.append(ExtraField(name: "ROLE", value: VCardValue.unescape(trimmed))) }
            }
        case "EMAIL":
            var address = VCardValue.unescape(trimmed)
            if address.lowercased().hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
            guard !address.isEmpty else { return }
            let kind: EmailKind = types.contains("work") ? .work : types.contains("home") ? .personal : .other
            let email = EmailAddress(raw: address, kind: kind)
            if preferred { record.emails.insert(email, at: 0) } else { record.emails.append(email) }
            if let group { groupedEmails.append((group, record.emails.count - 1)) }
        case "TEL":
            var number = VCardValue.unescape(trimmed)
            if number.lowercased().hasPrefix("tel:") { number = String(number.dropFirst(4)) }
            guard !number.isEmpty else { return }
            let phone = PhoneNumber(raw: number, kind: Self.phoneKind(types))
            if preferred { record.phones.insert(phone, at: 0) } else { record.phones.append(phone) }
            if let group { groupedPhones.append((group, preferred ? 0 : record.phones.count - 1)) }
        case "ADR":
            let parts = VCardValue.split(value, on: ";").map { $0.trimmingWhitespace() }
            func part(_ i: Int) -> String? { i < parts.count && !parts[i].isEmpty ? parts[i] : nil }
            // The first (or preferred) address gives the location; the rest stay as extras.
            if record.location.isEmpty || preferred {
                record.location = Location(city: part(3), region: part(4), country: part(6))
            }
            let street = [part(0), part(1), part(2)].compactMap { $0 }.joined(separator: ", ")
            if !street.isEmpty { record.extras.append(ExtraField(name: "ADR street", value: street)) }
            if let code = part(5) { record.extras.append(ExtraField(name: "ADR postal code", value: code)) }
        case "URL":
            let url = VCardValue.unescape(trimmed)
            guard !url.isEmpty else { return }
            if Self.socialHosts.contains(where: { url.lowercased().contains($0) }) {
                record.socialProfiles.append(url)
            } else if let group {
                groupedURLs.append((group, url))
            } else if record.website == nil {
                record.website = url
            } else {
                record.extras.append(ExtraField(name: "URL", value: url))
            }
        case "X-SOCIALPROFILE":
            let user = parameters["X-USER"]?.first
            let url = VCardValue.unescape(trimmed)
            let profile = url.isEmpty ? (user.map { "\(types.first ?? "profile"):\($0)" } ?? "") : url
            if !profile.isEmpty { record.socialProfiles.append(profile) }
        case "NOTE":
            let note = VCardValue.unescape(value).trimmingWhitespace()
            if !note.isEmpty { record.notes.append(note) }
        case "CATEGORIES":
            for tag in VCardValue.split(value, on: ",").map({ $0.trimmingWhitespace() }) where !tag.isEmpty && !record.tags.contains(tag) {
                record.tags.append(tag)
            }
        case "BDAY", "REV", "UID", "VERSION", "PRODID", "NICKNAME", "GENDER", "ANNIVERSARY", "TZ", "GEO", "LANG", "KIND":
            if !trimmed.isEmpty { record.attributes["vcard." + name.lowercased()] = VCardValue.unescape(trimmed) }
        case "X-ABLABEL":
            if let group { groupLabels[group] = Self.appleLabel(trimmed) }
        case "PHOTO", "LOGO", "SOUND", "KEY", "LABEL", "X-ABADR", "CLIENTPIDMAP", "SOURCE", "MAILER", "X-MS-OL-DESIGN":
            break  // binary or presentation-only
        default:
            if !trimmed.isEmpty { record.extras.append(ExtraField(name: (group.map { $0 + "." } ?? "") + name, value: VCardValue.unescape(trimmed))) }
        }
    }

    /// `_$!<Work>!$_` → "work"; a custom label as written, lower-cased.
    static func appleLabel(_ label: String) -> String {
        var text = label
        for marker in ["_$!<", ">!$_", "$!<", ">!$"] { text = text.replacingOccurrences(of: marker, with: "") }
        return text.lowercased()
    }

    static func phoneKind(_ types: [String]) -> PhoneKind {
        if types.contains(where: { ["cell", "mobile", "iphone", "whatsapp", "text"].contains($0) }) { return .mobile }
        if types.contains("fax") { return .fax }
        if types.contains("work") { return .work }
        if types.contains("home") { return .home }
        return .other
    }

    /// Applies Apple group labels, checks the card has a person, and returns the step.
    func finish(file: String) -> ReaderStep {
        var result = self
        for (group, index) in groupedEmails where index < result.record.emails.count {
            switch groupLabels[group] {
            case "work": result.record.emails[index].kind = .work
            case "home", "personal", "private": result.record.emails[index].kind = .personal
            default: break
            }
        }
        for (group, index) in groupedPhones where index < result.record.phones.count {
            if let label = groupLabels[group] {
                switch label {
                case "mobile", "cell", "iphone": result.record.phones[index].kind = .mobile
                case "work": result.record.phones[index].kind = .work
                case "home": result.record.phones[index].kind = .home
                default: if label.contains("fax") { result.record.phones[index].kind = .fax }
                }
            }
        }
        for (group, url) in groupedURLs {
            let label = groupLabels[group] ?? ""
            if label.contains("linkedin") || label.contains("profile") {
                result.record.socialProfiles.append(url)
            } else if result.record.website == nil {
                result.record.website = url
            } else {
                result.record.extras.append(ExtraField(name: label.isEmpty ? "URL" : "URL (\(label))", value: url))
            }
        }
        let location = SourceLocation(file: file, line: record.provenance.line, record: record.provenance.record)
        guard result.record.hasPersonData else {
            let what = result.record.company.map { _ in "only an organisation" } ?? "no name, e-mail, phone or profile"
            return .rejected(Issue(.error, "record.no-person", "card has \(what)", at: location))
        }
        return .record(result.record, raw: result.raw, issues: result.issues)
    }
}
