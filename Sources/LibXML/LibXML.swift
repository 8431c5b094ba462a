// Thin Swift face of libxml2. No Foundation here (see Package.swift): plain Swift types only.
// Debian's libxml2 headers include ICU, which clashes with Foundation's own ICU module at compile time
// (c-libraries.md §0), so every libxml2 call lives in this module and clients see Swift values.
internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide libxml2 set-up and facts.
///
/// Call ``LibXML/setUp()`` once at start-up, before any parsing task runs: it initialises the parser,
/// installs an external-entity loader that refuses everything (untrusted files never reach the disk or
/// the network through libxml2) and silences libxml2's generic error printer on every thread.
public enum LibXML {
    /// The libxml2 version the module was compiled against, e.g. "2.9.14".
    public static var version: String { String(cString: clibxml2_version()) }

    private static let once: Void = { clibxml2_global_setup() }()

    /// Idempotent global initialisation (safe to call many times).
    public static func setUp() { _ = once }
}

/// A problem libxml2 reported while parsing: line and message.
public struct XMLMessage: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    /// libxml2's error code (`xmlParserErrors`), e.g. 89 for an entity loop.
    public var code: Int
    /// True for errors that end the parse (not well-formed from here on).
    public var isFatal: Bool = false
    public var description: String { "line \(line): \(message)" }
}

/// A document that could not be parsed (or was refused for safety).
public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    public var line: Int?
    public var message: String
    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}

/// Parser options for untrusted input: never the network, never external entities or DTDs, never
/// entity substitution, never XML_PARSE_HUGE (c-libraries.md §1, measured).
enum SafeOptions {
    static let xml: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)
    /// The streaming reader reports errors to its own handler, so they are not suppressed.
    static let reader: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)
    static let html: Int32 = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue)
}

func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

func takeString(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    defer { clibxml2_free(pointer) }
    return String(cString: pointer)
}

/// The bytes of a file (documents parsed whole are pages and small exports; big XML streams).
func readFile(_ path: String) throws(XMLParseError) -> [UInt8] {
    guard let handle = fopen(path, "rb") else { throw XMLParseError(message: "cannot open the file: " + String(cString: strerror(errno))) }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    if ferror(handle) != 0 { throw XMLParseError(message: "read failed: " + String(cString: strerror(errno))) }
    return bytes
}

/// A parsed document (HTML or XML). Not thread-safe: use it from one task.
public final class DOMDocument {
    let pointer: xmlDocPtr

    init(pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit { xmlFreeDoc(pointer) }

    /// Parses an HTML file the way browsers forgive it (recovering from broken markup). The encoding
    /// comes from the BOM or `<meta charset>`, else UTF-8 (libxml2 falls back to Latin-1 on invalid
    /// UTF-8). Entities are the HTML ones only; DTDs and the network are never read.
    public static func html(path: String, encoding: String? = nil) throws(XMLParseError) -> DOMDocument {
        // Read the bytes here: libxml2's own file loading goes through the external-entity loader,
        // which refuses everything (see LibXML.setUp()).
        let bytes = try readFile(path)
        return try html(bytes: bytes, url: path, encoding: encoding ?? guessEncoding(bytes))
    }

    /// libxml2 reads an HTML page without a BOM or a declared charset as Latin-1; most pages saved
    /// today are UTF-8 without saying so. Nil (libxml2 decides) when the page declares a charset or
    /// has a BOM; "UTF-8" when the bytes are valid UTF-8; else "windows-1252", the browsers' default.
    static func guessEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        if head.contains("charset") || head.hasPrefix("<?xml") && head.contains("encoding=") { return nil }
        return String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : "windows-1252"
    }

