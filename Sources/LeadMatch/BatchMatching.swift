public import LeadCore

// The set-based matching stage: a chunk of records is matched at once (blocking-key table in memory
// for the chunk, one bulk read of the store's candidates, pairs scored in parallel, clustered with a
// constrained union-find), and the result is a plan value that the store applies in bulk.

/// Two leads, smaller id first.
public struct LeadPair: Hashable, Sendable, Codable {
    public var low: Int64
    public var high: Int64
    public init(_ a: Int64, _ b: Int64) {
        low = min(a, b)
        high = max(a, b)
    }
}

/// What the matcher may read of the store, in bulk: one call per chunk, never one per record.
public protocol CandidateSource {
    /// For every key, the ids of the leads indexed under it (at most `limit + 1`: a longer block is cut).
    func leadIDs(forKeys keys: [MatchKey], limit: Int) throws -> [MatchKey: [Int64]]
    /// The leads with these ids, with whether the current run created them.
    func candidateLeads(ids: [Int64]) throws -> [Candidate]
    /// Number of leads indexed under each key (term frequencies); missing keys count 0.
    func keyCounts(_ keys: [MatchKey]) throws -> [MatchKey: Int]
    /// Number of leads in the store.
    func indexedLeadCount() throws -> Int
    /// The pairs among these leads that a person rejected in the review queue.
    func rejectedPairs(among ids: [Int64]) throws -> Set<LeadPair>
    /// The id of the latest source record of each lead (which of two merged leads holds the current job).
    func latestRecordIDs(leadIDs: [Int64]) throws -> [Int64: Int64]
}

/// The matching stage's result for one chunk: what the store must write, and nothing it must decide.
public struct ChunkPlan: Sendable {
    /// A lead of the plan: one already stored, or the n-th new lead of this plan.
    public enum LeadRef: Sendable, Hashable {
        case stored(Int64)
        case new(Int)
    }
    public struct NewLead: Sendable {
        public var lead: Lead
        public var keys: [MatchKey]
    }
    public struct UpdatedLead: Sendable {
        public var id: Int64
        public var lead: Lead
        public var keys: [MatchKey]
    }
    /// Where one record of the chunk goes.
    public struct Link: Sendable {
        /// Index of the record in the chunk.
        public var record: Int
        public var lead: LeadRef
        /// "new" (the record made the lead) or "merged".
        public var kind: String
        public var explanation: String
        public var comparison: Comparison?
        /// The lead existed before this run (a duplicate of the store), else created by this run.
        public var ofStore: Bool
    }
    /// Stored lead `merged` joins `survivor` (the older id): one person found split over two leads.
    public struct Merge: Sendable {
        public var survivor: Int64
        public var merged: Int64
        public var reason: String
    }
    public struct Review: Sendable {
        /// The existing (or earlier) lead and the lead of the record.
        public var lead: LeadRef
        public var other: LeadRef
        /// The record (index in the chunk) that raised the doubt.
        public var record: Int
        public var comparison: Comparison
    }

    public var newLeads: [NewLead] = []
    public var updatedLeads: [UpdatedLead] = []
    public var links: [Link] = []
    public var merges: [Merge] = []
    public var reviews: [Review] = []
    /// Reviews not raised because a person rejected the pair before.
    public var reviewsAlreadyRejected = 0
    /// Blocks of more than the limit (a common key), skipped for pairing and counted.
    public var blocksCut = 0
    public var pairsScored = 0
    public var largestCluster = 0
    /// Time each step of the matching took, in order.
    public struct Timing: Sendable {
        public var step: String
        public var seconds: Double
    }
    public var timings: [Timing] = []

    public init() {}
}

/// Matches chunks of normalized records against the store and each other.
public struct BatchMatcher: Sendable {
    public var matcher: any Matcher
    /// Leads or records sharing one key above which the key is too common to pair on.
    public var blockLimit = 50
    /// Candidates compared per record at most (those sharing the most keys).
    public var maxCandidates = 20
    /// Worker threads for the parallel steps (tests vary it: the result must not change).
    public var workers = Parallel.cores
    /// Compare every pair of the chunk's records, without blocking: the naive reference the
    /// blocked engine is tested against (quadratic: small sets only).
    public var exhaustive = false

