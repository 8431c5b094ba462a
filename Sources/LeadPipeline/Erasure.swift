import Foundation
public import LeadCore
public import LeadImport
public import LeadMatch
public import LeadNormalize
public import LeadStore

/// Erasure of a person and do-not-contact lists: the store keeps keyed hashes of their identifiers,
/// and every import drops a record bearing one before matching (`Pipeline.process`).
public enum Suppression {
    /// The identifiers of a list file, one set per record, read by the importers (a CSV with an
    /// e-mail, phone, profile-URL or domain column in any layout, a vCard file, a spreadsheet...).
    public struct List: Sendable {
        public var people: [[SuppressionKey]] = []
        /// Whole domains (`@competitor.example` in an e-mail column, or a row that gives only a domain).
        public var domains: [SuppressionKey] = []
        public var records = 0
        /// Rows that named nothing to suppress, or that the reader rejected (file, line, why; no value).
        public var skipped: [Issue] = []
        public var allKeys: [SuppressionKey] { Array(Set(people.flatMap { $0 } + domains)).sorted() }
    }

    /// Reads `path` with the importer that recognises it best. `domains`: whole-domain entries are
    /// kept (a do-not-contact list), else ignored (an erasure names people, never a company).
    public static func readList(
        path: String, registry: ImporterRegistry = .standard, normalizer: Normalizer = Normalizer(), domains: Bool
    ) throws -> List {
        let file = try SourceFile.open(path: path)
        guard let (importer, _) = registry.detect(file).winner else {
            throw ImportError("file.unknown-format", "no importer recognises this list (a CSV with an e-mail, phone or profile-URL column is expected)", at: SourceLocation(file: file.name))
        }
        let options = ImportOptions()
        let reader = GuardedReader(try importer.makeReader(for: file, options: options), limits: options.limits, fileName: file.name)
        var list = List()
        while let step = try reader.next() {
            switch step {
            case .note: continue
            case .rejected(let issue):
                list.records += 1
                list.skipped.append(issue)
            case .record(let record, _, _):
                list.records += 1
                let normalized = normalizer.normalize(record).0
                let person = SuppressionKeys.person(emails: normalized.emails, phones: normalized.phones, socials: normalized.socialProfiles)
                let written = normalized.emails.filter { ($0.normalized ?? $0.raw).trimmingWhitespace().hasPrefix("@") }
                var rowDomains = SuppressionKeys.domains(emails: written, domain: nil)
                if person.isEmpty, rowDomains.isEmpty { rowDomains = SuppressionKeys.domains(emails: [], domain: normalized.domain) }
                if !person.isEmpty { list.people.append(person) }
                if domains { list.domains += rowDomains }
                if person.isEmpty && (rowDomains.isEmpty || !domains) {
                    list.skipped.append(Issue(.warning, "list.nothing-to-suppress",
                        domains ? "row names no e-mail, phone, profile URL or domain" : "row names no e-mail, phone or profile URL",
                        at: SourceLocation(file: file.name, line: record.provenance.line, record: record.provenance.record)))
                }
            }
        }
        return list
    }

    /// The identifiers of one e-mail address given on the command line (normalized as an import would).
    public static func identifiers(email: String, normalizer: Normalizer = Normalizer()) -> [SuppressionKey] {
        let record = LeadRecord(
            emails: [EmailAddress(raw: email)], source: LeadSource(name: "command line", kind: .other),
            provenance: Provenance(fileName: "command line", filePath: "", fileSHA256: "", record: 0, line: 0, importer: "command-line"))
        let normalized = normalizer.normalize(record).0
        return SuppressionKeys.person(emails: normalized.emails, phones: [], socials: [])
    }

    /// Adds `keys` to the store's suppressions; returns how many were new.
    public static func suppress(_ keys: [SuppressionKey], reason: String, source: String, in store: any LeadStore, at time: String = Pipeline.now()) throws -> Int {
        try store.transaction(commit: true) { tx in
            guard let hasher = try tx.suppressionHasher(create: true) else { return 0 }
            return try tx.addSuppressions(keys.map { (hasher.hash($0), $0.kind) }, reason: reason, source: source, at: time)
        }
    }

    /// What `erase` did or, in a dry run, would do.
    public struct ErasureReport: Sendable, Codable {
        public var runID: Int64?
        public var erasedLeads: [Int64] = []
        public var counts = ErasureResult()
        /// Identifiers asked for that no stored lead bears (suppressed all the same).
        public var unmatched = 0
        public var purge: String?
    }