    /// Parses HTML from memory (tests, fragments).
    public static func html(bytes: [UInt8], url: String = "memory.html", encoding: String? = nil) throws(XMLParseError) -> DOMDocument {
        LibXML.setUp()
        guard !bytes.isEmpty else { throw XMLParseError(message: "the file is empty") }
        guard let context = htmlNewParserCtxt() else { throw XMLParseError(message: "out of memory") }
        defer { htmlFreeParserCtxt(context) }
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                htmlCtxtReadMemory(context, $0, Int32(buffer.count), url, encoding, SafeOptions.html)
            }
        }
        guard let doc else { throw XMLParseError(message: lastError(context) ?? "not readable as HTML") }
        return DOMDocument(pointer: doc)
    }

    /// Parses a well-formed XML file safely. A document whose internal DTD subset declares entities is
    /// refused (billion laughs, quadratic blow-up, external entities): lead exports never need them.
    public static func xml(path: String) throws(XMLParseError) -> DOMDocument {
        try xml(bytes: try readFile(path))
    }

    /// Parses XML from memory (tests).
    public static func xml(bytes: [UInt8]) throws(XMLParseError) -> DOMDocument {
        LibXML.setUp()
        guard !bytes.isEmpty else { throw XMLParseError(message: "the file is empty") }
        guard let context = xmlNewParserCtxt() else { throw XMLParseError(message: "out of memory") }
        defer { xmlFreeParserCtxt(context) }
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), "memory.xml", nil, SafeOptions.xml)
            }
        }
        guard let doc else {
            let error = xmlCtxtGetLastError(context)
            throw XMLParseError(
                line: error.map { Int($0.pointee.line) },
                message: error.flatMap { $0.pointee.message.map { String(cString: $0).trimmingTrailingNewlines() } } ?? "not well-formed XML")
        }
        let result = DOMDocument(pointer: doc)
        if let subset = doc.pointee.intSubset, subset.pointee.entities != nil {
            throw XMLParseError(line: nil, message: "the document declares entities in its DTD; refused (entity expansion attacks)")
        }
        return result
    }

    private static func lastError(_ context: htmlParserCtxtPtr) -> String? {
        guard let error = xmlCtxtGetLastError(context), let message = error.pointee.message else { return nil }
        return String(cString: message).trimmingTrailingNewlines()
    }

    /// The root element.
    public var root: DOMNode? {
        guard let node = xmlDocGetRootElement(pointer) else { return nil }
        return DOMNode(node, owner: self)
    }

    /// Evaluates an XPath 1.0 expression; returns the matching nodes in document order.
    /// `context` is the node relative paths start from (default: the document).
    public func select(_ expression: String, from context: DOMNode? = nil) throws(XMLParseError) -> [DOMNode] {
        try evaluate(expression, document: pointer, context: context?.pointer, owner: self)
    }

    /// Evaluates an XPath expression to a string (`string(...)`, `normalize-space(...)`, or the string
    /// value of the first node of a node set).
    public func string(_ expression: String, from context: DOMNode? = nil) throws(XMLParseError) -> String {
        guard let xpath = xmlXPathNewContext(pointer) else { throw XMLParseError(message: "out of memory") }
        defer { xmlXPathFreeContext(xpath) }
        if let context { xpath.pointee.node = context.pointer }
        guard let result = xmlXPathEvalExpression(expression, xpath) else {
            throw XMLParseError(message: "invalid XPath expression: \(expression)")
        }
        defer { xmlXPathFreeObject(result) }
        return takeString(xmlXPathCastToString(result)) ?? ""
    }

    /// Checks that an XPath expression compiles (mapping validation).
    public static func isValidXPath(_ expression: String) -> Bool {
        LibXML.setUp()
        guard let compiled = xmlXPathCompile(expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }
}

/// Evaluates an XPath expression against a document, from a context node; nodes in document order.
func evaluate(_ expression: String, document: xmlDocPtr, context: xmlNodePtr?, owner: AnyObject) throws(XMLParseError) -> [DOMNode] {
    guard let xpath = xmlXPathNewContext(document) else { throw XMLParseError(message: "out of memory") }
    defer { xmlXPathFreeContext(xpath) }
    if let context { xpath.pointee.node = context }
    guard let result = xmlXPathEvalExpression(expression, xpath) else {
        throw XMLParseError(message: "invalid XPath expression: \(expression)")
    }
    defer { xmlXPathFreeObject(result) }
    guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
    var nodes: [DOMNode] = []
    nodes.reserveCapacity(Int(set.pointee.nodeNr))
    for index in 0..<Int(set.pointee.nodeNr) {
        if let node = set.pointee.nodeTab[index] { nodes.append(DOMNode(node, owner: owner)) }
    }
    return nodes
}

/// The kinds of node clients care about.
public enum DOMNodeKind: Sendable, Hashable {
    case element, text, cdata, comment, entityReference, other
}

/// A node of a parsed document or of a streamed subtree. It keeps its owner alive; a node from an
/// ``XMLStreamReader`` is valid only until the reader moves on.
public struct DOMNode {
    let pointer: xmlNodePtr
    let owner: AnyObject

    init(_ pointer: xmlNodePtr, owner: AnyObject) {
        self.pointer = pointer
        self.owner = owner
    }