    public init(matcher: any Matcher) { self.matcher = matcher }
    public typealias LeadRef = ChunkPlan.LeadRef

    /// A record of the chunk as the matcher sees it.
    struct Item: Sendable {
        var profile: MatchProfile
        var probe: Lead
        var keys: [MatchKey]
        var lookup: [MatchKey]
        /// Order-independent identity of the record's content (tie-breaks, canonical order).
        var content: UInt64
    }

    /// A node of the clustering: a record of the chunk or a stored lead.
    enum Node: Hashable, Comparable {
        case record(Int)
        case lead(Int64)
    }

    struct Edge: Sendable {
        var a: Int  // record index
        var b: Node
        var comparison: Comparison
    }

    /// Matches `records` (normalized, in file order); `seenAt` is the run's time stamp.
    public func plan(
        _ records: [LeadRecord], source: any CandidateSource, seenAt: String, accumulate: @Sendable (LeadRecord, inout Lead) -> Void
    ) throws -> ChunkPlan {
        var plan = ChunkPlan()
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ step: String) {
            let now = clock.now
            plan.timings.append(.init(step: step, seconds: Double((now - mark).components.attoseconds) / 1e18 + Double((now - mark).components.seconds)))
            mark = now
        }
        let matcher = self.matcher
        var items: [Item] = Parallel.map(records.count, workers: workers) { i in
            var probe = Lead(record: records[i])
            accumulate(records[i], &probe)
            let keys = matcher.keys(for: probe)
            return Item(
                profile: MatchProfile(record: records[i]), probe: probe, keys: keys,
                lookup: keys.filter { !$0.kind.hasPrefix("tf-") }, content: Self.contentHash(records[i]))
        }

        // Blocking: the chunk's own key table, and the store's leads under the same keys (one read).
        var block: [MatchKey: [Int]] = [:]
        for (i, item) in items.enumerated() {
            for key in item.lookup { block[key, default: []].append(i) }
        }
        lap("profiles")
        let stored = try source.leadIDs(forKeys: Array(block.keys).sorted(by: Self.keyOrder), limit: blockLimit)
        var cutKeys = Set<MatchKey>()
        for (key, members) in block where members.count > blockLimit { cutKeys.insert(key) }
        for (key, ids) in stored where ids.count > blockLimit { cutKeys.insert(key) }
        plan.blocksCut = cutKeys.count

        // Candidates of each record: chunk records before it and stored leads, most shared keys first.
        var recordCandidates: [[Int]] = Array(repeating: [], count: items.count)
        var leadCandidates: [[Int64]] = Array(repeating: [], count: items.count)
        var wanted = Set<Int64>()
        for (i, item) in items.enumerated() {
            var sharedRecords: [Int: Int] = [:]
            var sharedLeads: [Int64: Int] = [:]
            for key in item.lookup where !cutKeys.contains(key) {
                for j in block[key]! where j != i { sharedRecords[j, default: 0] += 1 }
                for id in stored[key] ?? [] { sharedLeads[id, default: 0] += 1 }
            }
            if exhaustive {
                recordCandidates[i] = items.indices.filter { $0 != i }
                leadCandidates[i] = sharedLeads.keys.sorted()
                wanted.formUnion(leadCandidates[i])
                continue
            }
            recordCandidates[i] = sharedRecords.sorted {
                $0.value != $1.value ? $0.value > $1.value : items[$0.key].content != items[$1.key].content
                    ? items[$0.key].content < items[$1.key].content : $0.key < $1.key
            }.prefix(maxCandidates).map(\.key)
            // Cheap pruning before any lead is read: a stored lead that shares one weak key only (a
            // phonetic code with an initial, a given name at a company) and no identifier is not read.
            var strong = Set<Int64>()
            for key in item.lookup where Self.identifierKinds.contains(key.kind) && !cutKeys.contains(key) {
                strong.formUnion(stored[key] ?? [])
            }
            // A key that joins the family name with the employer, its domain or the given name (in
            // either order) is selective enough alone: such a lead is read (a record of a title search
            // shares nothing else with the attendee report that named the person's company).
            for key in item.lookup where Self.selectiveKinds.contains(key.kind) && !cutKeys.contains(key) {
                strong.formUnion(stored[key] ?? [])
            }
            // A phonetic code with the initial that few leads share (a rare family name, however
            // misspelled or abbreviated) is selective too.
            for key in item.lookup where key.kind == "name-phonetic" && !cutKeys.contains(key) {
                if let ids = stored[key], ids.count <= Self.smallPhoneticBlock { strong.formUnion(ids) }
            }
            leadCandidates[i] = sharedLeads.filter { $0.value >= 2 || strong.contains($0.key) }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(maxCandidates).map(\.key)
            wanted.formUnion(leadCandidates[i])
        }
        lap("block")
        let leads = try source.candidateLeads(ids: wanted.sorted())
        var leadsByID: [Int64: Candidate] = [:]
        for lead in leads { leadsByID[lead.id] = lead }
        let leadByID = leadsByID

