import Foundation
import LeadCore
import Testing

@testable import LeadImport

@Suite("CSV tokenizer")
struct CSVTokenizerTests {
    func rows(_ text: [UInt8], delimiter: UInt8 = 0x2C) throws -> [CSVRow] {
        let dir = TempDir()
        let path = dir.write("t.csv", text)
        let file = try SourceFile.open(path: path)
        let tokenizer = CSVTokenizer(stream: try UTF8Stream(file: file, encoding: .utf8), delimiter: delimiter)
        var rows: [CSVRow] = []
        while let row = try tokenizer.nextRow() { rows.append(row) }
        return rows
    }

    @Test("classic Mac CR line ends with a quoted newline (csvkit mac_newlines.csv)")
    func macNewlines() throws {
        let file = try SourceFile.open(path: Paths.corpus("csv/encoding-edge-cases/csvkit/mac_newlines.csv"))
        let tokenizer = CSVTokenizer(stream: try UTF8Stream(file: file, encoding: .utf8), delimiter: 0x2C)
        var rows: [CSVRow] = []
        while let row = try tokenizer.nextRow() { rows.append(row) }
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"], ["Once upon\na time", "5", "6"]])
        #expect(rows.map(\.line) == [1, 2, 3])
        #expect(rows[2].endLine == 4)
    }

    @Test("doubled quotes, empty fields, CRLF and line numbers across quoted newlines")
    func quoting() throws {
        let text = "a,b,c\r\n\"say \"\"hi\"\"\",,\"x\r\ny\"\r\nlast,\"\",z"
        let result = try rows(Array(text.utf8))
        #expect(result.map(\.fields) == [["a", "b", "c"], ["say \"hi\"", "", "x\ny"], ["last", "", "z"]])
        #expect(result.map(\.line) == [1, 2, 4])
    }

    @Test("trailing delimiter gives an empty last field; unterminated quote is reported")
    func edges() throws {
        let result = try rows(Array("Host Details,\n\"open,1\n".utf8))
        #expect(result[0].fields == ["Host Details", ""])
        #expect(result[1].problem?.hasPrefix("unterminated quoted field starting at line 2") == true)
    }

    @Test("delimiter sniffing", arguments: [
        ("a;b;c\n1;2;3\n", UInt8(0x3B)), ("a\tb\tc\n1\t2\t3\n", 0x09), ("a|b|c\n1|2|3\n", 0x7C),
        ("name,note\n\"x;y;z\",1\n", 0x2C), ("Notes:\nsome words, here\nFirst Name;Last Name;Email\nA;B;c@d.e\nE;F;g@h.i\n", 0x3B),
    ])
    func sniff(text: String, expected: UInt8) {
        #expect(DelimiterSniffer.sniff(Array(text.utf8)) == expected)
    }

    @Test func excelSepLine() {
        #expect(DelimiterSniffer.excelSepLine(Array("sep=;\r\na;b".utf8)) == 0x3B)
        #expect(DelimiterSniffer.excelSepLine(Array("separator;x".utf8)) == nil)
    }
}

@Suite("Text encodings")
struct TextEncodingTests {
    @Test("encoding decision on the csvkit corpus files", arguments: [
        ("test_utf16_little.csv", TextEncoding.utf16LE), ("test_utf16_big.csv", .utf16BE), ("test_utf8_bom.csv", .utf8BOM),
        ("test_utf8.csv", .utf8), ("test_latin1.csv", .windows1252), ("mac_newlines.csv", .utf8),
    ])
    func corpusEncodings(name: String, expected: TextEncoding) throws {
        let file = try SourceFile.open(path: Paths.corpus("csv/encoding-edge-cases/csvkit/" + name))
        let (encoding, warning) = try TextEncoding.detect(file)
        #expect(encoding == expected)
        #expect((warning != nil) == (expected == .windows1252))
    }