    public var kind: DOMNodeKind {
        switch pointer.pointee.type {
        case XML_ELEMENT_NODE: .element
        case XML_TEXT_NODE: .text
        case XML_CDATA_SECTION_NODE: .cdata
        case XML_COMMENT_NODE: .comment
        case XML_ENTITY_REF_NODE: .entityReference
        default: .other
        }
    }

    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }

    /// Local name (HTML: lower-case tag name).
    public var name: String { string(pointer.pointee.name) ?? "" }

    /// Namespace URI of an element, if any.
    public var namespaceURI: String? { pointer.pointee.ns.flatMap { string($0.pointee.href) } }

    /// 1-based line where the node starts in the source.
    public var line: Int { Int(xmlGetLineNo(pointer)) }

    /// The text of a text or CDATA node (nil for other kinds).
    public var text: String? {
        switch pointer.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: string(pointer.pointee.content)
        default: nil
        }
    }

    /// All child nodes, in order.
    public var children: [DOMNode] {
        var result: [DOMNode] = []
        var child = pointer.pointee.children
        while let node = child {
            result.append(DOMNode(node, owner: owner))
            child = node.pointee.next
        }
        return result
    }

    /// Child elements, in order.
    public var elements: [DOMNode] {
        var result: [DOMNode] = []
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(DOMNode(node, owner: owner)) }
            child = node.pointee.next
        }
        return result
    }

    public var firstChild: DOMNode? { pointer.pointee.children.map { DOMNode($0, owner: owner) } }
    public var nextSibling: DOMNode? { pointer.pointee.next.map { DOMNode($0, owner: owner) } }

    public var parent: DOMNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return DOMNode(parent, owner: owner)
    }

    /// An attribute's value (entities decoded), or nil.
    public func attribute(_ name: String) -> String? {
        takeString(xmlGetProp(pointer, name))
    }

    /// All attributes as (name, value), in source order.
    public var attributes: [(name: String, value: String)] {
        var result: [(String, String)] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let name = string(current.pointee.name) ?? ""
            result.append((name, takeString(xmlNodeListGetString(pointer.pointee.doc, current.pointee.children, 1)) ?? ""))
            attribute = current.pointee.next
        }
        return result
    }

    /// The concatenated text of the node and its descendants (libxml2's string value).
    public var content: String { takeString(xmlNodeGetContent(pointer)) ?? "" }

    /// Replaces an attribute's value (or adds it).
    public func setAttribute(_ name: String, _ value: String) {
        xmlSetProp(pointer, name, value)
    }

    /// Replaces the node's children with one text node (the value is escaped, never parsed).
    public func setText(_ value: String) {
        // xmlNodeSetContent parses entity references in its argument; encode them first.
        guard let encoded = xmlEncodeSpecialChars(pointer.pointee.doc, value) else { return }
        xmlNodeSetContent(pointer, encoded)
        clibxml2_free(encoded)
    }

    /// Evaluates an XPath expression with this node as the context node.
    public func select(_ expression: String) throws(XMLParseError) -> [DOMNode] {
        guard let document = pointer.pointee.doc else { return [] }
        return try evaluate(expression, document: document, context: pointer, owner: owner)
    }

    /// Same node (pointer identity).
    public func isSame(as other: DOMNode) -> Bool { pointer == other.pointer }
}

/// Bytes for ``XMLStreamReader``, pulled as the parser needs them.
public protocol XMLByteSource: AnyObject {
    /// Fills the start of `buffer`; returns the count, 0 at the end, -1 on an error (which stops the parse).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}

/// Streams a large XML file with libxml2's `xmlTextReader`: memory stays flat, whatever the file size.
/// Record elements are expanded one at a time (``expand()``) and skipped past with ``skipSubtree()``.
/// Entity references are never substituted (no `NOENT`) and no DTD is loaded.
public final class XMLStreamReader {
    private let reader: xmlTextReaderPtr
    private var box: MessageBox

    final class MessageBox {
        var messages: [XMLMessage] = []
    }

    public init(path: String) throws(XMLParseError) {
        LibXML.setUp()
        guard let reader = xmlReaderForFile(path, nil, SafeOptions.reader) else {
            throw XMLParseError(message: "cannot open the file for XML reading")
        }
        self.reader = reader
        box = MessageBox()
        installErrorHandler()
    }