        // Shared numbers (switchboards), learned from the data: a number borne by records or leads
        // of two people (names that cannot be one person's: other given names, other family names;
        // a typo or a nickname is still one person) identifies no one; it is weak evidence for every pair.
        var bearers: [String: [MatchProfile.Name]] = [:]
        func bear(_ phone: String, _ names: [MatchProfile.Name]) {
            var list = bearers[phone, default: []]
            for name in names where list.count < 24 && !list.contains(name) { list.append(name) }
            bearers[phone] = list
        }
        for item in items {
            for phone in item.profile.phones { bear(MatchProfile.phoneKey(phone), item.profile.names) }
        }
        for lead in leads {
            for phone in lead.profile.phones.map(MatchProfile.phoneKey) where bearers[phone] != nil { bear(phone, lead.profile.names) }
        }
        let shared = Set(bearers.filter { Self.severalPeople($0.value) }.keys)
        var profileOf: [Int64: MatchProfile] = [:]
        for lead in leads {
            var profile = lead.profile
            profile.markShared(shared)
            profileOf[lead.id] = profile
        }
        if !shared.isEmpty { for i in items.indices { items[i].profile.markShared(shared) } }
        let leadProfiles = profileOf

        // Term frequencies: the store's counts plus the chunk's own bearers, each person once (records
        // that share a personal e-mail or phone count as one).
        lap("read leads")
        let frequency = try NameFrequencies(items: items, source: source)

        // Pairs, each once (record × earlier-or-later record with i < j; record × stored lead).
        var pairs: [(Int, Node)] = []
        for i in items.indices {
            for j in recordCandidates[i] where j > i || !recordCandidates[j].contains(i) {
                pairs.append(i < j ? (i, .record(j)) : (j, .record(i)))
            }
            for id in leadCandidates[i] where leadByID[id] != nil { pairs.append((i, .lead(id))) }
        }
        var seenPairs = Set<PairKey>()
        pairs = pairs.filter { seenPairs.insert(PairKey($0.0, $0.1)).inserted }
        plan.pairsScored = pairs.count
        let scoredPairs = pairs, frozen = items
        lap("term counts")
        let edges: [Edge] = Parallel.map(scoredPairs.count, workers: workers) { p in
            let (i, node) = scoredPairs[p]
            let other: MatchProfile
            switch node {
            case .record(let j): other = frozen[j].profile
            case .lead(let id): other = leadProfiles[id]!
            }
            return Edge(a: i, b: node, comparison: matcher.compare(frozen[i].profile, other, frequency: frequency.of(frozen[i].profile)))
        }

