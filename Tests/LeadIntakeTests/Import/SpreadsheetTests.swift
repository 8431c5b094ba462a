import Foundation
import LeadCore
import LeadNormalize
import LeadPipeline
import LeadStore
import LibXML
import Testing

@testable import LeadImport

/// Workbooks made by `scripts/csv-to-workbook` (the way Excel and LibreOffice save them) and hostile
/// archives made by Python's zipfile: no binary fixture of unknown origin.
@Suite("Spreadsheets (.xlsx, .ods)")
struct SpreadsheetTests {
    let dir = TempDir()

    /// Runs python3 with `arguments`; fails the test when it fails.
    func python(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed: \(message)")
    }

    /// `csv` written as a workbook at `name` by scripts/csv-to-workbook with `options`.
    func workbook(_ name: String, from csv: String, _ options: [String] = []) throws -> String {
        let out = dir.path + "/" + name
        try python([Paths.root + "/scripts/csv-to-workbook", csv, out] + options)
        return out
    }

    /// Python code that writes a ZIP archive at sys.argv[1].
    func zip(_ name: String, _ code: String) throws -> String {
        let out = dir.path + "/" + name
        let script = dir.write(name + ".py", "import sys, zipfile\nout = sys.argv[1]\n" + code)
        try python([script, out])
        return out
    }

    func read(_ path: String, limits: ImportLimits = .default) throws -> ReadResult {
        let file = try SourceFile.open(path: path)
        let importer = try #require(ImporterRegistry.standard.detect(file).winner?.importer)
        let reader = GuardedReader(try importer.makeReader(for: file, options: ImportOptions(limits: limits)), limits: limits, fileName: file.name)
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
        result.facts = reader.facts
        return result
    }

    /// `export leads` of a fresh store after importing `path` under the source name "list".
    func exported(_ path: String, store name: String) throws -> String {
        let store = try SQLiteStore(path: dir.path + "/" + name + ".sqlite")
        let pipeline = Pipeline(options: ImportOptions(sourceName: "list"))
        let report = try pipeline.run(paths: [path], store: store, dryRun: false)
        #expect(report.filesFailed == 0, "\(report.files.first?.error ?? "")")
        var csv = ""
        _ = try Exporter.exportLeads(from: store, format: .csv) { csv += $0 }
        return csv
    }

    static let people = """
        First Name,Last Name,Email,Phone,Company,Title,City,Country,Joined
        Jürgen,Müller,jm@example.de,+49 30 4417 2290,Acme GmbH,Head of Marketing,Berlin,DE,2024-03-05
        Ann,Lee,ann@example.com,4155551234,Initech,VP Sales,San Francisco,US,2023-12-31
        Bo,"Kim, Jr.",bo@example.com,,Globex,CTO,Austin,US,
        Ann,Lee,ann.lee@initech.com,4155551234,Initech Inc,VP of Sales,San Francisco,US,2024-01-02
        Zoë,Ødegård,zoe@example.no,004722334455,Nordic AS,Chief Marketing Officer,Oslo,NO,1999-02-28
        Émile,Zola,"emile@example.fr",,Paris Média,Directeur Marketing,Paris,FR,1904-01-02

        """

    @Test("an .xlsx and an .ods import with the same leads as their CSV twin (phones stored as numbers, dates as serials)")
    func twins() throws {
        let csv = dir.write("people.csv", Self.people)
        let expected = try exported(csv, store: "csv")
        let xlsx = try workbook("people.xlsx", from: csv, ["--numbers", "Phone", "--dates", "Joined"])
        let ods = try workbook("people.ods", from: csv, ["--numbers", "Phone", "--dates", "Joined"])
        #expect(try exported(xlsx, store: "xlsx") == expected)
        #expect(try exported(ods, store: "ods") == expected)
        // The dates read back as ISO dates, the phone stored as a number keeps its digits.
        for path in [xlsx, ods] {
            let result = try read(path)
            #expect(result.records.count == 6)
            #expect(result.records[1].phones.first?.raw == "4155551234")
            #expect(result.records[0].extras.first { $0.name == "Joined" }?.value == "2024-03-05")
            #expect(result.records[5].extras.first { $0.name == "Joined" }?.value == "1904-01-02")
            #expect(result.records.allSatisfy { $0.provenance.sheet == "Sheet1" })
            #expect(result.records.map(\.provenance.line) == [2, 3, 4, 5, 6, 7])
        }
    }

    @Test("workbooks saved by LibreOffice 7.4 (.xlsx and .ods of a fixture CSV) import with the CSV's leads")
    func libreOffice() throws {
        let expected = try exported(Paths.fixture("csv/partner-referrals.csv"), store: "lo-csv")
        for ext in ["xlsx", "ods"] {
            let path = Paths.fixture("spreadsheets/lo-partner-referrals.\(ext)")
            #expect(try exported(path, store: "lo-\(ext)") == expected, "\(ext)")
            let result = try read(path)
            #expect(result.records.count == 4)
            #expect(result.facts["sheets"]?.hasPrefix("lo-partner-referrals (header row 1") == true, "\(result.facts)")
        }
    }