    @Test("UTF-16 corpus files decode to the same text as their UTF-8 twin")
    func utf16Decoding() throws {
        func decode(_ name: String) throws -> String {
            let file = try SourceFile.open(path: Paths.corpus("csv/encoding-edge-cases/csvkit/" + name))
            let stream = try UTF8Stream(file: file, encoding: try TextEncoding.detect(file).0)
            var bytes: [UInt8] = []
            while let byte = try stream.next() { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(try decode("test_utf16_little.csv") == "a,b,c\n1,2,3\n4,5,ʤ")
        #expect(try decode("test_utf16_big.csv") == "a,b,c\n1,2,3\n4,5,ʤ")
        #expect(try decode("test_latin1.csv") == "a,b,c\n1,2,3\n4,5,©")
    }

    @Test("Windows-1252 specials decode (0x80-0x9F are not Latin-1)")
    func windows1252() {
        #expect(SingleByteDecoding.decode([0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E, 0x92, 0x73, 0x20, 0x80]) == "Jürgen’s €")
    }

    @Test("strict UTF-8: overlong and surrogate encodings are invalid")
    func strictness() {
        var ok = UTF8Validator()
        let okFed = ok.feed(ArraySlice(Array("Müller – ok 😀".utf8)))
        #expect(okFed && ok.finish())
        var overlong = UTF8Validator()
        let overlongFed = overlong.feed([0xC0, 0xAF])
        #expect(!overlongFed)
        var surrogate = UTF8Validator()
        let surrogateFed = surrogate.feed([0xED, 0xA0, 0x80])
        #expect(!surrogateFed)
        var truncated = UTF8Validator()
        let truncatedFed = truncated.feed([0x41, 0xE2, 0x82])
        #expect(truncatedFed && !truncated.finish())
    }
}

@Suite("CSV importer")
struct CSVImporterTests {
    let importer = CSVImporter()

    @Test("every csvkit corpus file without person columns fails with a clear, located error", arguments: [
        ("bad_skip_lines.csv", 4), ("mac_newlines.csv", 1), ("optional_quote_characters.csv", 1), ("test_latin1.csv", 1),
        ("test_skip_lines.csv", 4), ("test_utf16_big.csv", 1), ("test_utf16_little.csv", 1), ("test_utf8.csv", 1),
        ("test_utf8_bom.csv", 1),
    ])
    func csvkitCorpus(name: String, line: Int) throws {
        let path = Paths.corpus("csv/encoding-edge-cases/csvkit/" + name)
        do {
            _ = try readAll(path, with: importer)
            Issue.record("expected csv.no-header for \(name)")
        } catch let error as ImportError {
            #expect(error.code == "csv.no-header")
            #expect(error.location.file == name)
            #expect(error.location.line == line)
            #expect(error.message.contains("maps to a lead field"))
        }
    }

    @Test("the real Zoom attendee report: sections, restated headers, values")
    func zoomReport() throws {
        let result = try readAll(Paths.corpus("csv/zoomreports/Anonymized_Zoom_Attendee_Report.csv"), with: importer)
        #expect(result.rejected.isEmpty)
        #expect(result.records.count == 1018)
        #expect(result.facts["header-line"] == "6, 9, 84, 1026")
        let host = try #require(result.records.first)
        #expect(host.name.display == "hostName_1")
        #expect(host.emails.map(\.raw) == ["hostName_1@email.com"])
        #expect(host.provenance.line == 7 && host.provenance.record == 1)
        let attendee = try #require(result.records.first { $0.emails.first?.raw == "attendee130@email.com" })
        #expect(attendee.name.given == "firstAttendee_130")
        #expect(attendee.name.family == "lastAttendee_130")
        #expect(attendee.location.country == "United States of America")
        #expect(attendee.extras.contains(ExtraField(name: "Time in Session (minutes)", value: "20")))
        #expect(attendee.provenance.line == 85)
        let other = try #require(result.records.last)
        #expect(other.name.display == "userOther_4")
        #expect(other.location.country == "United States of America")
        #expect(result.notes.contains { $0.code == "csv.section" && $0.message.contains("Attendee Details") })
    }

    @Test("header synonyms are case-, space- and punctuation-insensitive", arguments: [
        ("E-mail Address", LeadField.email(.other)), ("email_address", .email(.other)), ("EMAIL", .email(.other)),
        ("Work Email", .email(.work)), ("Personal E-mail", .email(.personal)), ("First Name", .givenName),
        ("first_name", .givenName), ("Vorname", .givenName), ("Last Name", .familyName), ("Surname", .familyName),
        ("Company Name", .company), ("Organisation", .company), ("Job Title", .title), ("Mobile Phone", .phone(.mobile)),
        ("Business Phone", .phone(.work)), ("Country/Region", .country), ("LinkedIn URL", .socialProfile),
        ("Referred By", .referredBy), ("User Name", .displayName),
    ])
    func synonyms(header: String, field: LeadField) {
        #expect(FieldSynonyms.field(forHeader: header) == field)
    }

    @Test("unmapped headers have no field", arguments: ["Partner Tier", "Join Time", "Registration Time"])
    func unmapped(header: String) {
        #expect(FieldSynonyms.field(forHeader: header) == nil)
    }

    @Test("Excel German export: sep= line, semicolons, Windows-1252, CRLF")
    func excelGerman() throws {
        let result = try readAll(Paths.fixture("csv/excel-german-semicolon.csv"), with: importer)
        #expect(result.facts["encoding"] == "Windows-1252")
        #expect(result.facts["delimiter"] == ";")
        #expect(result.facts["sep-line"] == "yes")
        #expect(result.notes.contains { $0.code == "encoding.fallback" })
        #expect(result.records.count == 2)
        let juergen = result.records[1]
        #expect(juergen.name.given == "Jürgen")
        #expect(juergen.name.family == "Müller")
        #expect(juergen.title == "Geschäftsführer")
        #expect(juergen.location.city == "München")
        #expect(juergen.provenance.line == 4)
        #expect(result.records[0].phones.map(\.raw) == ["030 1234567"])
    }

    @Test("a preamble before the header; three bad rows rejected with their lines; the rest imports")
    func badRows() throws {
        let result = try readAll(Paths.fixture("csv/webinar-attendees-with-bad-rows.csv"), with: importer)
        #expect(result.facts["header-line"] == "5")
        #expect(result.records.map { $0.name.given ?? "" } == ["Priya", "Marc", "Kenji"])
        #expect(result.rejected.map { $0.location.line ?? 0 } == [9, 10, 11])
        #expect(result.rejected.map { $0.location.record ?? 0 } == [4, 5, 6])
        #expect(result.rejected.map(\.code) == ["record.no-person", "csv.ragged-row", "csv.unterminated-quote"])
        #expect(result.notes.contains { $0.code == "csv.preamble" })
        #expect(result.records[1].company == "Lumière SAS")
        #expect(result.records[1].extras.contains(ExtraField(name: "Time in Session (minutes)", value: "61")))
    }

    @Test("UTF-16LE tab-separated text with a BOM (Excel 'Unicode text', Teams, Webex)")
    func utf16Tab() throws {
        let dir = TempDir()
        let text = "Full Name\tEmail\tCompany\r\nRenée Ødegård\trenee@fjord.no\tFjord AS\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try readAll(dir.write("teams.txt", bytes), with: importer)
        #expect(result.facts["encoding"] == "UTF-16LE")
        #expect(result.facts["delimiter"] == "tab")
        #expect(result.records.first?.name.display == "Renée Ødegård")
        #expect(result.records.first?.company == "Fjord AS")
    }

    @Test("unmapped and duplicate columns are kept as extras; raw fields keep every cell")
    func extras() throws {
        let dir = TempDir()
        let path = dir.write("seamless.csv", "First Name,Last Name,First Name,Email,Score\nAnn,Lee,Annie,ann@lee.io,87\n")
        let result = try readAll(path, with: importer)
        let record = try #require(result.records.first)
        #expect(record.name.given == "Ann")
        #expect(record.extras == [ExtraField(name: "First Name", value: "Annie"), ExtraField(name: "Score", value: "87")])
        #expect(result.raws[0].count == 5)
    }

    @Test("sniff prefers .csv files and refuses binary data")
    func sniffing() throws {
        let dir = TempDir()
        let csv = try SourceFile.open(path: dir.write("a.csv", "Name,Email\nA,b@c.de\n"))
        let binary = try SourceFile.open(path: dir.write("a.bin", [0x00, 0x01, 0x02, 0x00]))
        let markdown = try SourceFile.open(path: dir.write("README.md", "# Title\n\nSome text.\n"))
        #expect(importer.sniff(csv).score >= 0.6)
        #expect(importer.sniff(binary).score == 0)
        #expect(importer.sniff(markdown).score == 0)
    }
}