        // Clustering: sure pairs strongest first (order-independent tie-breaks), joined only when the
        // two clusters agree as wholes and no compared pair across them is vetoed.
        lap("score pairs")
        let rejected = try source.rejectedPairs(among: wanted.sorted())
        var clusters = Clusters(items: items, leads: leadProfiles)
        var vetoes: [Node: Set<Node>] = [:]
        // Cannot-link constraints: conflicting names or profiles (a pair that shares only a name is
        // no evidence either way, not a conflict).
        for edge in edges where edge.comparison.veto != nil && edge.comparison.veto != Self.nameOnlyVeto {
            vetoes[.record(edge.a), default: []].insert(edge.b)
            vetoes[edge.b, default: []].insert(.record(edge.a))
        }
        let sure = edges.indices.filter {
            edges[$0].comparison.veto == nil && edges[$0].comparison.probability >= matcher.mergeThreshold
        }.sorted { (x: Int, y: Int) -> Bool in
            let a = edges[x], b = edges[y]
            if a.comparison.totalWeight != b.comparison.totalWeight { return a.comparison.totalWeight > b.comparison.totalWeight }
            return clusters.order(a.a, a.b) < clusters.order(b.a, b.b)
        }
        var joinedBy: [Int: Comparison] = [:]  // record → the comparison that joined it to its cluster
        // Joins the clusters of edge `e`'s ends when every rule allows it; `pairSure`: the pair itself
        // is sure (else only the clusters as wholes may be).
        func join(_ e: Int, pairSure: Bool) {
            let edge = edges[e]
            let x = clusters.find(.record(edge.a)), y = clusters.find(edge.b)
            guard x != y else {
                if pairSure, joinedBy[edge.a] == nil { joinedBy[edge.a] = edge.comparison }
                return
            }
            // A gray pair can only become sure through what the rest of a cluster knows.
            guard pairSure || clusters.membersOf(x).count + clusters.membersOf(y).count > 2 else { return }
            guard !clusters.vetoed(x, y, vetoes), !clusters.rejected(x, y, rejected) else { return }
            // Anti-chaining: every member of one cluster against every member of the other; a pair not
            // compared yet (it shared no block) is compared now, and any conflict keeps them apart. A
            // cluster's union profile would agree with anyone who matches one of its names.
            guard !clusters.conflict(x, y, compared: seenPairs, compare: { a, b in
                matcher.compare(a, b, frequency: frequency.of(a))
            }) else { return }
            let whole = matcher.compare(clusters.profile(x), clusters.profile(y), frequency: frequency.of(clusters.profile(x)))
            guard whole.veto == nil, whole.probability >= matcher.mergeThreshold else { return }
            // A join no single pair vouches for, or two stored leads of one person: far surer than a
            // record joining a lead.
            if !pairSure || clusters.storedLeads(x).count + clusters.storedLeads(y).count > 1 {
                guard whole.probability >= Self.sameLeadThreshold else { return }
            }
            clusters.union(x, y)
            let reason = pairSure ? edge.comparison : whole
            joinedBy[edge.a] = joinedBy[edge.a] ?? reason
            if case .record(let j) = edge.b, joinedBy[j] == nil { joinedBy[j] = reason }
            clusters.bridges[clusters.find(x), default: []].append(whole)
        }
        for e in sure { join(e, pairSure: true) }
        // Then the doubtful pairs, strongest first: a record that is not sure of any one record of a
        // person may be sure of the person's records together (one shows the e-mail, another the city).
        let sureSet = Set(sure)
        let gray = edges.indices.filter {
            !sureSet.contains($0) && (edges[$0].comparison.veto == nil || edges[$0].comparison.veto == Self.nameOnlyVeto)
                && edges[$0].comparison.probability >= matcher.reviewThreshold / 10
        }.sorted { (x: Int, y: Int) -> Bool in
            let a = edges[x], b = edges[y]
            if a.comparison.totalWeight != b.comparison.totalWeight { return a.comparison.totalWeight > b.comparison.totalWeight }
            return clusters.order(a.a, a.b) < clusters.order(b.a, b.b)
        }
        for e in gray { join(e, pairSure: false) }

