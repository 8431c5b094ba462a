import Foundation
import LibXML
import ZIPFoundation

/// One member of a ZIP archive (a workbook's sheet), inflated on the fly and pulled by the XML reader.
///
/// ZIPFoundation extracts by pushing chunks to a closure; libxml2's streaming reader pulls. A worker
/// thread runs the extraction into a small bounded buffer (four chunks of 64 KiB) and waits while it
/// is full, so a 100,000-row sheet never sits in memory whole. The member's inflated size is bounded:
/// a zip bomb stops with an error at the bound, never a hang or a full disk (nothing is written to a
/// file). Written by hand because ZIPFoundation has no pull API.
final class ZipEntryStream: XMLByteSource {
    enum Failure: Error, CustomStringConvertible {
        case tooLarge(member: String, bound: Int64)
        case missing(String)
        case unreadable(member: String, reason: String)
        case cancelled

        var description: String {
            switch self {
            case .tooLarge(let member, let bound):
                "\(member) inflates to more than \(bound / (1 << 20)) MiB: refused (a zip bomb, or a sheet far larger than any lead list)"
            case .missing(let member): "the archive has no member \(member)"
            case .unreadable(let member, let reason): "cannot inflate \(member): \(reason)"
            case .cancelled: "cancelled"
            }
        }
    }

    /// What the worker and the reader share, under one lock.
    private final class Channel: @unchecked Sendable {
        let condition = NSCondition()
        var chunks: [Data] = []
        var finished = false
        var cancelled = false
        var failure: Failure?
    }

    private let channel = Channel()
    private var current = Data()
    private var offset = 0

    /// Starts inflating `member` of the archive at `url`, at most `bound` bytes.
    init(url: URL, member: String, bound: Int64) {
        let channel = self.channel
        let thread = Thread { Self.produce(channel, url: url, member: member, bound: bound) }
        thread.name = "leadintake.unzip"
        thread.start()
    }

    /// The reader is done (at the end or early): the worker stops at its next chunk.
    deinit {
        channel.condition.lock()
        channel.cancelled = true
        channel.chunks.removeAll()
        channel.condition.broadcast()
        channel.condition.unlock()
    }

    /// Why the member could not be read to its end, once ``read(into:)`` returned -1.
    var failure: Failure? {
        channel.condition.lock()
        defer { channel.condition.unlock() }
        return channel.failure
    }

    private static func produce(_ channel: Channel, url: URL, member: String, bound: Int64) {
        var outcome: Failure?
        do {
            let archive = try Archive(url: url, accessMode: .read)
            guard let entry = archive[member] else { throw Failure.missing(member) }
            var total: Int64 = 0
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
                guard !data.isEmpty else { return }
                total += Int64(data.count)
                if total > bound { throw Failure.tooLarge(member: member, bound: bound) }
                channel.condition.lock()
                defer { channel.condition.unlock() }
                while channel.chunks.count >= 4 && !channel.cancelled { channel.condition.wait() }
                if channel.cancelled { throw Failure.cancelled }
                channel.chunks.append(data)
                channel.condition.broadcast()
            }
        } catch let failure as Failure {
            outcome = failure
        } catch {
            outcome = .unreadable(member: member, reason: "\(error)")
        }
        channel.condition.lock()
        if case .cancelled? = outcome {} else { channel.failure = outcome }
        channel.finished = true
        channel.condition.broadcast()
        channel.condition.unlock()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if offset >= current.count {
            channel.condition.lock()
            while channel.chunks.isEmpty && !channel.finished { channel.condition.wait() }
            guard !channel.chunks.isEmpty else {
                let failed = channel.failure != nil
                channel.condition.unlock()
                return failed ? -1 : 0
            }
            current = channel.chunks.removeFirst()
            offset = 0
            channel.condition.broadcast()
            channel.condition.unlock()
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
