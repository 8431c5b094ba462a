import Foundation
import LeadCore
import LeadPipeline
import LeadStore
import Testing

@testable import LeadImport

/// Hostile and broken input: limits with clear messages, control characters, binary detection.
@Suite("Hardening: limits, control characters, binary data")
struct HardeningTests {
    let dir = TempDir()

    /// Reads `path` as the pipeline does: detection, the importer, then the shared record guard.
    func guarded(_ path: String, limits: ImportLimits = .default) throws -> ReadResult {
        let file = try SourceFile.open(path: path)
        let importer = try #require(ImporterRegistry.standard.detect(file).winner?.importer)
        let reader = GuardedReader(
            try importer.makeReader(for: file, options: ImportOptions(limits: limits)), limits: limits, fileName: file.name)
        var result = ReadResult()
        while let step = try reader.next() {
            switch step {
            case .record(let record, let raw, let issues):
                result.records.append(record)
                result.raws.append(raw)
                result.warnings += issues
            case .rejected(let issue): result.rejected.append(issue)
            case .note(let issue): result.notes.append(issue)
            }
        }
        return result
    }

    @Test("a CSV of 11 rows whose row 6 has a 5 MiB Title: 10 rows read, row 6 rejected naming file, line and field")
    func hugeField() throws {
        var text = "First Name,Last Name,Email,Title,Company\n"
        for i in 0..<11 {
            let title = i == 5 ? String(repeating: "A", count: 5 * 1024 * 1024) : "Engineer"
            text += "Ann\(i),Smith\(i),ann\(i)@example.com,\(title),Acme\n"
        }
        let path = dir.write("huge.csv", text)
        let result = try guarded(path)
        #expect(result.records.count == 10)
        #expect(result.rejected.count == 1)
        let issue = try #require(result.rejected.first)
        #expect(issue.code == "limit.field-size")
        #expect(issue.location.file == "huge.csv")
        #expect(issue.location.line == 7)
        #expect(issue.location.record == 6)
        #expect(issue.location.field == "Title")
        #expect(issue.message.contains("5242880 bytes"))
        #expect(result.records.map(\.name.given) == (0..<11).filter { $0 != 5 }.map { "Ann\($0)" })
    }

    @Test("too many fields in a row, and a row past the record size, are rejected; the rest is read")
    func fieldCountAndRecordSize() throws {
        var limits = ImportLimits()
        limits.maxFieldsPerRecord = 10
        limits.maxRecordBytes = 200
        let wide = "Wide,Row,w@example.com" + String(repeating: ",x", count: 20)
        let long = "Long,Row,l@example.com," + String(repeating: "b", count: 300)
        let path = dir.write("wide.csv", "First Name,Last Name,Email,Title\nAnn,Lee,a@example.com,CTO\n\(wide)\n\(long)\nBo,Kim,b@example.com,CFO\n")
        let result = try guarded(path, limits: limits)
        #expect(result.records.map(\.name.given) == ["Ann", "Bo"])
        #expect(result.rejected.map(\.code) == ["limit.field-count", "limit.record-size"])
        #expect(result.rejected.map(\.location.line) == [3, 4])
    }

    @Test("control characters: all 8 rows imported, controls removed, a warning per field, nothing raw in messages")
    func controlCharacters() throws {
        let names = [
            "Ann\u{0}a", "Bob\u{7}", "\u{1B}[31mCarl\u{1B}[0m", "Dan\u{8}x", "Eve\u{202E}live", "Fr\u{200B}ank", "Gus", "Hal\u{1}",
        ]
        var text = "First Name,Last Name,Email,Title,Company\n"
        for (i, name) in names.enumerated() { text += "\(name),Smith,p\(i)@example.com,Engineer\u{1B}[1m,Acme\n" }
        let path = dir.write("controls.csv", text)
        let file = try SourceFile.open(path: path)
        #expect(CSVImporter().sniff(file).score > 0.5)
        let result = try guarded(path)
        #expect(result.rejected.isEmpty)
        #expect(result.records.map(\.name.given) == ["Anna", "Bob", "Carl", "Danx", "Evelive", "Frank", "Gus", "Hal"])
        #expect(result.records.allSatisfy { $0.title == "Engineer" })
        // One warning per field changed: given name of 7 rows (Gus is clean), title of all 8.
        let warnings = result.warnings.filter { $0.code == "value.control-characters" }
        #expect(warnings.filter { $0.location.field == "given name" }.count == 7)
        #expect(warnings.filter { $0.location.field == "title" }.count == 8)
        // Raw fields (kept for provenance) are cleaned too.
        #expect(result.raws.joined().allSatisfy { !ControlCharacters.mayContain($0.value) })
    }

