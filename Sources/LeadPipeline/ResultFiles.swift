import Foundation
import LeadCore
public import LeadImport

/// Per-row result files for one imported file, the convention of Salesforce Data Loader's success
/// and error files:
/// - `NAME.results.csv`: one row per record read: `file,record,line,outcome,lead_id,reason`, outcome
///   `new`, `merged`, `review`, `rejected` (`duplicate-file` and `failed` for a file as a whole);
/// - `NAME.errors.csv`: each rejected record as it was read (the source's own columns, or the raw text
///   of a record of another format), then `line`, `error_code`, `error`: the list's owner fixes the
///   rows and sends the file back.
/// Both are written beside each other with the exports' formula guard, first under a `.part` name and
/// renamed when the file's transaction has committed (or the dry run finished): a results file never
/// describes a load that did not happen.
final class ResultFiles {
    let resultsPath: String
    let errorsPath: String
    private let fileName: String
    private let results: OutputSink
    private let resultsWriter: CSVWriter
    private var errors: (sink: OutputSink, writer: CSVWriter)?
    private var errorColumns: [String]?
    /// Rows of the current chunk, put in record order when the chunk is done.
    private var pending: [(record: Int, row: [String])] = []

    static let columns = ["file", "record", "line", "outcome", "lead_id", "reason"]

    /// Files for `fileName` in `directory`; `stem` is the name without its extension (made unique by
    /// the caller).
    init(directory: String, stem: String, fileName: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        resultsPath = directory + "/" + stem + ".results.csv"
        errorsPath = directory + "/" + stem + ".errors.csv"
        self.fileName = fileName
        results = try OutputSink(path: resultsPath + ".part")
        let sink = results
        resultsWriter = CSVWriter { try sink.write($0) }
        try resultsWriter.row(Self.columns)
    }

    func add(record: Int, line: Int, outcome: String, leadID: Int64?, reason: String) {
        pending.append((record, [fileName, String(record), String(line), outcome, leadID.map(String.init) ?? "", reason]))
    }

    /// A rejected record: a results row now, and its error row with the record as read.
    func reject(_ issue: Issue, raw: RawRecord?, columns: [String]?) throws {
        let record = issue.location.record ?? 0, line = issue.location.line ?? 0
        add(record: record, line: line, outcome: "rejected", leadID: nil, reason: issue.message)
        if errors == nil {
            let sink = try OutputSink(path: errorsPath + ".part")
            let writer = CSVWriter { try sink.write($0) }
            errorColumns = columns ?? ["raw"]
            try writer.row(errorColumns! + ["line", "error_code", "error"])
            errors = (sink, writer)
        }
        var values: [String]
        switch raw {
        case .fields(let fields)?:
            values = fields
            if errorColumns == ["raw"] { values = [fields.joined(separator: ",")] }
        case .text(let text)?: values = [text]
        case nil: values = []
        }
        let width = errorColumns!.count
        if values.count < width { values += Array(repeating: "", count: width - values.count) }
        try errors!.writer.row(values + [String(line), issue.code, issue.message])
    }

    /// Writes the rows gathered so far in record order.
    func flushChunk() throws {
        pending.sort { $0.record < $1.record }
        for entry in pending { try resultsWriter.row(entry.row) }
        pending.removeAll(keepingCapacity: true)
    }

    /// The load happened: the files take their names.
    func commit() throws {
        try flushChunk()
        try results.flush()
        try FileManager.default.moveItemReplacing(resultsPath + ".part", to: resultsPath)
        if let errors {
            try errors.sink.flush()
            try FileManager.default.moveItemReplacing(errorsPath + ".part", to: errorsPath)
        } else {
            try? FileManager.default.removeItem(atPath: errorsPath)
        }
    }

    /// The file failed whole (nothing of it is in the store): one `failed` row says why.
    func abandon(reason: String) throws {
        try? FileManager.default.removeItem(atPath: resultsPath + ".part")
        try? FileManager.default.removeItem(atPath: errorsPath + ".part")
        try? FileManager.default.removeItem(atPath: errorsPath)
        try Self.single(resultsPath, fileName: fileName, outcome: "failed", reason: reason)
    }

    /// A results file of one row for a file as a whole (`duplicate-file`, `failed`).
    static func single(_ path: String, fileName: String, outcome: String, reason: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let sink = try OutputSink(path: path)
        let writer = CSVWriter { try sink.write($0) }
        try writer.row(columns)
        try writer.row([fileName, "", "", outcome, "", reason])
        try sink.flush()
    }
}

extension FileManager {
    /// Renames `source` to `destination`, replacing a file already there.
    func moveItemReplacing(_ source: String, to destination: String) throws {
        if fileExists(atPath: destination) { try removeItem(atPath: destination) }
        try moveItem(atPath: source, toPath: destination)
    }
}
