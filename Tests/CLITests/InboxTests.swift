import Foundation
import Testing

/// `leadintake inbox` driven as cron or a systemd timer would, and the per-row result files.
@Suite("leadintake inbox and result files", .serialized)
struct InboxTests {
    let cli = CLITests()
    var inbox: String { cli.dir + "/inbox" }

    func put(_ relative: String, _ text: String, age: TimeInterval = 3600) throws {
        let path = inbox + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path)
    }

    func copy(_ fixture: String, to relative: String) throws {
        try put(relative, try String(contentsOfFile: CLITests.root + "/fixtures/" + fixture, encoding: .utf8))
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: inbox + "/" + relative) }

    func text(_ relative: String) throws -> String { try String(contentsOfFile: inbox + "/" + relative, encoding: .utf8) }

    static var today: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    @Test("one pass: settled files imported and moved, an unsettled one left, a bad file to failed/, a duplicate to processed/, results by content")
    func pass() throws {
        let day = Self.today
        try copy("csv/partner-referrals.csv", to: "partner-referrals.csv")
        try copy("csv/webinar-attendees-with-bad-rows.csv", to: "webinars/attendees.csv")
        try put("broken.csv", "\u{89}PNG\r\n\u{1A}\n\u{0}\u{0}\u{0}\u{0}binary")
        try put("download.csv.part", "First Name,Email\nAnn,a@example.com\n")
        try put(".hidden.csv", "First Name,Email\nAnn,a@example.com\n")
        // A file still being written: it grows during the settle window.
        try put("growing.csv", "First Name,Last Name,Email\n", age: 0)
        let written = DispatchSemaphore(value: 0)
        let writer = Thread {
            defer { written.signal() }
            for i in 0..<12 {
                Thread.sleep(forTimeInterval: 0.25)
                if let handle = FileHandle(forWritingAtPath: self.inbox + "/growing.csv") {
                    handle.seekToEndOfFile()
                    handle.write(Data("P\(i),Q,p\(i)@example.com\n".utf8))
                    try? handle.close()
                }
            }
        }
        writer.start()
        let result = try cli.run(["inbox", "--store", cli.store, "--settle", "2", inbox])
        #expect(result.status == 1, "\(result.stderr)")  // rejected rows and a failed file
        #expect(exists("processed/\(day)/partner-referrals.csv"))
        #expect(exists("processed/\(day)/attendees.csv"))
        #expect(exists("failed/\(day)/broken.csv"))
        #expect(exists("growing.csv") && !exists("processed/\(day)/growing.csv"))
        #expect(exists("download.csv.part") && exists(".hidden.csv"))
        #expect(exists("reports/run-1.html"))
        #expect(result.stdout.contains("still being written"))
        // The result files, by content.
        let results = try text("reports/run-1/attendees.results.csv")
        let lines = results.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "file,record,line,outcome,lead_id,reason")
        #expect(lines.count == 7)
        #expect(lines.filter { $0.contains(",rejected,") }.count == 3)
        #expect(lines.contains { $0.hasPrefix("attendees.csv,2,7,new,") })
        let errors = try text("reports/run-1/attendees.errors.csv").split(separator: "\r\n").map(String.init)
        #expect(errors.first == "Attended,First Name,Last Name,Email,Organization,Job Title,Time in Session (minutes),line,error_code,error")
        // An errors.csv row is the original row, byte for byte apart from quoting, then line, code, error.
        #expect(errors[1] == "Yes,,,,,,12,9,record.no-person,\"row has no name, e-mail, phone or profile URL\"")
        #expect(errors[2].hasPrefix("Yes,Lea,Novak,lea.novak@adriatic.hr,Adriatic d.o.o.,Marketing Manager,33,extra,cells,10,csv.ragged-row,"))
        #expect(try text("reports/run-1/broken.results.csv").contains("broken.csv,,,failed,,"))

        // The same file again, and the grown file now settled: the duplicate goes to processed/ with a note.
        try copy("csv/partner-referrals.csv", to: "again/partner-referrals.csv")
        written.wait()
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: inbox + "/growing.csv")
        let second = try cli.run(["inbox", "--store", cli.store, "--settle", "1", inbox])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(exists("processed/\(day)/partner-referrals-2.csv"))
        #expect(exists("processed/\(day)/growing.csv"))
        #expect(second.stdout.contains("already loaded in run 1"))
        #expect(try text("reports/run-2/partner-referrals.results.csv").contains("duplicate-file"))
        // Nothing left: one line, exit 0.
        let empty = try cli.run(["inbox", "--store", cli.store, inbox])
        #expect(empty.status == 0)
        #expect(empty.stdout == "inbox \(inbox): nothing to import\n")
    }

    @Test("a second pass while one runs exits 75 at once, naming the pid; a crash leaves no stale lock")
    func lock() throws {
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let path = inbox + "/.leadintake.lock"
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("4242\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        let busy = try cli.run(["inbox", "--store", cli.store, inbox])
        #expect(busy.status == 75)
        #expect(busy.stderr.contains("another run is processing \(inbox) (pid 4242)"))
        close(fd)  // the holder is gone (as a killed process would be): the lock is free
        let free = try cli.run(["inbox", "--store", cli.store, inbox])
        #expect(free.status == 0, "\(free.stderr)")
    }

    @Test("--watch polls, imports what arrives, and SIGTERM ends it with exit 0")
    func watch() throws {
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["inbox", "--watch", "--every", "1", "--settle", "0", "--store", cli.store, inbox]
        process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        try copy("csv/partner-referrals.csv", to: "partner-referrals.csv")
        let deadline = Date().addingTimeInterval(60)
        while !exists("processed/\(Self.today)/partner-referrals.csv"), Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        #expect(exists("processed/\(Self.today)/partner-referrals.csv"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("import --results writes the same result files; --log-format json logs one object per line")
    func importResults() throws {
        let dir = cli.dir + "/results"
        let result = try cli.run(["import", "--store", cli.store, "--results", dir, "--log-format", "json", "--log-level", "info", "fixtures/csv/"])
        #expect(result.status == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == [
            "excel-german-semicolon.results.csv", "partner-referrals.results.csv", "webinar-attendees-with-bad-rows.errors.csv",
            "webinar-attendees-with-bad-rows.results.csv",
        ])
        let partner = try String(contentsOfFile: dir + "/partner-referrals.results.csv", encoding: .utf8)
        #expect(partner.split(separator: "\r\n").count == 5)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil, "\(line)")
        }
    }

    @Test("a rejected vCard's errors.csv row holds the card's text")
    func vcardErrors() throws {
        let file = cli.dir + "/cards.vcf"
        try Data("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no person\r\n here\r\nEND:VCARD\r\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let dir = cli.dir + "/vres"
        let result = try cli.run(["import", "--dry-run", "--store", cli.store, "--results", dir, file])
        #expect(result.status == 1)
        let errors = try String(contentsOfFile: dir + "/cards.errors.csv", encoding: .utf8)
        #expect(errors == "raw,line,error_code,error\r\n\"BEGIN:VCARD\nVERSION:3.0\nNOTE:no person\n here\nEND:VCARD\",6,record.no-person,\"card has no name, e-mail, phone or profile\"\r\n")
    }

    @Test("a rejected HTML table row's errors.csv row holds its fields")
    func htmlErrors() throws {
        let file = cli.dir + "/people.html"
        try Data("<html><body><table><tr><th>Name</th><th>Email</th><th>Company</th></tr><tr><td>Ann Lee</td><td>ann@example.com</td><td>Acme</td></tr><tr><td></td><td></td><td>Globex</td></tr></table></body></html>".utf8)
            .write(to: URL(fileURLWithPath: file))
        let dir = cli.dir + "/hres"
        _ = try cli.run(["import", "--dry-run", "--store", cli.store, "--results", dir, file])
        let errors = try String(contentsOfFile: dir + "/people.errors.csv", encoding: .utf8)
        #expect(errors.hasPrefix("raw,line,error_code,error\r\n\"Name: \nEmail: \nCompany: Globex\","))
        #expect(errors.contains("record.no-person"))
    }

    @Test("rejected jCard and xCard cards' errors.csv rows hold their properties as read")
    func jcardAndXCardErrors() throws {
        let jcard = cli.dir + "/cards.json"
        try Data(#"[["vcard",[["version",{},"text","4.0"],["fn",{},"text","Ann Lee"],["email",{},"text","ann@example.com"]]],["vcard",[["version",{},"text","4.0"],["note",{},"text","no person here"]]],["card?"]]"#.utf8)
            .write(to: URL(fileURLWithPath: jcard))
        let xcard = cli.dir + "/cards.xml"
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0">
              <vcard><fn><text>Ann Lee</text></fn><email><text>ann@example.com</text></email></vcard>
              <vcard><note><text>no person here</text></note><org><text>Globex</text></org></vcard>
            </vcards>
            """.utf8).write(to: URL(fileURLWithPath: xcard))
        let dir = cli.dir + "/jres"
        _ = try cli.run(["import", "--dry-run", "--store", cli.store, "--results", dir, jcard, xcard])
        // The first file of a stem gets NAME.errors.csv, the next one with that stem keeps its extension.
        let jerrors = try String(contentsOfFile: dir + "/cards.errors.csv", encoding: .utf8)
        #expect(jerrors == "raw,line,error_code,error\r\n\"VERSION: 4.0\nNOTE: no person here\",1,record.no-person,\"card has no name, e-mail, phone or profile\"\r\n\"[\"\"card?\"\"]\",1,jcard.shape,\"card 3 is not [\"\"vcard\"\", [properties]]\"\r\n")
        let xerrors = try String(contentsOfFile: dir + "/cards.xml.errors.csv", encoding: .utf8)
        #expect(xerrors == "raw,line,error_code,error\r\n\"NOTE: no person here\nORG: Globex\",4,record.no-person,card has only an organisation\r\n")
    }

    @Test("the systemd units in docs/ pass systemd-analyze verify (when systemd is installed)")
    func systemdUnits() throws {
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let analyze else { try Test.cancel("systemd-analyze is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify", CLITests.root + "/docs/systemd/leadintake-inbox.service", CLITests.root + "/docs/systemd/leadintake-inbox.timer"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The binary path in the unit need not exist on the test machine; anything else is a mistake.
        let problems = message.split(separator: "\n").filter { !$0.contains("leadintake") || !$0.contains("No such file") }
            .filter { !$0.contains("Command /usr/local/bin/leadintake is not executable") }
        #expect(problems.isEmpty, "\(message)")
    }
}