    /// Streams XML pulled from `source` (an archive member inflated on the fly): the reader asks for
    /// bytes as it goes, so memory stays flat however large the document.
    public init(source: any XMLByteSource, url: String) throws(XMLParseError) {
        LibXML.setUp()
        let box = SourceBox(source)
        let context = Unmanaged.passUnretained(box).toOpaque()
        guard let reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer, length > 0 else { return 0 }
            let box = Unmanaged<SourceBox>.fromOpaque(context).takeUnretainedValue()
            return Int32(box.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
        }, nil, context, url, nil, SafeOptions.reader) else {
            throw XMLParseError(message: "cannot start reading \(url) as XML")
        }
        self.reader = reader
        self.source = box
        self.box = MessageBox()
        installErrorHandler()
    }

    private var source: SourceBox?

    final class SourceBox {
        let source: any XMLByteSource
        init(_ source: any XMLByteSource) { self.source = source }
    }

    private func installErrorHandler() {
        let context = Unmanaged.passUnretained(box).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { arg, error in
            guard let arg, let error else { return }
            let box = Unmanaged<MessageBox>.fromOpaque(arg).takeUnretainedValue()
            guard box.messages.count < 100 else { return }
            let message = error.pointee.message.map { String(cString: $0).trimmingTrailingNewlines() } ?? "XML error"
            box.messages.append(XMLMessage(line: Int(error.pointee.line), message: message, code: Int(error.pointee.code),
                                           isFatal: error.pointee.level == XML_ERR_FATAL))
        }, context)
    }

    deinit { xmlFreeTextReader(reader) }

    /// The value of attribute `name` (a qualified name, `table:name`) of the current element.
    public func attribute(_ name: String) -> String? { takeString(xmlTextReaderGetAttribute(reader, name)) }

    /// True on an end tag.
    public var isEndElement: Bool { xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) }

    /// True on text (character data, CDATA, whitespace).
    public var isText: Bool {
        let type = xmlTextReaderNodeType(reader)
        return type == Int32(XML_READER_TYPE_TEXT.rawValue) || type == Int32(XML_READER_TYPE_CDATA.rawValue)
            || type == Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue) || type == Int32(XML_READER_TYPE_WHITESPACE.rawValue)
    }

    /// The text of the current text node.
    public var value: String { string(xmlTextReaderConstValue(reader)) ?? "" }

    /// Advances to the next node. Throws when the document is not well-formed from here on.
    public func read() throws(XMLParseError) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status < 0 { throw failure() }
        return status == 1
    }

    /// Skips the current node's subtree and moves to the following sibling (or up).
    public func skipSubtree() throws(XMLParseError) -> Bool {
        let status = xmlTextReaderNext(reader)
        if status < 0 { throw failure() }
        return status == 1
    }

    /// The fatal error that ended the document early, if any.
    public var fatalError: XMLParseError? {
        box.messages.last(where: \.isFatal).map { XMLParseError(line: $0.line, message: $0.message) }
    }

    private func failure() -> XMLParseError {
        let last = box.messages.last
        return XMLParseError(line: last?.line, message: last?.message ?? "not well-formed XML")
    }

    /// Bytes of the input parsed so far (libxml2's `xmlTextReaderByteConsumed`); nil when unknown.
    public var bytesConsumed: Int64? {
        let count = xmlTextReaderByteConsumed(reader)
        return count >= 0 ? Int64(count) : nil
    }
    public var isStartElement: Bool { xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) }
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }
    public var localName: String { string(xmlTextReaderConstLocalName(reader)) ?? "" }
    public var namespaceURI: String? { string(xmlTextReaderConstNamespaceUri(reader)) }

    /// Attribute names of the current element (namespace declarations left out).
    public var attributeNames: [String] {
        var names: [String] = []
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return names }
        repeat {
            if xmlTextReaderIsNamespaceDecl(reader) != 1 { names.append(localName) }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
        return names
    }

    /// Line of the current node in the source.
    public var line: Int {
        guard let node = xmlTextReaderCurrentNode(reader) else { return Int(xmlTextReaderGetParserLineNumber(reader)) }
        return Int(xmlGetLineNo(node))
    }

    /// The current element with its whole subtree read in; valid until the reader moves on.
    public func expand() -> DOMNode? {
        if let node = xmlTextReaderExpand(reader) { return DOMNode(node, owner: self) }
        // After a fatal error further on, libxml2 refuses to expand even the subtrees it already
        // built completely; a node whose next sibling exists is complete and still readable.
        guard let node = xmlTextReaderCurrentNode(reader), node.pointee.next != nil else { return nil }
        return DOMNode(node, owner: self)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while let last = result.last, last == "\n" || last == "\r" || last == " " { result.removeLast() }
        return result
    }
}