        lap("cluster")
        // Survivorship and the plan, cluster by cluster in order of each cluster's first record.
        var byRoot: [Node: [Int]] = [:]
        for i in items.indices { byRoot[clusters.find(.record(i)), default: []].append(i) }
        let roots = byRoot.keys.sorted { byRoot[$0]!.first! < byRoot[$1]!.first! }
        var refOfRecord: [LeadRef?] = Array(repeating: nil, count: items.count)
        var latest: [Int64: Int64] = [:]
        let multi = roots.filter { clusters.storedLeads($0).count > 1 }
        if !multi.isEmpty { latest = try source.latestRecordIDs(leadIDs: multi.flatMap { clusters.storedLeads($0) }) }
        for root in roots {
            let members = byRoot[root]!
            plan.largestCluster = max(plan.largestCluster, members.count + clusters.storedLeads(root).count)
            let storedIDs = clusters.storedLeads(root).sorted()
            var lead: Lead
            let ref: LeadRef
            var ofStore = false
            if let survivor = storedIDs.first {
                lead = leadByID[survivor]!.lead
                ofStore = !leadByID[survivor]!.createdInThisRun
                for other in storedIDs.dropFirst() {
                    LeadMerger.merge(lead: leadByID[other]!.lead, into: &lead, otherIsNewer: (latest[other] ?? 0) > (latest[survivor] ?? 0))
                    let first = members.first!
                    let summary = clusters.bridges[root]?.last?.summary ?? ""
                    plan.merges.append(.init(
                        survivor: survivor, merged: other,
                        reason: "record \(records[first].provenance.record) of \(records[first].provenance.fileName) joins both: \(summary)"))
                }
                ref = .stored(survivor)
            } else {
                lead = items[members[0]].probe
                ref = .new(plan.newLeads.count)
            }
            for (n, i) in members.enumerated() {
                if case .new = ref, n == 0 {
                    // The first record is the lead.
                } else {
                    LeadMerger.merge(records[i], into: &lead)
                    accumulate(records[i], &lead)
                }
                refOfRecord[i] = ref
                let isFirstOfNew: Bool
                if case .new = ref { isFirstOfNew = n == 0 } else { isFirstOfNew = false }
                if isFirstOfNew {
                    plan.links.append(.init(record: i, lead: ref, kind: "new", explanation: "", comparison: nil, ofStore: false))
                } else {
                    let comparison = joinedBy[i]
                    plan.links.append(.init(
                        record: i, lead: ref, kind: "merged", explanation: comparison.map { "joins \(Self.describe(ref)): \($0.summary)" }
                            ?? "joins \(Self.describe(ref))",
                        comparison: comparison, ofStore: ofStore))
                }
            }
            // A lead of one new record is its probe: its keys are the record's.
            let keys = storedIDs.isEmpty && members.count == 1 ? items[members[0]].keys : matcher.keys(for: lead)
            switch ref {
            case .new: plan.newLeads.append(.init(lead: lead, keys: keys))
            case .stored(let id): plan.updatedLeads.append(.init(id: id, lead: lead, keys: keys))
            }
        }