    /// Erases the people with these identifiers (`targets`: one set per person) and the leads `leadIDs`:
    /// every stored lead bearing one of a person's e-mails, phones or profile URLs is deleted with all
    /// that quotes it (``StoreTransaction/erase(leads:scrubbing:)``), and each identifier the person had
    /// is suppressed, in one transaction recorded in the ledger as an `erase` run. Then the store is
    /// rewritten so that no freed page or log keeps a copy.
    public static func erase(
        targets: [[SuppressionKey]], leadIDs: [Int64], reason: String, source: String, in store: any LeadStore, dryRun: Bool,
        matcher: ProbabilisticMatcher = ProbabilisticMatcher(), at time: String = Pipeline.now()
    ) throws -> ErasureReport {
        var report = try store.transaction(commit: !dryRun) { tx -> ErasureReport in
            var report = ErasureReport()
            let hasher = try tx.suppressionHasher(create: true)!
            let wanted = Set(targets.flatMap { $0 })
            // The stored leads under the index keys of the identifiers, then kept when one of their
            // own identifiers is one asked for (the index's phone key is only the last nine digits).
            var indexKeys: [MatchKey] = []
            for key in wanted {
                switch key.kind {
                case .email: indexKeys.append(MatchKey("email", key.value))
                case .profile: indexKeys.append(MatchKey("social", key.value))
                case .phone:
                    let parts = key.value.split(separator: "x", maxSplits: 1)
                    let digits = String(parts[0].filter(\.isNumber).suffix(9))
                    indexKeys.append(MatchKey("phone", digits + (parts.count > 1 ? "x" + parts[1] : "")))
                case .domain: continue
                }
            }
            let found = try tx.leadIDs(forKeys: indexKeys, limit: 10_000)
            var matched = Set<SuppressionKey>()
            var erase: [Int64: Lead] = [:]
            for candidate in try tx.candidateLeads(ids: Array(Set(found.values.flatMap { $0 })).sorted()) {
                let own = Set(SuppressionKeys.person(emails: candidate.lead.emails, phones: candidate.lead.phones, socials: candidate.lead.socialProfiles))
                let shared = own.intersection(wanted)
                guard !shared.isEmpty else { continue }
                matched.formUnion(shared)
                erase[candidate.id] = candidate.lead
            }
            for id in leadIDs {
                guard let lead = try tx.lead(id: id) else { throw StoreError("no lead \(id) in \(store.location)") }
                erase[id] = lead
            }
            report.unmatched = wanted.subtracting(matched).filter { $0.kind != .domain }.count
            var suppress = wanted
            var strings = Set<String>()
            for lead in erase.values {
                suppress.formUnion(SuppressionKeys.erased(lead))
                strings.formUnion(scrubbed(lead))
            }
            report.erasedLeads = erase.keys.sorted()
            report.counts = try tx.erase(leads: report.erasedLeads, scrubbing: strings.sorted())
            report.counts.suppressed = try tx.addSuppressions(
                suppress.sorted().map { (hasher.hash($0), $0.kind) }, reason: reason, source: source, at: time)
            let runID = try tx.beginRun(mode: "erase", command: "leadintake erase (\(source); values not kept)", startedAt: time)
            var run = RunRecord(id: runID, mode: "erase", startedAt: time, status: "succeeded", command: "leadintake erase (\(source); values not kept)")
            run.finishedAt = Pipeline.now()
            try tx.updateRun(run)
            report.runID = dryRun ? nil : runID
            return report
        }
        if !dryRun && !report.erasedLeads.isEmpty { report.purge = try store.purgeDeleted() }
        return report
    }

    /// The texts of a lead that an issue message or a file fact could quote: its addresses and
    /// numbers as written and normalized, its profile URLs, its names.
    static func scrubbed(_ lead: Lead) -> [String] {
        var texts: [String] = []
        for email in lead.emails { texts += [email.raw, email.normalized, email.key].compactMap { $0 } }
        for phone in lead.phones { texts += [phone.raw, phone.normalized].compactMap { $0 } }
        texts += lead.socialProfiles
        texts += [lead.name.best, lead.name.display].compactMap { $0 }
        if let given = lead.name.given, let family = lead.name.family { texts += [given + " " + family, family + ", " + given] }
        texts += lead.aliases
        return texts.map { $0.trimmingWhitespace() }.filter { $0.count >= 4 }
    }
}