    @Test("an export layout saved as a workbook (Zoom's sectioned attendee report, LinkedIn Connections) is read with its preset, as its CSV")
    func presets() throws {
        for name in ["81314758372 - Attendee Report.csv", "Connections.csv"] {
            let csv = Paths.fixture("presets/" + name)
            let xlsx = try workbook(name.replacingOccurrences(of: " ", with: "_") + ".xlsx", from: csv)
            let result = try read(xlsx)
            #expect(result.facts["preset"] != nil, "\(name): \(result.facts)")
            #expect(result.facts["sheets"]?.contains("layout ") == true)
            #expect(try exported(xlsx, store: "p-x-\(name.count)") == exported(csv, store: "p-c-\(name.count)"), "\(name)")
        }
    }

    @Test("two sheets and a notes tab: every sheet offered in order, ordinals run on, provenance names the sheet")
    func sheets() throws {
        let first = dir.write("a.csv", "Name,Email\nAnn Lee,ann@example.com\nBo Kim,bo@example.com\n")
        let second = dir.write("b.csv", "Full Name,E-mail Address,Company\nCy Dao,cy@example.com,Acme\n")
        let both = dir.write("both.csv", "Name,Email,Company\nAnn Lee,ann@example.com,\nBo Kim,bo@example.com,\nCy Dao,cy@example.com,Acme\n")
        for ext in ["xlsx", "ods"] {
            let path = try workbook(
                "multi.\(ext)", from: first, ["--sheet", "Attendees", "--before-sheet", "Read me", "--extra-sheet", "Contacts=\(second)", "--preamble", "Webinar attendees"])
            let result = try read(path)
            #expect(result.records.map(\.name.display) == ["Ann Lee", "Bo Kim", "Cy Dao"])
            #expect(result.records.map(\.provenance.sheet) == ["Attendees", "Attendees", "Contacts"])
            #expect(result.records.map(\.provenance.record) == [1, 2, 3])
            #expect(result.records.map(\.provenance.line) == [4, 5, 2])
            #expect(result.notes.contains { $0.code == "spreadsheet.sheet-skipped" && $0.message.contains("Read me") })
            #expect(result.facts["sheets"]?.contains("Attendees (header row 3") == true)
            #expect(result.facts["sheets"]?.contains("Contacts (header row 1") == true)
            #expect(try exported(path, store: "multi-\(ext)") == exported(both, store: "both-\(ext)"))
        }
    }

    @Test("numbers: more than 15 digits is flagged as lost by Excel; 1904 dates; formulas read as cached values; inline strings; hidden rows")
    func cells() throws {
        let csv = dir.write("cells.csv", "Name,Email,Phone,Joined,Title\nAnn Lee,ann@example.com,12345678901234567,2024-02-29,  CMO \nBo Kim,bo@example.com,442079460958,2000-01-01,CTO\n")
        let xlsx = try workbook("cells.xlsx", from: csv, ["--numbers", "Phone", "--dates", "Joined", "--date1904", "--formula", "Title", "--inline", "--hide-row", "2"])
        let result = try read(xlsx)
        #expect(result.records.count == 2)
        let lost = try #require(result.records.first?.phones.first)
        #expect(lost.raw == "1.23456789012346E+16")
        let (normalized, _) = Normalizer().normalize(result.records[0])
        #expect(normalized.phones.first?.flags.contains("excel-scientific") == true)
        #expect(result.records[1].phones.first?.raw == "442079460958")
        #expect(result.records.map { $0.extras.first { $0.name == "Joined" }?.value } == ["2024-02-29", "2000-01-01"])
        #expect(result.records.map(\.title) == ["CMO", "CTO"])
        #expect(result.facts["date-system"] == "1904")
        #expect(result.notes.contains { $0.code == "spreadsheet.hidden-rows" })
    }

    @Test("Excel serial dates, including the 1900 leap-year bug, and date format codes")
    func serials() {
        #expect(CellValues.date(serial: 1, date1904: false) == "1900-01-01")
        #expect(CellValues.date(serial: 59, date1904: false) == "1900-02-28")
        #expect(CellValues.date(serial: 61, date1904: false) == "1900-03-01")
        #expect(CellValues.date(serial: 45292, date1904: false) == "2024-01-01")
        #expect(CellValues.date(serial: 45292.75, date1904: false) == "2024-01-01T18:00:00")
        #expect(CellValues.date(serial: 0, date1904: true) == "1904-01-01")
        #expect(CellValues.isDateFormat("dd/mm/yyyy;@"))
        #expect(CellValues.isDateFormat("[$-409]mmmm d, yyyy"))
        #expect(CellValues.isDateFormat("[h]:mm"))
        #expect(!CellValues.isDateFormat("0.00"))
        #expect(!CellValues.isDateFormat("[Red]#,##0;\"days\""))
        #expect(!CellValues.isDateFormat("\"Date:\" 0"))
        #expect(CellValues.number("4155551234", isDate: false, date1904: false) == "4155551234")
        #expect(CellValues.number("1.5", isDate: false, date1904: false) == "1.5")
        #expect(CellValues.column("AA7") == 26)
        #expect(CellValues.column("XFE1") == nil)
    }

