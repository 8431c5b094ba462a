/// Where in an input something happened. Every problem carries one.
public struct SourceLocation: Codable, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var record: Int?
    public var field: String?

    public init(file: String, line: Int? = nil, record: Int? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.record = record
        self.field = field
    }

    /// The location with control characters in the file and field names escaped.
    var escaped: SourceLocation {
        var copy = self
        copy.file = ControlCharacters.escaping(file)
        copy.field = field.map(ControlCharacters.escaping)
        return copy
    }

    /// `file:line` (record N, field F), the form editors and people both read.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        var extra: [String] = []
        if let record { extra.append("record \(record)") }
        if let field { extra.append("field \"\(field)\"") }
        if !extra.isEmpty { text += " (" + extra.joined(separator: ", ") + ")" }
        return text
    }
}

/// A finding about the input: a rejected record, a warning about a value, a note about the file.
///
/// Issues are values, never thrown: a bad record never stops its file. Messages must not contain
/// full e-mail addresses or phone numbers (use ``Redact``).
public struct Issue: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable, Hashable, Comparable {
        case info, warning, error
        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// Stable, namespaced code, e.g. `csv.ragged-row`.
    public var code: String
    public var message: String
    public var location: SourceLocation

    /// Control characters in the message or the location (a file name, a quoted value) are escaped:
    /// messages reach terminals and logs.
    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.code = code
        self.message = ControlCharacters.escaping(message)
        self.location = location.escaped
    }

    public var description: String { "\(location): \(severity.rawValue): \(message) [\(code)]" }
}

/// A whole file could not be read: wrong format, unreadable, no usable header.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var location: SourceLocation

    public init(_ code: String, _ message: String, at location: SourceLocation) {
        self.code = code
        self.message = ControlCharacters.escaping(message)
        self.location = location.escaped
    }

    public var description: String { "\(location): error: \(message) [\(code)]" }
}

/// Privacy helpers: what may appear in logs and messages above debug level.
public enum Redact {
    /// `jane.doe@example.com` → `j***@example.com`.
    public static func email(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return value.isEmpty ? "" : String(value.prefix(1)) + "***" }
        let local = value[..<at]
        return String(local.prefix(1)) + "***" + value[at...]
    }

    /// `+44 20 7946 0018` → `***018`: only the last three digits.
    public static func phone(_ value: String) -> String {
        let digits = value.filter(\.isNumber)
        return "***" + String(digits.suffix(3))
    }
}
