public import LeadCore
import Foundation

/// Bounds on what one record may hold. A record past a bound is rejected with the file, line and field,
/// and the rest of the file is read; no reader keeps more than a bound's worth of one field in memory.
/// The defaults are generous for real exports (a CRM's longest notes field is a few kilobytes) and
/// settable in `config/limits.yml`.
public struct ImportLimits: Sendable, Hashable {
    /// Bytes (UTF-8) of one value.
    public var maxFieldBytes = 256 * 1024
    /// Bytes of one record, all its values together.
    public var maxRecordBytes = 1024 * 1024
    /// Fields (columns, properties, cells) of one record.
    public var maxFieldsPerRecord = 2_000
    /// Properties of one vCard.
    public var maxVCardProperties = 5_000
    /// Bytes of one physical line of a line-based format (vCard); a CSV line is bounded by the record.
    public var maxLineBytes = 1024 * 1024
    /// Bytes one sheet of a workbook may inflate to (a zip bomb stops here with an error).
    public var maxSheetBytes = 2 << 30

    public init() {}

    public static let `default` = ImportLimits()

    /// The keys of `config/limits.yml`, with the property each sets.
    static var keys: [(String, WritableKeyPath<ImportLimits, Int>)] { [
        ("max_field_bytes", \.maxFieldBytes), ("max_record_bytes", \.maxRecordBytes),
        ("max_fields_per_record", \.maxFieldsPerRecord), ("max_vcard_properties", \.maxVCardProperties),
        ("max_line_bytes", \.maxLineBytes), ("max_sheet_bytes", \.maxSheetBytes),
    ] }

    /// The config key that sets `path`, for messages.
    static func key(_ path: WritableKeyPath<ImportLimits, Int>) -> String { keys.first { $0.1 == path }!.0 }

    /// Limits from a YAML file (`max_field_bytes: 262144`, ...); a missing file gives the defaults, a key
    /// left out keeps its default.
    public static func load(path: String) throws(ProfileLikeError) -> ImportLimits {
        guard FileManager.default.fileExists(atPath: path) else { return .default }
        let config = try YAMLConfig(
            try YAMLConfig.text(path: path), origin: path, allowed: Set(keys.map(\.0)), expected: "limit keys")
        var limits = ImportLimits()
        for (key, path) in keys {
            guard let value = config.root[key] else { continue }
            guard let number = value as? Int, number > 0 else { throw config.fail(key, "expected a positive whole number") }
            limits[keyPath: path] = number
        }
        return limits
    }
}

/// Applies the record-level rules every importer shares, in one place: the limits on field and record
/// size and field count, and the removal of control characters from values (each field changed is a
/// warning naming it; the value itself is never quoted).
public final class GuardedReader: RecordReader {
    private let base: any RecordReader
    private let limits: ImportLimits
    private let fileName: String

    public init(_ base: any RecordReader, limits: ImportLimits, fileName: String) {
        self.base = base
        self.limits = limits
        self.fileName = fileName
    }

    public var facts: [String: String] { base.facts }
    public var bytesRead: Int64? { base.bytesRead }
    public var sourceColumns: [String]? { base.sourceColumns }
    public private(set) var rejectedRaw: RawRecord?

