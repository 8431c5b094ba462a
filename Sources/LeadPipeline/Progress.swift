/// Where an import stands, for a progress bar: reported while a file is read and at each stage of
/// every chunk it is matched in.
public struct ImportProgress: Sendable {
    /// The stage a file is in; a chunk goes through normalizing → matching → writing → scoring,
    /// then the file is read on.
    public enum Stage: String, Sendable, CaseIterable {
        case reading, normalizing, matching, writing, scoring, finished
    }

    public var file: String
    /// 1-based position of the file in the run, and the number of files.
    public var fileIndex: Int
    public var fileCount: Int
    public var stage: Stage
    /// Records read from the file so far (rejected ones included).
    public var records: Int
    /// Bytes of the file read so far; nil for a reader that cannot tell (a document parsed whole).
    public var bytesRead: Int64?
    public var totalBytes: Int64

    public init(file: String, fileIndex: Int, fileCount: Int, stage: Stage, records: Int, bytesRead: Int64?, totalBytes: Int64) {
        self.file = file
        self.fileIndex = fileIndex
        self.fileCount = fileCount
        self.stage = stage
        self.records = records
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
    }

    /// Share of the file read, 0...1; nil when the reader cannot tell.
    public var fraction: Double? {
        if stage == .finished { return 1 }
        guard let bytesRead, totalBytes > 0 else { return nil }
        return min(1, max(0, Double(bytesRead) / Double(totalBytes)))
    }
}
