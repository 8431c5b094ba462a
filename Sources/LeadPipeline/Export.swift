import LeadCore
public import LeadStore
import LeadMatch
import LeadScore
import Foundation

/// Writes CSV safely: RFC 4180 quoting, and values that Excel would run as formulas (`= + - @`, tab, CR)
/// prefixed with an apostrophe (OWASP CSV injection). A phone number (`+44 20 7946 0958`, with an
/// extension) stays as it is, dialable: made of digits, spaces and `( ) . / -` after the `+`, it
/// names no function and no cell, so a spreadsheet can at worst show it as a number.
public struct CSVWriter {
    private var sink: (String) throws -> Void

    public init(sink: @escaping (String) throws -> Void) { self.sink = sink }

    public static func escape(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPhoneNumber(value) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// `+` then digits and phone punctuation, optionally ` ext. 118` / `x118`.
    static func isPhoneNumber(_ value: String) -> Bool {
        var body = Substring(value)
        guard body.first == "+" else { return false }
        body = body.dropFirst()
        for marker in [" ext. ", " ext ", " x", "x"] {
            if let range = body.range(of: marker), !body[range.upperBound...].isEmpty, body[range.upperBound...].allSatisfy(\.isASCII), body[range.upperBound...].allSatisfy(\.isNumber) {
                body = body[..<range.lowerBound]
                break
            }
        }
        let digits = body.filter(\.isNumber).count
        return digits >= 6 && digits <= 15 && body.first?.isNumber == true
            && body.allSatisfy { $0.isASCII && ($0.isNumber || " ().-/".contains($0)) }
    }

    public func row(_ values: [String]) throws {
        try sink(values.map(Self.escape).joined(separator: ",") + "\r\n")
    }
}

/// Export of leads and provenance, streamed from the store.
public enum Exporter {
    public enum Format: String, Sendable, CaseIterable { case csv, json }

    public static let leadColumns = [
        "lead_id", "display_name", "prefix", "given_name", "middle_name", "family_name", "suffix", "email", "emails",
        "phone", "phones", "company", "title", "website", "domain", "city", "region", "country", "social_profiles",
        "sources", "source_kinds", "referred_by", "tags", "records", "created_run", "updated_run", "fit_score", "tier", "stage",
        "engagement", "top_reasons",
    ]

    static func leadValues(_ stored: StoredLead) -> [String] {
        let lead = stored.lead
        return [
            String(stored.id), lead.name.best ?? "", lead.name.prefix ?? "", lead.name.given ?? "", lead.name.middle ?? "",
            lead.name.family ?? "", lead.name.suffix ?? "", lead.primaryEmail.map { $0.normalized ?? $0.raw } ?? "",
            lead.emails.map { $0.normalized ?? $0.raw }.joined(separator: "; "),
            lead.primaryPhone.map { $0.normalized ?? $0.raw } ?? "",
            lead.phones.map { $0.normalized ?? $0.raw }.joined(separator: "; "), lead.company ?? "", lead.title ?? "",
            lead.website ?? "", lead.domain ?? "", lead.location.city ?? "", lead.location.region ?? "",
            lead.location.countryCode ?? lead.location.country ?? "", lead.socialProfiles.joined(separator: "; "),
            lead.sources.map(\.name).joined(separator: "; "), lead.sources.map(\.kind.rawValue).joined(separator: "; "),
            lead.referredBy ?? "", lead.tags.joined(separator: "; "), String(lead.recordCount),
            String(stored.createdRunID), String(stored.updatedRunID), stored.score.map { String($0.fit) } ?? "",
            stored.score?.tier ?? "", stored.score?.stage.rawValue ?? "", stored.score.map { String($0.engagement) } ?? "",
            stored.score?.topReasons ?? "",
        ]
    }

    public static let provenanceColumns = ["file", "record", "line", "lead_id", "source", "source_kind", "importer", "sha256", "run_id", "match"]

    static func provenanceValues(_ row: ProvenanceRow) -> [String] {
        [row.file, String(row.record), String(row.line), String(row.leadID), row.source, row.sourceKind, row.importer,
         row.sha256, String(row.runID), row.match]
    }

    /// Streams the leads to `sink`; returns the number of leads written.
    @discardableResult
    public static func exportLeads(
        from store: any LeadStore, format: Format, filter: Handoff.Filter = Handoff.Filter(), sink: @escaping (String) throws -> Void
    ) throws -> Int {
        try export(columns: leadColumns, format: format, sink: sink) { emit in
            try store.forEachLead { stored in
                if filter.admits(stored) { try emit(leadValues(stored)) }
            }
        }
    }

    @discardableResult
    public static func exportProvenance(from store: any LeadStore, format: Format, sink: @escaping (String) throws -> Void) throws -> Int {
        try export(columns: provenanceColumns, format: format, sink: sink) { emit in
            try store.forEachProvenance { try emit(provenanceValues($0)) }
        }
    }

    public static let accountColumns = ["account", "name", "domain", "leads", "lead_ids"]

    /// Leads grouped into accounts: by registrable domain, else by company key.
    @discardableResult
    public static func exportAccounts(from store: any LeadStore, format: Format, sink: @escaping (String) throws -> Void) throws -> Int {
        struct Account {
            var names: [String: Int] = [:]
            var domain: String?
            var leads: [Int64] = []
        }
        var accounts: [String: Account] = [:]
        var order: [String] = []
        try store.forEachLead { stored in
            let lead = stored.lead
            let companyKey = lead.company.map(CompanyKey.key) ?? ""
            guard let key = lead.domain.map({ "domain:" + $0 }) ?? (companyKey.isEmpty ? nil : "company:" + companyKey) else { return }
            if accounts[key] == nil { order.append(key) }
            accounts[key, default: Account()].leads.append(stored.id)
            if let company = lead.company { accounts[key]!.names[company, default: 0] += 1 }
            if let domain = lead.domain { accounts[key]!.domain = domain }
        }
        return try export(columns: accountColumns, format: format, sink: sink) { emit in
            for key in order {
                let account = accounts[key]!
                let name = account.names.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
                try emit([key, name, account.domain ?? "", String(account.leads.count), account.leads.map(String.init).joined(separator: " ")])
            }
        }
    }

    private static func export(
        columns: [String], format: Format, sink: @escaping (String) throws -> Void,
        rows: (_ emit: ([String]) throws -> Void) throws -> Void
    ) throws -> Int {
        var count = 0
        switch format {
        case .csv:
            let writer = CSVWriter(sink: sink)
            try writer.row(columns)
            try rows { values in
                try writer.row(values)
                count += 1
            }
        case .json:
            try sink("[\n")
            try rows { values in
                var object: [String: String] = [:]
                for (column, value) in zip(columns, values) where !value.isEmpty { object[column] = value }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                try sink((count == 0 ? "  " : ",\n  ") + String(decoding: data, as: UTF8.self))
                count += 1
            }
            try sink(count == 0 ? "]\n" : "\n]\n")
        }
        return count
    }
}

/// A buffered writer to a file or standard output.
public final class OutputSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    public init(path: String?) throws {
        if let path, path != "-" {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw StoreError("cannot create \(path)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } else {
            handle = FileHandle.standardOutput
        }
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