    public func next() throws(ImportError) -> ReaderStep? {
        guard let step = try base.next() else { return nil }
        guard case .record(var record, var raw, var issues) = step else {
            if case .rejected = step { rejectedRaw = base.rejectedRaw }
            return step
        }
        // A record this guard rejects is its raw fields as read.
        rejectedRaw = .fields(raw.map(\.value))
        let location = { (field: String?) in
            SourceLocation(
                file: record.provenance.sheet.map { self.fileName + "[" + $0 + "]" } ?? self.fileName, line: record.provenance.line,
                record: record.provenance.record, field: field)
        }
        // Sizes first: a rejected record is not worth cleaning.
        var fields = 0
        var total = 0
        var oversized: (field: String, bytes: Int)?
        var controls = false
        record.visitStrings { field, value in
            let bytes = value.utf8.count
            fields += 1
            total += bytes
            if bytes > limits.maxFieldBytes, oversized == nil { oversized = (field, bytes) }
            if !controls { controls = ControlCharacters.mayContain(value) }
        }
        if let oversized {
            return .rejected(Issue(
                .error, "limit.field-size",
                "value is \(oversized.bytes) bytes, over the limit of \(limits.maxFieldBytes) (\(ImportLimits.key(\.maxFieldBytes)) in config/limits.yml); record skipped",
                at: location(oversized.field)))
        }
        if total > limits.maxRecordBytes {
            return .rejected(Issue(
                .error, "limit.record-size",
                "record is \(total) bytes, over the limit of \(limits.maxRecordBytes) (\(ImportLimits.key(\.maxRecordBytes)) in config/limits.yml); record skipped",
                at: location(nil)))
        }
        if max(fields, raw.count) > limits.maxFieldsPerRecord {
            return .rejected(Issue(
                .error, "limit.field-count",
                "record has \(max(fields, raw.count)) fields, over the limit of \(limits.maxFieldsPerRecord) (\(ImportLimits.key(\.maxFieldsPerRecord)) in config/limits.yml); record skipped",
                at: location(nil)))
        }
        // Control characters: removed from the record's values and from its raw fields, one warning per
        // field changed.
        if !controls, !raw.contains(where: { ControlCharacters.mayContain($0.value) || ControlCharacters.mayContain($0.name) }) {
            return step
        }
        var changed: [String: Int] = [:]
        var order: [String] = []
        record.transformStrings { field, value in
            guard let cleaned = ControlCharacters.removing(from: value) else { return }
            value = cleaned.text
            if changed[field] == nil { order.append(field) }
            changed[field, default: 0] += cleaned.removed
        }
        for index in raw.indices {
            if let cleaned = ControlCharacters.removing(from: raw[index].value) { raw[index].value = cleaned.text }
            if let cleaned = ControlCharacters.removing(from: raw[index].name) { raw[index].name = cleaned.text }
        }
        for field in order {
            issues.append(Issue(
                .warning, "value.control-characters",
                "removed \(changed[field]!) control or invisible formatting character(s) from the value",
                at: location(field)))
        }
        return .record(record, raw: raw, issues: issues)
    }
}

extension LeadRecord {
    /// Calls `body` with every text value of the record and the name of its field (the same values,
    /// in the same order, as ``transformStrings(_:)``, without copying the record).
    func visitStrings(_ body: (String, String) -> Void) {
        func optional(_ field: String, _ value: String?) { if let value { body(field, value) } }
        optional("name prefix", name.prefix)
        optional("given name", name.given)
        optional("middle name", name.middle)
        optional("family name", name.family)
        optional("name suffix", name.suffix)
        optional("display name", name.display)
        for email in emails { body("email", email.raw) }
        for phone in phones {
            body("phone", phone.raw)
            optional("phone extension", phone.extension)
        }
        optional("company", company)
        optional("title", title)
        optional("website", website)
        optional("domain", domain)
        for profile in socialProfiles { body("profile URL", profile) }
        optional("city", location.city)
        optional("region", location.region)
        optional("country", location.country)
        optional("country code", location.countryCode)
        optional("referred by", referredBy)
        for note in notes { body("notes", note) }
        for tag in tags { body("tags", tag) }
        for extra in extras { body(extra.name, extra.value) }
        for (key, value) in attributes { body(key, value) }
        for (key, value) in derived { body(key, value) }
    }

    /// Lets `body` change every text value of the record in place; `field` names it in messages.
    mutating func transformStrings(_ body: (String, inout String) -> Void) {
        func optional(_ field: String, _ value: inout String?) {
            guard var text = value else { return }
            body(field, &text)
            value = text
        }
        optional("name prefix", &name.prefix)
        optional("given name", &name.given)
        optional("middle name", &name.middle)
        optional("family name", &name.family)
        optional("name suffix", &name.suffix)
        optional("display name", &name.display)
        for index in emails.indices { body("email", &emails[index].raw) }
        for index in phones.indices {
            body("phone", &phones[index].raw)
            optional("phone extension", &phones[index].extension)
        }
        optional("company", &company)
        optional("title", &title)
        optional("website", &website)
        optional("domain", &domain)
        for index in socialProfiles.indices { body("profile URL", &socialProfiles[index]) }
        optional("city", &location.city)
        optional("region", &location.region)
        optional("country", &location.country)
        optional("country code", &location.countryCode)
        optional("referred by", &referredBy)
        for index in notes.indices { body("notes", &notes[index]) }
        for index in tags.indices { body("tags", &tags[index]) }
        for index in extras.indices {
            let name = extras[index].name
            body(name, &extras[index].value)
        }
        for key in attributes.keys.sorted() { body(key, &attributes[key]!) }
        for key in derived.keys.sorted() { body(key, &derived[key]!) }
    }
}