    @Test("control characters in messages and locations are escaped, never printed raw")
    func escapedMessages() {
        let issue = Issue(.warning, "x", "bad \u{1B}[2J value\u{7}", at: SourceLocation(file: "a\u{202E}b.csv", field: "Ti\u{0}tle"))
        #expect(issue.message == "bad \\u{1B}[2J value\\u{7}")
        #expect(issue.location.file == "a\\u{202E}b.csv")
        #expect(issue.location.field == "Ti\\u{0}tle")
        // Persian zero-width non-joiner between letters is kept in values; elsewhere it goes.
        #expect(ControlCharacters.removing(from: "می\u{200C}خواهم") == nil)
        #expect(ControlCharacters.removing(from: "Jo\u{200C}hn")?.text == "John")
        #expect(ControlCharacters.removing(from: "Zoë Müller-Lüdenscheidt") == nil)
    }

    @Test("binary detection: a few control bytes are text, binary files and formats are not, UTF-16 without BOM is text")
    func binaryDetection() throws {
        #expect(TextEncoding.binaryReason(Array("name,email\nAnn\u{0}a,a@example.com\n".utf8)) == nil)
        #expect(TextEncoding.binaryReason([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) == "a PNG image")
        #expect(TextEncoding.binaryReason([0x50, 0x4B, 0x03, 0x04, 0x14, 0]) != nil)
        var noise: [UInt8] = []
        var seed: UInt32 = 7
        for _ in 0..<4096 {
            seed = seed &* 1_103_515_245 &+ 12345
            noise.append(UInt8(truncatingIfNeeded: seed >> 16))
        }
        #expect(TextEncoding.binaryReason(noise) != nil)
        // UTF-16LE without a BOM: read as text, decoded.
        let text = "First Name,Last Name,Email\nJürgen,Weiß,jw@example.de\n"
        var utf16: [UInt8] = []
        for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(TextEncoding.binaryReason(utf16) == nil)
        let path = dir.write("utf16.csv", utf16)
        let result = try guarded(path)
        #expect(result.records.map(\.name.family) == ["Weiß"])
    }

    @Test("vCard: a card past the property limit and a card with an over-long line are rejected, the next one read")
    func vcardLimits() throws {
        var limits = ImportLimits()
        limits.maxVCardProperties = 50
        limits.maxLineBytes = 4096
        var text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Props\r\n"
        for i in 0..<60 { text += "NOTE:note \(i)\r\n" }
        text += "END:VCARD\r\n"
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long Line\r\nNOTE:" + String(repeating: "n", count: 3000) + "\r\n " + String(repeating: "m", count: 3000) + "\r\nEND:VCARD\r\n"
        // An inline photo far past the line limit is skipped, not a reason to reject.
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo Person\r\nEMAIL:photo@example.com\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + String(repeating: "QUJD", count: 5000) + "\r\nEND:VCARD\r\n"
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fine Person\r\nEMAIL:fine@example.com\r\nEND:VCARD\r\n"
        let path = dir.write("limits.vcf", text)
        let result = try guarded(path, limits: limits)
        #expect(result.records.map(\.name.display) == ["Photo Person", "Fine Person"])
        #expect(result.rejected.map(\.code) == ["limit.properties", "limit.line-length"])
        #expect(result.rejected.map(\.location.record) == [1, 2])
        #expect(result.rejected.last?.location.field == "NOTE")
    }