        // Explanations of new leads and the review queue: each record's closest lead outside its cluster.
        var reviewed = Set<[LeadRef]>()
        var best: [Int: Edge] = [:]
        func consider(_ record: Int, _ edge: Edge) {
            if let current = best[record] {
                if (current.comparison.veto == nil) != (edge.comparison.veto == nil) {
                    if edge.comparison.veto != nil { return }
                } else if edge.comparison.totalWeight <= current.comparison.totalWeight {
                    return
                }
            }
            best[record] = edge
        }
        for edge in edges {
            guard clusters.find(.record(edge.a)) != clusters.find(edge.b) else { continue }
            consider(edge.a, edge)
            if case .record(let j) = edge.b { consider(j, edge) }
        }
        for (n, link) in plan.links.enumerated() {
            guard let edge = best[link.record] else {
                if link.kind == "new" { plan.links[n].explanation = "new lead: no lead shares a blocking key" }
                continue
            }
            let otherNode: Node
            if case .record(let j) = edge.b, j != link.record { otherNode = .record(j) } else if edge.a != link.record {
                otherNode = .record(edge.a)
            } else {
                otherNode = edge.b
            }
            let otherRef: LeadRef
            switch otherNode {
            case .record(let j): otherRef = refOfRecord[j]!
            case .lead(let id): otherRef = clusters.rootRef(id, refOfRecord: refOfRecord, byRoot: byRoot) ?? .stored(id)
            }
            let c = edge.comparison
            let doubt = Self.worthReview(c, reviewThreshold: matcher.reviewThreshold)
            if link.kind == "new" {
                plan.links[n].comparison = c
                plan.links[n].explanation = doubt
                    ? "new lead, review against \(Self.describe(otherRef)): \(c.summary)"
                    : "new lead: closest is \(Self.describe(otherRef)), \(c.summary)"
            }
            // A doubt is raised by the record that made its lead (a joined record's lead is decided).
            guard doubt, link.kind == "new", otherRef != link.lead else { continue }
            let pair = Self.order(otherRef, link.lead)
            guard reviewed.insert(pair).inserted else { continue }
            if case .stored(let a) = otherRef, case .stored(let b) = link.lead, rejected.contains(LeadPair(a, b)) {
                plan.reviewsAlreadyRejected += 1
                continue
            }
            plan.reviews.append(.init(lead: otherRef, other: link.lead, record: link.record, comparison: c))
        }
        lap("survivorship")
        plan.links.sort { $0.record < $1.record }
        return plan
    }

    /// Whether a person should decide a pair the matcher did not merge: it is likely enough by its
    /// weights, and what the two sides show lets a person tell. With no veto, the weights alone are in
    /// doubt. Names that conflict (or two profile URLs) are a cannot-link the matcher is sure of,
    /// unless an identifier (e-mail, own phone, profile, national id, date of birth) agrees all the
    /// same: a misspelt name on one person's mobile. A pair that shares only the name is a namesake
    /// as often as a job change: worth a look when two more facts agree (title, city, company...),
    /// not on the name alone. A review queue a team works through in a day is what keeps it useful.
    static func worthReview(_ c: Comparison, reviewThreshold: Double) -> Bool {
        guard c.probability >= reviewThreshold else { return false }
        guard let veto = c.veto else { return true }
        let identifiers: Set<String> = ["email", "phone", "social", "national-id", "birth-date"]
        if c.fields.contains(where: { identifiers.contains($0.field) && $0.level == "exact" }) { return true }
        if veto == "only the name agrees" {
            return c.fields.filter { $0.field != "name" && $0.weight > 0 }.count >= 2
        }
        return false
    }

    /// Kinds of keys that are one person's identifiers (a lead sharing one of them is always read).
    static let identifierKinds: Set<String> = ["email", "email-local", "phone", "social", "national-id", "birth-date", "postcode-number"]
    static let smallPhoneticBlock = 8
    static let selectiveKinds: Set<String> = ["name-company", "name-domain", "name-brand", "name-initials-brand", "name-swapped"]

    /// The comparator's veto for a pair that shares nothing but the name.
    static let nameOnlyVeto = "only the name agrees"

    /// How sure two stored leads must be of each other, as wholes, before a record merges them.
    static let sameLeadThreshold = 0.999

    static func describe(_ ref: LeadRef) -> String {
        switch ref {
        case .stored(let id): "lead \(id)"
        case .new(let n): "new lead #\(n + 1) of this chunk"
        }
    }

    static func order(_ a: LeadRef, _ b: LeadRef) -> [LeadRef] {
        func rank(_ r: LeadRef) -> (Int, Int64) {
            switch r {
            case .stored(let id): (0, id)
            case .new(let n): (1, Int64(n))
            }
        }
        return rank(a) < rank(b) ? [a, b] : [b, a]
    }

    static func keyOrder(_ a: MatchKey, _ b: MatchKey) -> Bool { a.kind != b.kind ? a.kind < b.kind : a.value < b.value }

    /// FNV-1a over the record's comparable content (not its position in the file).
    static func contentHash(_ record: LeadRecord) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ text: String?) {
            for byte in (text ?? "").utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        add(record.name.best)
        for email in record.emails { add(email.normalized ?? email.raw) }
        for phone in record.phones { add(phone.normalized ?? phone.raw) }
        add(record.company)
        add(record.title)
        add(record.location.city)
        add(record.location.countryCode)
        for profile in record.socialProfiles { add(profile) }
        for (key, value) in record.attributes.sorted(by: { $0.key < $1.key }) {
            add(key)
            add(value)
        }
        return hash
    }
}

struct PairKey: Hashable {
    var a: Int
    var b: BatchMatcher.Node
    init(_ a: Int, _ b: BatchMatcher.Node) {
        self.a = a
        self.b = b
    }
}

/// The union-find over records and stored leads, with each cluster's merged match profile.
struct Clusters {
    let items: [BatchMatcher.Item]
    let leads: [Int64: MatchProfile]
    var parent: [BatchMatcher.Node: BatchMatcher.Node] = [:]
    var members: [BatchMatcher.Node: [BatchMatcher.Node]] = [:]
    var profiles: [BatchMatcher.Node: MatchProfile] = [:]
    var bridges: [BatchMatcher.Node: [Comparison]] = [:]

    init(items: [BatchMatcher.Item], leads: [Int64: MatchProfile]) {
        self.items = items
        self.leads = leads
    }

    /// Canonical order of a pair (content, then ids): independent of file order.
    func order(_ a: Int, _ b: BatchMatcher.Node) -> (UInt64, UInt64, UInt64) {
        let x = items[a].content
        let y: UInt64
        switch b {
        case .record(let j): y = items[j].content
        case .lead(let id): y = UInt64(bitPattern: id)
        }
        var tag: UInt64 = 0
        if case .lead = b { tag = 1 }
        return (min(x, y), max(x, y), tag)
    }

