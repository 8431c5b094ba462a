public import LeadCore
import Synchronization

/// A blocking key: records that share one are compared. `kind` says what it is made of ("email",
/// "phone", "name+company", ...), `value` is the normalized text.
public struct MatchKey: Hashable, Sendable, Codable {
    public var kind: String
    public var value: String
    public init(_ kind: String, _ value: String) {
        self.kind = kind
        self.value = value
    }
}

/// A lead a record may belong to, as the index returns it.
public struct Candidate: Sendable {
    public var id: Int64
    public var lead: Lead
    /// True when the lead was created by the current run (a duplicate within the batch).
    public var createdInThisRun: Bool
    /// The lead's match profile, computed at most once; an index that keeps candidates between
    /// lookups passes the same memo for the same (unchanged) lead.
    public let memo: ProfileMemo
    public init(id: Int64, lead: Lead, createdInThisRun: Bool, memo: ProfileMemo = ProfileMemo()) {
        self.id = id
        self.lead = lead
        self.createdInThisRun = createdInThisRun
        self.memo = memo
    }

    /// The lead's comparable facts (folded names, keys, domains...).
    public var profile: MatchProfile { memo.profile(for: lead) }
}

/// A lead's match profile, computed once however often the lead is a candidate: a common block's
/// leads are compared with every record of the block, and building their profiles (folding names,
/// parsing e-mails) was a tenth of matching.
public final class ProfileMemo: Sendable {
    private let stored = Mutex<MatchProfile?>(nil)
    public init() {}
    public func profile(for lead: Lead) -> MatchProfile {
        stored.withLock { stored in
            if let profile = stored { return profile }
            let profile = MatchProfile(lead: lead)
            stored = profile
            return profile
        }
    }
}

/// What the matcher decided for one record, with the reason a person can read.
public struct MatchDecision: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// A new lead.
        case new
        /// Same person as an existing lead: merge into it.
        case merge(into: Int64)
        /// Perhaps the same person: a new lead is created and the pair goes to the review queue.
        case review(with: Int64)
    }
    public var outcome: Outcome
    /// "same e-mail key j***@example.com as lead 42": no full e-mail or phone.
    public var explanation: String
    /// Match weight or probability when the matcher has one.
    public var score: Double?
    /// The field-by-field comparison with the chosen (or best) candidate.
    public var comparison: Comparison?
    /// With `.merge`: other leads this record shows to be the same person as the chosen one (the
    /// record joins each of them as surely, and each agrees with the chosen lead plus the record as a
    /// whole). The pipeline merges them; the oldest id survives.
    public var sameAs: [(id: Int64, comparison: Comparison)] = []

    public init(outcome: Outcome, explanation: String, score: Double? = nil, comparison: Comparison? = nil) {
        self.outcome = outcome
        self.explanation = explanation
        self.score = score
        self.comparison = comparison
    }
}

/// The candidate leads the matcher may compare a record with: the store, plus what this run added.
///
/// Implementations see their own writes: a lead created earlier in the same run is a candidate for
/// the records after it, so duplicates within a batch are found the same way as duplicates of the store.
public protocol LeadIndex {
    /// Leads that share at least one key with the given keys, each once.
    func candidates(for keys: [MatchKey]) throws -> [Candidate]
    /// Number of leads indexed under `key` (term frequencies).
    func keyCount(_ key: MatchKey) throws -> Int
    /// Number of leads in the index.
    func indexedLeadCount() throws -> Int
    /// True when a person rejected merging these two leads in the review queue.
    func isRejectedPair(_ a: Int64, _ b: Int64) throws -> Bool
}

/// The matching stage's seam.
///
/// A matcher names the blocking keys of a record and decides, among the candidates that share one,
/// whether the record is a new lead or the same person as a candidate. It must not assume that keys
/// are exact identities: the decision sees whole candidate leads.
public protocol Matcher: Sendable {
    var id: String { get }
    /// Names the set of kinds of keys `keys(for:)` makes: a store indexed under another version is
    /// re-indexed before a run (default: the matcher's id).
    var keyVersion: String { get }
    /// The keys under which a lead is indexed.
    func keys(for lead: Lead) -> [MatchKey]
    /// The keys under which candidates are looked up (default: every key not starting with "tf-",
    /// which are term-frequency counters, not blocks).
    func lookupKeys(for lead: Lead) -> [MatchKey]
    /// Decide for one (normalized) record among the candidates.
    func decide(_ record: LeadRecord, candidates: [Candidate], index: any LeadIndex) throws -> MatchDecision
    /// Compares two sides (a record or cluster `a`, whose name's frequency is given, and `b`): the
    /// set-based engine's pair score (default: the Fellegi-Sunter comparator with built-in priors).
    func compare(_ a: MatchProfile, _ b: MatchProfile, frequency: NameFrequency) -> Comparison
    /// Probability at or above which a pair is the same person.
    var mergeThreshold: Double { get }
    /// Probability at or above which (below the merge threshold) a pair goes to review.
    var reviewThreshold: Double { get }
}

extension Matcher {
    public var keyVersion: String { id }
    public func lookupKeys(for lead: Lead) -> [MatchKey] { keys(for: lead).filter { !$0.kind.hasPrefix("tf-") } }
    public func compare(_ a: MatchProfile, _ b: MatchProfile, frequency: NameFrequency) -> Comparison {
        Comparator(model: .builtIn).compare(a, b, familyFrequency: frequency.family, nameRarity: frequency.rarity)
    }
    public var mergeThreshold: Double { MatchModel.builtIn.mergeThreshold }
    public var reviewThreshold: Double { MatchModel.builtIn.reviewThreshold }
}

/// The foundation matcher: the same normalized (trimmed, lower-cased) e-mail means the same lead.
public struct ExactEmailMatcher: Matcher {
    public let id = "exact-email"
    public init() {}

    public func keys(for lead: Lead) -> [MatchKey] {
        var seen = Set<String>()
        var keys: [MatchKey] = []
        for email in lead.emails {
            guard let key = email.normalized, seen.insert(key).inserted else { continue }
            keys.append(MatchKey("email", key))
        }
        return keys
    }

    public func decide(_ record: LeadRecord, candidates: [Candidate], index: any LeadIndex) -> MatchDecision {
        let recordKeys = Set(record.emails.compactMap(\.normalized))
        for candidate in candidates.sorted(by: { $0.id < $1.id }) {
            if let shared = candidate.lead.emails.compactMap(\.normalized).first(where: recordKeys.contains) {
                return MatchDecision(
                    outcome: .merge(into: candidate.id),
                    explanation: "same e-mail \(Redact.email(shared)) as lead \(candidate.id)", score: 1)
            }
        }
        return MatchDecision(outcome: .new, explanation: candidates.isEmpty ? "no candidate" : "no shared e-mail")
    }

    /// Sure when the two sides share a normalized e-mail, else no evidence.
    public func compare(_ a: MatchProfile, _ b: MatchProfile, frequency: NameFrequency) -> Comparison {
        let same = !a.emails.union(a.roleEmails).isDisjoint(with: b.emails.union(b.roleEmails))
        let field = FieldComparison(field: "email", level: same ? "exact" : "differ", weight: same ? 30 : -30, detail: "")
        return Comparison(fields: [field], priorWeight: 0, totalWeight: field.weight, probability: same ? 1 : 0, veto: nil)
    }
}