    @Test("a value past the field limit from any importer (here HTML) is rejected by the shared guard")
    func sharedGuard() throws {
        var limits = ImportLimits()
        limits.maxFieldBytes = 1000
        let long = String(repeating: "Director ", count: 200)
        let html = """
            <html><body><table><tr><th>Name</th><th>Email</th><th>Title</th></tr>
            <tr><td>Ann Lee</td><td>ann@example.com</td><td>\(long)</td></tr>
            <tr><td>Bo Kim</td><td>bo@example.com</td><td>CFO</td></tr></table></body></html>
            """
        let path = dir.write("people.html", html)
        let result = try guarded(path, limits: limits)
        #expect(result.records.map(\.name.display) == ["Bo Kim"])
        #expect(result.rejected.map(\.code) == ["limit.field-size"])
        #expect(result.rejected.first?.location.field == "title")
    }

    @Test("config/limits.yml: values are read, a key left out keeps its default, a mistake names the key")
    func limitsFile() throws {
        let good = dir.write("limits.yml", "max_field_bytes: 1000\nmax_vcard_properties: 7\n")
        let limits = try ImportLimits.load(path: good)
        #expect(limits.maxFieldBytes == 1000)
        #expect(limits.maxVCardProperties == 7)
        #expect(limits.maxRecordBytes == ImportLimits.default.maxRecordBytes)
        #expect(try ImportLimits.load(path: dir.path + "/missing.yml") == .default)
        let bad = dir.write("bad.yml", "max_field_bytes: lots\n")
        #expect(throws: ProfileLikeError.self) { try ImportLimits.load(path: bad) }
        do { _ = try ImportLimits.load(path: bad) } catch { #expect(error.description.contains("max_field_bytes")) }
        let unknown = dir.write("unknown.yml", "max_fields: 3\n")
        #expect(throws: ProfileLikeError.self) { try ImportLimits.load(path: unknown) }
        // The shipped file holds the defaults.
        #expect(try ImportLimits.load(path: Paths.root + "/config/limits.yml") == .default)
    }

    @Test("YAML: a key that is not text and an alias bomb are errors with a message, never a trap or a hang (make fuzz found the first)")
    func yamlKeys() throws {
        do {
            _ = try SafeYAML.load("? [a, b]\n: c\nid: x\n")
            Issue.record("a list as a key was accepted")
        } catch {
            #expect(error.description.contains("a key must be text"))
        }
        let bomb = try String(contentsOfFile: Paths.root + "/Tests/fuzz-regressions/mapping/alias-bomb.yml", encoding: .utf8)
        #expect(throws: SafeYAML.Failure.self) { try SafeYAML.load(bomb) }
        let path = dir.write("m.yml", "? [a, b]\n: c\nid: x\n")
        #expect(throws: ProfileLikeError.self) { try Mapping.parse(try String(contentsOfFile: path, encoding: .utf8), origin: path) }
    }

    @Test("the pipeline loads the control-character file whole and stores no control character")
    func pipelineControls() throws {
        let text = "First Name,Last Name,Email,Company\nAnn\u{0}a,Lee\u{1B}[0m,ann@example.com,Acme\u{7}\n"
        let path = dir.write("c.csv", text)
        let store = try SQLiteStore(path: dir.path + "/s.sqlite")
        let report = try Pipeline().run(paths: [path], store: store, dryRun: false)
        #expect(report.recordsRead == 1)
        #expect(report.newLeads == 1)
        #expect((report.files.first?.warnings ?? 0) >= 3)
        var csv = ""
        _ = try Exporter.exportLeads(from: store, format: .csv) { csv += $0 }
        #expect(csv.contains("Anna Lee"))
        #expect(!ControlCharacters.mayContain(csv.replacingOccurrences(of: "\r\n", with: "\n")))
    }
}