    mutating func find(_ node: BatchMatcher.Node) -> BatchMatcher.Node {
        var root = node
        while let up = parent[root], up != root { root = up }
        var walk = node
        while let up = parent[walk], up != root {
            parent[walk] = root
            walk = up
        }
        return root
    }

    func membersOf(_ root: BatchMatcher.Node) -> [BatchMatcher.Node] { members[root] ?? [root] }

    func storedLeads(_ root: BatchMatcher.Node) -> [Int64] {
        membersOf(root).compactMap { if case .lead(let id) = $0 { id } else { nil } }
    }

    func singleProfile(_ node: BatchMatcher.Node) -> MatchProfile {
        switch node {
        case .record(let i): items[i].profile
        case .lead(let id): leads[id]!
        }
    }

    func profile(_ root: BatchMatcher.Node) -> MatchProfile { profiles[root] ?? singleProfile(root) }

    func vetoed(_ x: BatchMatcher.Node, _ y: BatchMatcher.Node, _ vetoes: [BatchMatcher.Node: Set<BatchMatcher.Node>]) -> Bool {
        let other = Set(membersOf(y))
        return membersOf(x).contains { node in vetoes[node].map { !$0.isDisjoint(with: other) } ?? false }
    }

    /// True when a member of `x` and a member of `y` conflict (names or profiles), or the clusters are
    /// too large to check pair by pair (then they are kept apart).
    func conflict(
        _ x: BatchMatcher.Node, _ y: BatchMatcher.Node, compared: Set<PairKey>, compare: (MatchProfile, MatchProfile) -> Comparison
    ) -> Bool {
        let left = membersOf(x), right = membersOf(y)
        guard left.count * right.count <= 400 else { return true }
        for a in left {
            for b in right {
                let key: PairKey?
                switch (a, b) {
                case (.record(let i), .record(let j)): key = PairKey(min(i, j), .record(max(i, j)))
                case (.record(let i), .lead): key = PairKey(i, b)
                case (.lead, .record(let j)): key = PairKey(j, a)
                case (.lead, .lead): key = nil
                }
                if let key, compared.contains(key) { continue }  // its veto, if any, is among the vetoes
                let veto = compare(singleProfile(a), singleProfile(b)).veto
                if let veto, veto != BatchMatcher.nameOnlyVeto { return true }
            }
        }
        return false
    }

    func rejected(_ x: BatchMatcher.Node, _ y: BatchMatcher.Node, _ pairs: Set<LeadPair>) -> Bool {
        guard !pairs.isEmpty else { return false }
        for a in storedLeads(x) { for b in storedLeads(y) where pairs.contains(LeadPair(a, b)) { return true } }
        return false
    }

    mutating func union(_ x: BatchMatcher.Node, _ y: BatchMatcher.Node) {
        // The root is the smaller node, so roots do not depend on the order of unions.
        let (root, child) = x < y ? (x, y) : (y, x)
        parent[child] = root
        parent[root] = root
        var all = membersOf(root) + membersOf(child)
        all.sort { content($0) != content($1) ? content($0) < content($1) : $0 < $1 }
        var merged = singleProfile(all[0])
        for node in all.dropFirst() { merged.absorb(singleProfile(node)) }
        members[root] = all
        members[child] = nil
        profiles[root] = merged
        profiles[child] = nil
        bridges[root, default: []] += bridges[child] ?? []
        bridges[child] = nil
    }

    func content(_ node: BatchMatcher.Node) -> UInt64 {
        switch node {
        case .record(let i): items[i].content
        case .lead(let id): UInt64(bitPattern: id)
        }
    }

    /// The lead ref a stored lead ended up in (through its cluster's records).
    func rootRef(
        _ id: Int64, refOfRecord: [ChunkPlan.LeadRef?], byRoot: [BatchMatcher.Node: [Int]]
    ) -> ChunkPlan.LeadRef? {
        var copy = self
        let root = copy.find(.lead(id))
        guard let first = byRoot[root]?.first else { return nil }
        return refOfRecord[first]
    }
}

