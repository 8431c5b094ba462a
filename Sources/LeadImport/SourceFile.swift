public import LeadCore
import Crypto
import Foundation

/// A file offered to the importers: its identity (name, size, SHA-256) and its first bytes.
public struct SourceFile: Sendable, Hashable {
    /// Path as given or found.
    public let path: String
    /// Last path component.
    public let name: String
    /// Lower-case extension without the dot.
    public let pathExtension: String
    public let size: Int64
    /// Lower-case hex SHA-256 of the whole file.
    public let sha256: String
    /// The first bytes (at most ``SourceFile/headLength``), for format detection.
    public let head: [UInt8]

    public static let headLength = 8192

    public init(path: String, name: String, size: Int64, sha256: String, head: [UInt8]) {
        self.path = path
        self.name = name
        self.pathExtension = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
        self.size = size
        self.sha256 = sha256
        self.head = head
    }

    /// Reads the file once in chunks to hash it; never holds more than one chunk.
    public static func open(path: String) throws(ImportError) -> SourceFile {
        let name = (path as NSString).lastPathComponent
        let reader: ChunkedFileReader
        do { reader = try ChunkedFileReader(path: path) } catch {
            throw ImportError("file.unreadable", "cannot open file: \(error.message)", at: SourceLocation(file: path))
        }
        var hasher = SHA256()
        var head: [UInt8] = []
        var size: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do { count = try reader.read(into: &buffer) } catch {
                throw ImportError("file.unreadable", "read failed: \(error.message)", at: SourceLocation(file: path))
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            if head.count < headLength { head += buffer[..<min(count, headLength - head.count)] }
            size += Int64(count)
        }
        let digest = hasher.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
        return SourceFile(path: path, name: name, size: size, sha256: digest, head: head)
    }
}

/// An I/O failure with the system's message.
public struct IOFailure: Error, Sendable {
    public var message: String
}

/// Reads a file in chunks with the C library: the one primitive every streaming importer builds on.
public final class ChunkedFileReader {
    private let handle: UnsafeMutablePointer<FILE>
    /// Bytes read so far (what a progress bar shows against the file's size).
    public private(set) var offset: Int64 = 0

    public init(path: String) throws(IOFailure) {
        guard let handle = fopen(path, "rb") else {
            throw IOFailure(message: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(fileno(handle), &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            fclose(handle)
            throw IOFailure(message: "is a directory")
        }
        self.handle = handle
    }

    deinit { fclose(handle) }

    /// Fills `buffer` from its start; returns the number of bytes read, 0 at end of file.
    public func read(into buffer: inout [UInt8]) throws(IOFailure) -> Int {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        if count == 0, ferror(handle) != 0 { throw IOFailure(message: String(cString: strerror(errno))) }
        offset += Int64(count)
        return count
    }

    public func rewind() {
        fseek(handle, 0, SEEK_SET)
        offset = 0
    }
}
