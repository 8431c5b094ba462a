// `make bench`: throughput of each stage on generated data, in a release build. Speed goals live
// here, never in unit tests.
import Foundation
import LeadCore
import LeadImport
import LeadNormalize

func measure(_ label: String, count: Int, _ body: () -> Void) {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%10.0f /s  (%d in %.2f s)", Double(count) / seconds, count, seconds))
}

// `leadintake-bench read FILE`: stream one file through its importer; print records and peak memory.
if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "read" {
    let file = try SourceFile.open(path: CommandLine.arguments[2])
    guard let (importer, _) = ImporterRegistry.standard.detect(file).winner else { fatalError("no importer") }
    var records = 0, rejected = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let reader = try importer.makeReader(for: file, options: ImportOptions())
    while let step = try reader.next() {
        switch step {
        case .record: records += 1
        case .rejected: rejected += 1
        case .note: break
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("\(importer.id): \(records) records, \(rejected) rejected in \(String(format: "%.1f", seconds)) s; file \(file.size / 1_000_000) MB; peak RSS \(usage.ru_maxrss / 1024) MB")
    exit(0)
}

// `leadintake-bench gen-xml FILE MB`: write a CRM-style XML export of about MB megabytes (records
// with person-like element names), to measure streaming import in flat memory with `read FILE`.
func generateXML(path: String, megabytes: Int) {
    guard let out = fopen(path, "wb") else { fatalError("cannot write \(path)") }
    let target = megabytes * 1_000_000
    var written = 0
    func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { written += fwrite($0.baseAddress, 1, $0.count, out) }
    }
    emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export generator=\"leadintake-bench\">\n  <contacts>\n")
    let givens = ["Ana", "Jürgen", "Priya", "Marc", "Kenji", "Léa", "Olu", "Siobhán", "Bob", "Katherine"]
    let families = ["García", "Müller", "Shah", "Dubois", "Tanaka", "Novak", "Adeyemi", "O&apos;Brien", "van der Berg", "McDonald"]
    var i = 0
    while written < target {
        let g = givens[i % givens.count], f = families[(i / 7) % families.count]
        emit("    <contact id=\"c-\(i)\"><firstName>\(g)</firstName><lastName>\(f)</lastName>"
            + "<email>\(g.lowercased()).\(i)@example\(i % 997).com</email><company>Company \(i % 5000) GmbH</company>"
            + "<jobTitle>VP Marketing</jobTitle><phone type=\"work\">+49 30 \(1_000_000 + i % 8_999_999)</phone>"
            + "<address><city>Berlin</city><country>Germany</country></address><notes>Imported from the legacy CRM; record \(i)</notes></contact>\n")
        i += 1
    }
    emit("  </contacts>\n</export>\n")
    fclose(out)
    print("wrote \(i) contacts, \(written / 1_000_000) MB to \(path)")
}

if CommandLine.arguments.count > 3, CommandLine.arguments[1] == "gen-xml", let megabytes = Int(CommandLine.arguments[3]) {
    generateXML(path: CommandLine.arguments[2], megabytes: megabytes)
    exit(0)
}

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let given = ["Ana", "JÜRGEN", "priya", "Marc", "Kenji", "Léa", "Olu", "Siobhán", "Bob", "Katherine"]
let family = ["García", "MÜLLER", "shah", "Dubois", "Tanaka", "Novak", "Adeyemi", "O'Brien", "van der Berg", "McDonald"]
let companies = ["Acme Soft S.L.", "Bauwerk GmbH & Co. KG", "Northwind Inc", "Lumière SAS", "Sakura K.K.", "The Globex Company, LLC"]
let titles = ["VP Mktg", "CMO", "Head of Demand Gen", "Directeur commercial", "Geschäftsführer", "Marketing Intern", "Senior Engineer"]
let countries = ["Germany", "Deutschland", "USA", "España", "France", "UK", "Japan"]
let phones = ["+1 (415) 555-0123 ext. 7", "030 1234567", "'+44 20 7946 0018", "+34 612 345 678", "4.47712E+11", "0151 23456789"]

func record(_ i: Int) -> LeadRecord {
    let g = given[i % given.count], f = family[(i / 3) % family.count]
    return LeadRecord(
        name: PersonName(given: g, family: f),
        emails: [EmailAddress(raw: "\(g.lowercased()).\(i)@Example\(i % 500).com"), EmailAddress(raw: "\(g)+news\(i)@gmail.com")],
        phones: [PhoneNumber(raw: phones[i % phones.count].replacingOccurrences(of: "0123", with: String(format: "%04d", i % 10000)))],
        company: companies[i % companies.count], title: titles[i % titles.count], website: "https://www.example\(i % 500).co.uk/",
        location: Location(country: countries[i % countries.count]), source: LeadSource(name: "bench", kind: .other),
        provenance: Provenance(fileName: "bench", filePath: "bench", fileSHA256: "", record: i, line: i, importer: "bench"))
}

print("LeadIntake benchmark, \(n) records per measurement (release build recommended)")
let records = (0..<n).map(record)
let normalizer = Normalizer(defaultRegion: "DE")
measure("normalize (whole record)", count: n) { for r in records { _ = normalizer.normalize(r) } }
let phoneNormalizer = PhoneNormalizer()
measure("phones, uncached (libphonenumber)", count: n / 10) {
    for i in 0..<(n / 10) { _ = phoneNormalizer.normalize("+49 151 \(10_000_000 + i)", region: "DE") }
}
measure("phones, repeated numbers (cached)", count: n) { for i in 0..<n { _ = phoneNormalizer.normalize(phones[i % phones.count], region: "DE") } }
measure("e-mails (syntax, key)", count: n) { for r in records { _ = EmailSyntax.normalize(r.emails[1].raw).map(EmailRules.key) } }
measure("names (split, case, keys)", count: n) {
    for r in records {
        var name = PersonName(display: (r.name.given ?? "") + " " + (r.name.family ?? ""))
        _ = NameNormalizer.normalize(&name)
        _ = NameNormalizer.keys(name)
    }
}
measure("companies (key)", count: n) { for r in records { _ = CompanyNormalizer.key(r.company!) } }
measure("domains (libpsl)", count: n) { for r in records { _ = CompanyNormalizer.host(of: r.website!).flatMap(CompanyNormalizer.registrableDomain) } }
measure("titles (seniority, department)", count: n) { for r in records { _ = TitleClassifier.classify(r.title!) } }
measure("countries", count: n) { for r in records { _ = Countries.code(for: r.location.country!) } }

// CSV import throughput: write a file, read it back through the importer.
let path = NSTemporaryDirectory() + "leadintake-bench-\(getpid()).csv"
var csv = "First Name,Last Name,Email,Company,Title,Phone,Country\n"
for r in records {
    csv += "\(r.name.given!),\(r.name.family!),\(r.emails[0].raw),\"\(r.company!)\",\(r.title!),\(r.phones[0].raw),\(r.location.country!)\n"
}
try csv.write(toFile: path, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: path) }
let file = try SourceFile.open(path: path)
measure("CSV import (read + map)", count: n) {
    let reader = try! CSVImporter().makeReader(for: file, options: ImportOptions())
    while let _ = try! reader.next() {}
}
