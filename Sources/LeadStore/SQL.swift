import Foundation
import GRDB
import PostgresNIO

/// Accessors of ``SQLValue`` (BulkWrites.swift) as a result cell of the dialect's queries.
extension SQLValue {
    var int: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): Int64(value)
        case .text(let text): Int64(text)
        case .null: nil
        }
    }

    var text: String? {
        switch self {
        case .text(let text): text
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .null: nil
        }
    }
}

/// The small dialect both stores speak, so a statement is written once: SQLite's `?` placeholders
/// (PostgreSQL gets `$1`, `$2`, ...), `IN (...)` lists spelled by ``SQLExecutor/list(_:)``, and
/// nothing backend-specific beyond what both accept (`INSERT ... ON CONFLICT DO NOTHING`, `LIKE ...
/// ESCAPE`, `EXISTS`, `substr`). The store's older statements predate it and stay in their files.
protocol SQLExecutor {
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
    /// Runs a query; returns its rows, cells by column position.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]]
}

/// Text of the dialect's statements.
enum SQLText {
    /// `(?, ?, ?)` for `count` values (at least one, so an empty list matches nothing: callers skip it).
    static func list(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: max(count, 1)).joined(separator: ", ") + ")"
    }

    /// A `LIKE` pattern that matches `text` anywhere, its own `%`, `_` and `\` taken literally
    /// (with `ESCAPE '\'`).
    static func containing(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}

extension SQLExecutor {
    /// Runs `statement` once per slice of `values` (at most 500 parameters per statement: SQLite's
    /// limit is higher, but plans and messages stay small), `{list}` in the text standing for the slice.
    @discardableResult
    func executeInSlices(_ statement: String, _ values: [SQLValue], prefix: [SQLValue] = []) throws -> Int {
        var changed = 0
        var start = 0
        while start < values.count {
            let slice = Array(values[start..<min(start + 500, values.count)])
            changed += try execute(statement.replacingOccurrences(of: "{list}", with: SQLText.list(slice.count)), prefix + slice)
            start += slice.count
        }
        return changed
    }

    func rowsInSlices(_ query: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        var start = 0
        while start < values.count {
            let slice = Array(values[start..<min(start + 500, values.count)])
            result += try rows(query.replacingOccurrences(of: "{list}", with: SQLText.list(slice.count)), slice)
            start += slice.count
        }
        return result
    }
}

/// SQLite through GRDB's connection (the caller's transaction).
struct SQLiteExecutor: SQLExecutor {
    let db: Database

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try db.execute(sql: sql, arguments: StatementArguments(arguments.map(Self.database)))
        return db.changesCount
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(Self.database))).map { row in
            row.databaseValues.map { value in
                switch value.storage {
                case .int64(let int): .int(int)
                case .double(let double): .double(double)
                case .string(let string): .text(string)
                case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                case .null: .null
                }
            }
        }
    }

    static func database(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .int(let int): int.databaseValue
        case .double(let double): double.databaseValue
        case .text(let text): text.databaseValue
        case .null: .null
        }
    }
}

/// PostgreSQL through the store's connection (the caller's transaction): `?` becomes `$n`.
struct PostgresExecutor: SQLExecutor {
    let connection: PostgresStore.Connection

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try connection.changed(Self.numbered(sql), arguments.map(\.pg))
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try connection.rawRows(Self.numbered(sql), arguments.map(\.pg)).map { row in
            row.map { cell in
                guard cell.bytes != nil else { return .null }
                switch cell.dataType {
                case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map(SQLValue.int) ?? .null
                case .float4, .float8, .numeric: return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
                case .bool: return .int((try? cell.decode(Bool.self)) == true ? 1 : 0)
                default: return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
                }
            }
        }
    }

    /// `?` outside quotes → `$1`, `$2`, ... (the statements of this dialect hold no `?` operator).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var n = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                n += 1
                out += "$\(n)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

extension SQLValue {
    fileprivate var pg: any PGValue {
        switch self {
        case .int(let int): int
        case .double(let double): double
        case .text(let text): text
        case .null: String?.none
        }
    }
}

extension PostgresStore.Connection {
    /// A query's rows as cells (for ``PostgresExecutor``).
    func rawRows(_ sql: String, _ values: [any PGValue]) throws -> [[PostgresCell]] {
        try query(sql, values).map { row in (0..<row.cells.count).map { row.cells[$0] } }
    }
}
