public import LeadCore
import Foundation

/// The normalization stage: fills the normalized form next to every raw value of a record.
///
/// Pure and `Sendable`: the same input always gives the same output, so records can be normalized on
/// any thread. Returns warnings about values it could not use (never with the full value in them).
public struct Normalizer: Sendable {
    public init() {}

    public func normalize(_ input: LeadRecord) -> (LeadRecord, [Issue]) {
        var record = input
        var issues: [Issue] = []
        let location = SourceLocation(
            file: record.provenance.fileName, line: record.provenance.line, record: record.provenance.record)

        record.emails = splitMultiValues(record.emails).map { email in
            var email = email
            if let normalized = EmailSyntax.normalize(email.raw) {
                email.normalized = normalized
                email.key = email.key ?? normalized
            } else {
                email.flags.insert("invalid")
                issues.append(Issue(
                    .warning, "email.invalid", "not an e-mail address: \(Redact.email(email.raw))",
                    at: SourceLocation(file: location.file, line: location.line, record: location.record, field: "email")))
            }
            return email
        }
        for index in record.phones.indices {
            record.phones[index].raw = record.phones[index].raw.trimmingWhitespace()
        }
        if record.name.given == nil, record.name.family == nil, let display = record.name.display {
            let parts = display.split(whereSeparator: \.isWhitespace)
            if parts.count >= 2 {
                record.name.given = String(parts.first!)
                record.name.family = String(parts.last!)
            }
        }
        if record.name.display == nil, let best = record.name.best { record.name.display = best }
        if record.domain == nil, let website = record.website { record.domain = Self.host(of: website) }
        return (record, issues)
    }

    private func splitMultiValues(_ emails: [EmailAddress]) -> [EmailAddress] {
        var result: [EmailAddress] = []
        for email in emails {
            let parts = email.raw.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " })
                .map(String.init).filter { $0.contains("@") }
            if parts.count > 1 {
                for part in parts { result.append(EmailAddress(raw: part, kind: email.kind)) }
            } else {
                result.append(email)
            }
        }
        return result
    }

    /// `https://www.Example.com/path` → `example.com`.
    static func host(of website: String) -> String? {
        var text = Substring(website.trimmingWhitespace().lowercased())
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        if let slash = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = text[..<slash] }
        if let colon = text.lastIndex(of: ":") { text = text[..<colon] }
        if text.hasPrefix("www.") { text = text.dropFirst(4) }
        return text.contains(".") ? String(text) : nil
    }
}

/// E-mail syntax: the practical subset of RFC 5322 addr-spec that real lists contain.
public enum EmailSyntax {
    /// Trimmed, `mailto:` removed, lower-cased; nil when not an address.
    public static func normalize(_ raw: String) -> String? {
        var text = raw.trimmingWhitespace()
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        let lower = text.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return nil }
        let local = lower[..<at], domain = lower[lower.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, domain.count >= 3, domain.contains("."),
              !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return nil }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")
        guard local.allSatisfy({ localAllowed.contains($0) || !$0.isASCII }) else { return nil }
        guard domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        return lower
    }
}
