/// A JSON encoder that writes straight into a byte buffer: what the store writes for every lead,
/// record, comparison and score card (several JSON documents per imported record).
///
/// Written by hand because Foundation's `JSONEncoder` builds a tree of boxed values for each
/// document and serializes it afterwards; on a million records that was a fifth of the whole
/// import's CPU time. This one streams: a container writes its opening bracket when it is made,
/// its members as they come, and is closed when the encoder moves on to a shallower container or
/// the value is done (synthesized `Codable` uses containers in that nested order).
///
/// Its output is what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for these
/// types, up to spacing and the spelling of numbers: struct members in declaration order, a
/// `[String: String]` dictionary sorted by key (the one dictionary type the models hold; others keep
/// their iteration order), nil optionals left out, `null` for an explicit nil, non-finite numbers an
/// error. It is read back with `JSONDecoder`.
public enum CompactJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let writer = Writer()
        try writer.value(value, depth: 0)
        writer.close(downTo: 0)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The output and the stack of containers still open.
    final class Writer {
        var bytes: [UInt8] = []
        /// Per open container: its closing bracket and whether it has a member yet.
        var open: [(close: UInt8, hasMember: Bool)] = []

        init() { bytes.reserveCapacity(1024) }

        /// Closes the containers at `depth` and deeper.
        @inline(__always)
        func close(downTo depth: Int) {
            while open.count > depth { bytes.append(open.removeLast().close) }
        }

        /// Starts a member of the container at `depth - 1` (a comma after the first), closing any
        /// deeper container the previous member left open.
        @inline(__always)
        func member(depth: Int) {
            close(downTo: depth)
            guard depth > 0 else { return }
            if open[depth - 1].hasMember { bytes.append(0x2C) } else { open[depth - 1].hasMember = true }
        }

        func key(_ key: String) {
            string(key)
            bytes.append(0x3A)
        }

        func openContainer(_ opening: UInt8, _ closing: UInt8) {
            bytes.append(opening)
            open.append((closing, false))
        }

        /// Any value, at `depth` (the number of containers around it).
        func value<T: Encodable>(_ value: T, depth: Int) throws {
            switch value {
            case let text as String: string(text)
            case let flag as Bool: bytes += flag ? Array("true".utf8) : Array("false".utf8)
            case let number as Int: bytes += Array(String(number).utf8)
            case let number as Int64: bytes += Array(String(number).utf8)
            case let number as Double: try double(number)
            case let number as Int32: bytes += Array(String(number).utf8)
            case let number as UInt64: bytes += Array(String(number).utf8)
            case let number as UInt32: bytes += Array(String(number).utf8)
            case let number as UInt: bytes += Array(String(number).utf8)
            case let number as Int16: bytes += Array(String(number).utf8)
            case let number as UInt16: bytes += Array(String(number).utf8)
            case let number as Int8: bytes += Array(String(number).utf8)
            case let number as UInt8: bytes += Array(String(number).utf8)
            case let number as Float: try double(Double(number))
            case let dictionary as [String: String]:
                // Sorted by key, as `.sortedKeys` writes it: the same lead gives the same bytes.
                openContainer(0x7B, 0x7D)
                for (i, key) in dictionary.keys.sorted().enumerated() {
                    if i > 0 { bytes.append(0x2C) }
                    self.key(key)
                    string(dictionary[key]!)
                }
                close(downTo: depth)
            default:
                let encoder = StreamingEncoder(writer: self, depth: depth)
                try value.encode(to: encoder)
                if bytes.count == encoder.start { bytes += [0x7B, 0x7D] }  // a value that wrote nothing: {}, as JSONEncoder does
                close(downTo: depth)
            }
        }

        func double(_ number: Double) throws {
            guard number.isFinite else {
                throw EncodingError.invalidValue(number, .init(codingPath: [], debugDescription: "\(number) is not a JSON number"))
            }
            if number == number.rounded(), abs(number) < 1e15 {
                bytes += Array(String(Int64(number)).utf8)
            } else {
                bytes += Array(number.description.utf8)
            }
        }

        func string(_ text: String) {
            bytes.append(0x22)
            var text = text
            text.withUTF8 { utf8 in
                var clean = true
                for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                    clean = false
                    break
                }
                if clean {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    switch byte {
                    case 0x22: bytes += [0x5C, 0x22]
                    case 0x5C: bytes += [0x5C, 0x5C]
                    case 0x0A: bytes += [0x5C, 0x6E]
                    case 0x0D: bytes += [0x5C, 0x72]
                    case 0x09: bytes += [0x5C, 0x74]
                    case 0x08: bytes += [0x5C, 0x62]
                    case 0x0C: bytes += [0x5C, 0x66]
                    case ..<0x20:
                        let hex = Array("0123456789abcdef".utf8)
                        bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                    default: bytes.append(byte)
                    }
                }
            }
            bytes.append(0x22)
        }
    }

    struct StreamingEncoder: Encoder {
        let writer: Writer
        /// Containers around the value this encoder writes.
        let depth: Int
        /// Where the value starts in the output.
        let start: Int
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(writer: Writer, depth: Int) {
            self.writer = writer
            self.depth = depth
            self.start = writer.bytes.count
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            writer.close(downTo: depth)
            writer.openContainer(0x7B, 0x7D)
            return KeyedEncodingContainer(Keyed<Key>(writer: writer, depth: depth + 1))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            writer.close(downTo: depth)
            writer.openContainer(0x5B, 0x5D)
            return Unkeyed(writer: writer, depth: depth + 1)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(writer: writer, depth: depth)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        /// Depth of this container's members.
        let depth: Int
        var codingPath: [any CodingKey] = []

        private func begin(_ key: Key) {
            writer.member(depth: depth)
            writer.key(key.stringValue)
        }

        mutating func encodeNil(forKey key: Key) throws {
            begin(key)
            writer.bytes += Array("null".utf8)
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            begin(key)
            try writer.value(value, depth: depth)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            begin(key)
            writer.openContainer(0x7B, 0x7D)
            return KeyedEncodingContainer(Keyed<NestedKey>(writer: writer, depth: depth + 1))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            begin(key)
            writer.openContainer(0x5B, 0x5D)
            return Unkeyed(writer: writer, depth: depth + 1)
        }

        mutating func superEncoder() -> any Encoder {
            writer.member(depth: depth)
            writer.key("super")
            return StreamingEncoder(writer: writer, depth: depth)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            begin(key)
            return StreamingEncoder(writer: writer, depth: depth)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let writer: Writer
        let depth: Int
        var codingPath: [any CodingKey] = []
        var count = 0

        mutating func encodeNil() throws {
            writer.member(depth: depth)
            writer.bytes += Array("null".utf8)
            count += 1
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            writer.member(depth: depth)
            try writer.value(value, depth: depth)
            count += 1
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            writer.member(depth: depth)
            writer.openContainer(0x7B, 0x7D)
            count += 1
            return KeyedEncodingContainer(Keyed<NestedKey>(writer: writer, depth: depth + 1))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            writer.member(depth: depth)
            writer.openContainer(0x5B, 0x5D)
            count += 1
            return Unkeyed(writer: writer, depth: depth + 1)
        }

        mutating func superEncoder() -> any Encoder {
            writer.member(depth: depth)
            count += 1
            return StreamingEncoder(writer: writer, depth: depth)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let writer: Writer
        let depth: Int
        var codingPath: [any CodingKey] = []

        mutating func encodeNil() throws {
            writer.close(downTo: depth)
            writer.bytes += Array("null".utf8)
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            writer.close(downTo: depth)
            try writer.value(value, depth: depth)
        }
    }
}