extension BatchMatcher {
    /// Whether some two of these names cannot be one person's (``Comparator/nameLevel(_:_:)``:
    /// neither the same name, a typo, a nickname, an initial nor the two fields swapped).
    static func severalPeople(_ names: [MatchProfile.Name]) -> Bool {
        guard names.count >= 2 else { return false }
        let onePerson: Set<String> = ["exact", "fuzzy", "swapped", "initial"]
        for i in names.indices {
            for j in names.indices where j > i && !onePerson.contains(Comparator.nameLevel(names[i], names[j]).0) { return true }
        }
        return false
    }
}

/// Term frequencies of names for one chunk: the store's counts plus the chunk's bearers.
public struct NameFrequencies: Sendable {
    var counts: [MatchKey: Int]
    var total: Int

    init(items: [BatchMatcher.Item], source: any CandidateSource) throws {
        // Records sharing a personal e-mail, phone or profile are one bearer.
        var group = Array(items.indices)
        func find(_ i: Int) -> Int {
            var r = i
            while group[r] != r { r = group[r] }
            var w = i
            while group[w] != r {
                let next = group[w]
                group[w] = r
                w = next
            }
            return r
        }
        var owner: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            for id in item.profile.emails.map({ "e" + $0 }) + item.profile.phones.map({ "p" + $0 }) + item.profile.socials.map({ "s" + $0 }) {
                if let j = owner[id] {
                    let a = find(i), b = find(j)
                    if a != b { group[max(a, b)] = min(a, b) }
                } else {
                    owner[id] = i
                }
            }
        }
        var bearers: [MatchKey: Set<Int>] = [:]
        for (i, item) in items.enumerated() {
            let g = find(i)
            for key in item.keys where key.kind.hasPrefix("tf-") { bearers[key, default: []].insert(g) }
        }
        var groups = Set<Int>()
        for i in items.indices { groups.insert(find(i)) }
        let stored = try source.keyCounts(bearers.keys.sorted(by: BatchMatcher.keyOrder))
        counts = [:]
        for (key, set) in bearers { counts[key] = (stored[key] ?? 0) + set.count }
        total = try source.indexedLeadCount() + groups.count
    }

    /// The frequency facts of a profile's primary name.
    public func of(_ profile: MatchProfile) -> NameFrequency {
        guard let name = profile.primaryName, !name.family.isEmpty, total >= 200 else { return NameFrequency() }
        let family = counts[MatchKey("tf-family", name.family)] ?? 0
        var rarity: NameRarity?
        if !name.canonicalGiven.isEmpty {
            let full = counts[MatchKey("tf-name", name.canonicalGiven + "|" + name.family)] ?? 0
            let given = counts[MatchKey("tf-given", name.canonicalGiven)] ?? 0
            rarity = NameRarity(leads: full, expected: Double(family) * Double(given) / Double(total))
        }
        return NameFrequency(family: Double(family) / Double(total), rarity: rarity)
    }
}

/// How common a name is where it is compared (nil: not known, the store is too small).
public struct NameFrequency: Sendable {
    public var family: Double?
    public var rarity: NameRarity?
    public init(family: Double? = nil, rarity: NameRarity? = nil) {
        self.family = family
        self.rarity = rarity
    }
}

extension MatchProfile {
    /// Adds what `other` knows (another record or lead of the same cluster); single values keep the first.
    mutating func absorb(_ other: MatchProfile) {
        for name in other.names where !names.contains(name) { names.append(name) }
        emails.formUnion(other.emails)
        roleEmails.formUnion(other.roleEmails)
        freeMailDomains.formUnion(other.freeMailDomains)
        emailLocals.formUnion(other.emailLocals)
        phones.formUnion(other.phones)
        companyKeys.formUnion(other.companyKeys)
        companyTokens.formUnion(other.companyTokens)
        acronyms.formUnion(other.acronyms)
        domains.formUnion(other.domains)
        squashedCompanies.formUnion(other.squashedCompanies)
        domainLabels.formUnion(other.domainLabels)
        title = title ?? other.title
        city = city ?? other.city
        country = country ?? other.country
        socials.formUnion(other.socials)
        birthDates.formUnion(other.birthDates)
        nationalIDs.formUnion(other.nationalIDs)
        postcodes.formUnion(other.postcodes)
        streets.formUnion(other.streets)
    }
}
