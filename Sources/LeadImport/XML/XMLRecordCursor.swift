import LibXML

/// What a streamed XML file yields: one record element (expanded, valid until the next call; nil
/// when libxml2 could not build it), or the fatal error that ends the file early.
enum XMLRecordEvent {
    case record(DOMNode?, line: Int)
    case malformed(XMLParseError)
}

/// Streams the record elements of an XML file, one at a time, in flat memory: each record is
/// expanded for the caller, then skipped past (libxml2 frees it) on the next call. Shared by the XML
/// export and xCard importers, so both keep the records before a fatal error and report it once.
final class XMLRecordCursor {
    private let reader: XMLStreamReader
    /// Whether an element is a record, from its path of local names and its namespace URI.
    private let isRecord: (_ path: [String], _ namespace: String?) -> Bool
    private var stack: [String] = []
    /// After ``XMLStreamReader/skipSubtree()`` the reader already sits on the next node.
    private var reexamine = false
    /// The record handed out last is still to be skipped.
    private var skipPending = false
    private var finished = false
    var bytesRead: Int64? { reader.bytesConsumed }

    init(path: String, isRecord: @escaping (_ path: [String], _ namespace: String?) -> Bool) throws(XMLParseError) {
        reader = try XMLStreamReader(path: path)
        self.isRecord = isRecord
    }

    /// The next record element, the error that ended the file, or nil at its end.
    func next() -> XMLRecordEvent? {
        guard !finished else { return nil }
        do throws(XMLParseError) {
            if skipPending {
                skipPending = false
                stack.removeLast()
                if try reader.skipSubtree() { reexamine = true } else { return end() }
            }
            while true {
                if reexamine { reexamine = false } else if try !reader.read() { return end() }
                guard reader.isStartElement else { continue }
                stack = Array(stack.prefix(reader.depth))
                stack.append(reader.localName)
                if isRecord(stack, reader.namespaceURI) {
                    let line = reader.line
                    let node = reader.expand()
                    // libxml2 refuses the subtree when the file breaks inside it: that ends the file.
                    if node == nil, let error = reader.fatalError { return fail(error) }
                    skipPending = true
                    return .record(node, line: line)
                }
                if reader.isEmptyElement { stack.removeLast() }
            }
        } catch {
            return fail(error)
        }
    }

    private func end() -> XMLRecordEvent? {
        finished = true
        return reader.fatalError.map(XMLRecordEvent.malformed)
    }

    private func fail(_ error: XMLParseError) -> XMLRecordEvent {
        finished = true
        return .malformed(error)
    }
}