    @Test("hostile archives: a zip bomb, a ../ member, an encrypted workbook, an entity declaration, a CSV or HTML page named .xlsx")
    func hostile() throws {
        let sheet = """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>Ann Lee</t></is></c><c r="B2" t="inlineStr"><is><t>ann@example.com</t></is></c></row>
            """
        let workbookXML = """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let rels = """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """
        func parts(_ extra: String) -> String {
            "z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)\nz.writestr('xl/workbook.xml', '''\(workbookXML)''')\nz.writestr('xl/_rels/workbook.xml.rels', '''\(rels)''')\n" + extra + "\nz.close()\n"
        }
        // A sheet that inflates far past the bound: stopped with an error at the bound.
        let bomb = try zip("bomb.xlsx", parts("z.writestr('xl/worksheets/sheet1.xml', '''\(sheet)''' + ' ' * (64 << 20) + '</sheetData></worksheet>')"))
        var limits = ImportLimits()
        limits.maxSheetBytes = 4 << 20
        #expect(FileManager.default.fileSize(bomb) < 1 << 20)
        do {
            _ = try read(bomb, limits: limits)
            Issue.record("the zip bomb was read")
        } catch let error as ImportError {
            #expect(error.message.contains("inflates to more than 4 MiB"), "\(error)")
        }
        // A member named ../../evil.xml is never looked up (nothing is written anywhere) and is noted.
        let traversal = try zip("traversal.xlsx", parts("z.writestr('xl/worksheets/sheet1.xml', '''\(sheet)</sheetData></worksheet>''')\nz.writestr('../../evil.xml', 'x')"))
        let safe = try read(traversal)
        #expect(safe.records.map(\.name.display) == ["Ann Lee"])
        #expect(safe.notes.contains { $0.code == "spreadsheet.archive" && $0.message.contains("unsafe name") })
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/../evil.xml"))
        // An entity declaration inside a sheet: not expanded, the file read or refused, never a hang.
        let laughs = "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
        let entity = try zip(
            "entity.xlsx",
            parts("z.writestr('xl/worksheets/sheet1.xml', '''\(laughs)''' + '''\(sheet)<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>&d;</t></is></c><c r=\"B3\" t=\"inlineStr\"><is><t>x@example.com</t></is></c></row></sheetData></worksheet>''')"))
        do {
            let entityResult = try read(entity)
            #expect(entityResult.records.allSatisfy { ($0.name.display ?? "").count < 1000 })
        } catch let error as ImportError {
            // libxml2 refuses the amplification: a clear error naming the sheet.
            #expect(error.code == "spreadsheet.bad-xml" && error.message.contains("sheet \"S\""), "\(error)")
        }
        // A password-protected workbook is an OLE2 file with an EncryptedPackage stream.
        var ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 1016)
        ole += "EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [UInt8](repeating: 0, count: 512)
        let encrypted = dir.write("secret.xlsx", ole)
        #expect {
            _ = try read(encrypted)
        } throws: { error in
            (error as? ImportError)?.code == "spreadsheet.encrypted" && "\(error)".contains("password-protected")
        }
        // A .xlsx that is really a CSV or an HTML page is read as what it is.
        let csvNamed = dir.write("export.xlsx", "Name,Email\nAnn Lee,ann@example.com\n")
        #expect(try read(csvNamed).records.map(\.name.display) == ["Ann Lee"])
        let htmlNamed = dir.write("report.xlsx", "<html><body><table><tr><th>Name</th><th>Email</th></tr><tr><td>Ann Lee</td><td>ann@example.com</td></tr></table></body></html>")
        #expect(try read(htmlNamed).records.map(\.name.display) == ["Ann Lee"])
        // A ZIP that is no workbook, and garbage named .xlsx: clear errors.
        let other = try zip("other.xlsx", "z = zipfile.ZipFile(out, 'w')\nz.writestr('readme.txt', 'hello')\nz.close()\n")
        #expect(throws: ImportError.self) { _ = try read(other) }
    }

    @Test("a sheet with no header row that maps is skipped; a workbook with none is one clear error")
    func noHeader() throws {
        let csv = dir.write("numbers.csv", "a,b\n1,2\n")
        let path = try workbook("numbers.xlsx", from: csv)
        #expect {
            _ = try read(path)
        } throws: { error in
            (error as? ImportError)?.code == "spreadsheet.no-sheet" && "\(error)".contains("Sheet1")
        }
    }
}

extension FileManager {
    fileprivate func fileSize(_ path: String) -> Int {
        ((try? attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
