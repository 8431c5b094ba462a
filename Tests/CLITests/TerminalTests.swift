import Foundation
import Testing

/// The sourcing assistant's terminal: a progress bar only on a terminal, a summary that leads with
/// what to act on, colour only where it belongs, exit codes; and the HTML report's charts, rendered
/// by headless Chromium.
@Suite("leadintake at a terminal and the report's charts")
struct TerminalTests {
    let dir: String = {
        let path = NSTemporaryDirectory() + "leadintake-tty-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    var store: String { "sqlite:" + dir + "/leads.sqlite" }

    /// A list of `rows` distinct people, every 40th row broken (more fields than the header).
    func list(rows: Int) throws -> String {
        let path = dir + "/list-\(rows).csv"
        var text = "First Name,Last Name,Email,Title,City\n"
        let given = ["Anna", "Jonas", "Mei", "Omar", "Lucía", "Pieter", "Aiko", "Kwame", "Sofia", "Ravi"]
        let syllables = ["ka", "lo", "mi", "ren", "dos", "vi", "tur", "shan", "pe", "gor"]
        for i in 0..<rows {
            if i % 40 == 39 {
                text += "a,b,c,d,e,f,g,h\n"
                continue
            }
            // Family names that share nothing but their length: "Kalomiren" (0012), "Dosvitur" ...
            let digits = String(i).leftPadded(4, "0").compactMap { $0.wholeNumberValue }
            let family = digits.map { syllables[$0] }.joined().capitalized
            let first = given[(i / 7) % given.count]
            text += "\(first),\(family),\(first.lowercased()).\(family.lowercased())@mail\(i % 13).example,Analyst,Berlin\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `leadintake` under `script(1)`, so its standard output and error are a pseudo-terminal;
    /// returns what the terminal showed. `CI` is removed: the bar is meant to stay off in CI.
    func runInTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, screen: String) {
        let command = ([CLITests.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qefc", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        var environment = ProcessInfo.processInfo.environment
        environment["CI"] = nil
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm"
        environment["COLUMNS"] = "120"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func run(_ arguments: [String]) throws -> CLITests.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static var hasScript: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    @Test("on a terminal: a bar with percent, rate, ETA and stage, redrawn in place; the final line stays; colour")
    func progressOnTerminal() throws {
        try #require(Self.hasScript, "script(1) from util-linux runs the command in a pseudo-terminal")
        let file = try list(rows: 3000)
        let (status, screen) = try runInTerminal(["import", "--store", store, file])
        #expect(status == 1)  // the broken rows
        // Redrawn in place: carriage return and erase-line before each drawing.
        #expect(screen.contains("\r\u{1B}[2K"))
        let drawings = screen.components(separatedBy: "\r\u{1B}[2K").dropFirst().map { $0.components(separatedBy: "\n")[0] }
        #expect(drawings.contains { $0.range(of: #"\[[#-]+\]\s+\d{1,3}%"#, options: .regularExpression) != nil }, "a bar with a percent")
        #expect(drawings.contains { $0.range(of: #"[\d,]+/s"#, options: .regularExpression) != nil }, "records per second")
        #expect(drawings.contains { $0.range(of: #"ETA \d+:\d\d"#, options: .regularExpression) != nil }, "an ETA")
        #expect(drawings.contains { $0.hasSuffix("matching") || $0.hasSuffix("writing") }, "the stage")
        // The final line stays: 100%, every record, the time it took.
        let final = try #require(drawings.last)
        #expect(final.contains("100%") && final.contains("3,000 records") && final.contains("done in"))
        // The summary on a terminal: what to act on first, in colour.
        #expect(screen.contains("\u{1B}[1mTo act on\u{1B}[0m"))
        #expect(screen.contains("\u{1B}[31m75 row(s) rejected: list-3000.csv lines 41, 81, 121, 161, 201; …"))
        #expect(screen.range(of: "To act on")!.lowerBound < screen.range(of: "records read 3000")!.lowerBound)
    }

    @Test("NO_COLOR and --no-progress: plain text and no bar, even on a terminal")
    func plainOnTerminal() throws {
        try #require(Self.hasScript, "script(1) from util-linux runs the command in a pseudo-terminal")
        let file = try list(rows: 1200)
        let (_, screen) = try runInTerminal(["import", "--no-progress", "--store", store, file], environment: ["NO_COLOR": "1"])
        #expect(!screen.contains("\u{1B}["))
        #expect(!screen.contains("ETA"))
        #expect(screen.contains("To act on"))
    }

    @Test("piped: no bar, no escape codes; --quiet prints only the one-line total; --json has the same facts")
    func piped() throws {
        let file = try list(rows: 2000)
        let result = try run(["import", "--store", store, file])
        #expect(result.status == 1)
        #expect(!result.stderr.contains("ETA") && !result.stderr.contains("\r") && !result.stdout.contains("\u{1B}["))
        #expect(result.stdout.hasPrefix("Run 1 into"))
        #expect(result.stdout.contains("To act on\n  50 row(s) rejected: list-2000.csv lines 41, 81, 121, 161, 201; …\n"))
        #expect(result.stdout.contains("… 45 more rejected: the store keeps every one"))

        let other = try list(rows: 1000)
        let quiet = try run(["import", "--quiet", "--store", "sqlite:" + dir + "/quiet.sqlite", other])
        #expect(quiet.stdout.hasPrefix("Total: 1 file(s), 1000 records read, 975 loaded, 25 rejected, "))
        #expect(quiet.stdout.filter { $0 == "\n" }.count == 1 && quiet.stdout.hasSuffix("\n"))
        #expect(quiet.status == 1)
        #expect(quiet.stderr.isEmpty)

        let json = try run(["import", "--json", "--dry-run", "--store", "sqlite:" + dir + "/json.sqlite", try list(rows: 400)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let attention = try #require(object["attention"] as? [[String: Any]])
        #expect(attention.first?["kind"] as? String == "rows-rejected")
        #expect(attention.first?["count"] as? Int == 10)
        #expect((attention.first?["lines"] as? [String])?.first == "list-400.csv:41")
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["recordsRejected"] as? Int == 10)
        #expect(totals["recordsRead"] as? Int == 400)
    }

    @Test("a command on a missing store: exit 2 and one line, no usage text", arguments: [
        ["runs"], ["export", "leads"], ["review", "list"], ["explain", "1"],
    ])
    func missingStore(_ command: [String]) throws {
        let missing = "sqlite:" + dir + "/nowhere.sqlite"
        let result = try run(command + ["--store", missing])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no store at \(missing)"))
        #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("USAGE"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere.sqlite"))
    }

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("the HTML report has its charts, and headless Chromium renders it")
    func reportCharts() throws {
        let page = dir + "/plan.html"
        let result = try run(["import", "--dry-run", "--report", page, "--store", store, "fixtures/", try list(rows: 800)])
        #expect(result.status == 1)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // The run's records and stages, and per loaded file the same, plus a strip where rows were rejected.
        #expect(html.components(separatedBy: "<svg class=\"chart stacked\"").count - 1 >= 2 + 20)
        #expect(html.components(separatedBy: "<svg class=\"chart strip\"").count - 1 == 3)  // the three files with rejected rows
        // The list's strip marks rows 40, 80, … 800 of 800: twenty marks, the last at the right edge.
        let strip = try #require(html.components(separatedBy: "Where the rejected rows sit in list-800.csv").dropFirst().first)
        let marks = strip.components(separatedBy: "</svg>")[0].components(separatedBy: "<rect class=\"mark\"").count - 1
        #expect(marks == 20)
        #expect(html.contains("@page { size: A4"))
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))

        guard let chromium = Self.chromium else {
            // `make test` installs Debian's chromium and sets LEADINTAKE_REQUIRE_CHROMIUM=1.
            #expect(ProcessInfo.processInfo.environment["LEADINTAKE_REQUIRE_CHROMIUM"] != "1", "chromium is required by make test")
            return
        }
        let png = dir + "/plan.png"
        // Headless chromium now and then never exits after its screenshot (seen once in a loaded
        // run): a run gets 90 seconds, then it is killed and tried once more.
        var rendered = false
        for attempt in 1...2 where !rendered {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=\(dir)/chromium-\(attempt)", "--window-size=1000,1600", "--screenshot=\(png)",
                URL(fileURLWithPath: page).absoluteString,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(90)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
            if process.isRunning {
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                continue
            }
            rendered = process.terminationStatus == 0 && FileManager.default.fileExists(atPath: png)
        }
        #expect(rendered, "chromium did not render the report")
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))  // PNG signature
        #expect(image.count > 20_000)  // a page with coloured charts, not a blank one
        if let keep = ProcessInfo.processInfo.environment["LEADINTAKE_KEEP_REPORT_PNG"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
        }
    }
}

extension String {
    func leftPadded(_ width: Int, _ pad: Character) -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
