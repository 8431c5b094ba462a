import Foundation
import LeadCore
import LeadPipeline
import LeadStore
import LibXML
import Testing

/// The dry-run report as an HTML page: the same facts as the JSON report, read back with libxml2's
/// HTML parser.
@Suite("HTML run report")
struct HTMLReportTests {
    @Test("a dry run's HTML report lists every file, each rejected row with its line, and the plan of each record")
    func dryRunPage() throws {
        LibXML.setUp()
        let store = try SQLiteStore(path: nil)
        let report = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: true)
        let page = try DOMDocument.html(bytes: Array(HTMLReport.render(report).utf8))
        #expect(try page.string("string(//h1)") == "Dry run: nothing was written")
        #expect(try page.select("//table[@class='files']/tr").count == report.files.count + 1)
        let webinar = try #require(report.files.first { $0.name == "webinar-attendees-with-bad-rows.csv" })
        #expect(webinar.recordsRejected == 3)
        // The file's section: its rejected table holds its rejected rows, with their lines.
        let section = "//h2[.='\(webinar.path)']/following-sibling::table[@class='rejected'][1]"
        let lines = try page.select(section + "/tr/td[1]/text()").map { $0.text ?? "" }
        #expect(lines == webinar.rejected.map { String($0.location.line ?? 0) })
        let plan = try page.select("//h2[.='\(webinar.path)']/following-sibling::table[@class='plan'][1]/tr")
        #expect(plan.count == webinar.plan.count + 1)
        #expect(try page.string("string(//table[@class='totals']/tr[th='records read']/td)") == String(report.recordsRead))
    }

    @Test("every text is escaped: a file name or a message cannot inject markup")
    func escaping() throws {
        LibXML.setUp()
        var file = FileReport(path: "inbox/<script>alert(1)</script>&.csv", name: "x.csv")
        file.status = .wouldLoad
        file.rejected = [Issue(.error, "row.invalid", "value \"<b>bold</b>\" is not an e-mail", at: SourceLocation(file: "x.csv", line: 7, record: 6))]
        var report = RunReport(mode: "dry-run", store: "sqlite:/tmp/<x>.sqlite", startedAt: "2026-12-01T00:00:00Z")
        report.files = [file]
        let html = HTMLReport.render(report)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>bold"))
        let page = try DOMDocument.html(bytes: Array(html.utf8))
        #expect(try page.select("//script").isEmpty)
        #expect(try page.string("string(//table[@class='files']/tr[2]/td[1])") == file.path)
        #expect(try page.string("string(//table[@class='rejected']/tr[2]/td[4])") == "value \"<b>bold</b>\" is not an e-mail")
    }
}
