import Foundation
import LeadCore
import LeadMatch
import LeadNormalize
import Testing

/// A record with identity attributes (as a mapping's `attribute person.birth-date` leaves them).
func identityRecord(
    given: String?, family: String?, birthDate: String? = nil, nationalID: String? = nil, postcode: String? = nil,
    number: String? = nil, street: String? = nil, record: Int = 1
) -> LeadRecord {
    var r = makeRecord(given: given, family: family, record: record)
    r.attributes[IdentityKeys.birthDate] = birthDate
    r.attributes[IdentityKeys.nationalID] = nationalID
    r.attributes[IdentityKeys.postcode] = postcode
    r.attributes[IdentityKeys.streetNumber] = number
    r.attributes[IdentityKeys.street] = street
    return r
}

@Suite("Identity facts")
struct IdentityKeyTests {
    @Test("dates of birth become YYYYMMDD", arguments: [
        ("19560409", "19560409"), ("1956-04-09", "19560409"), ("1956/4/9", "19560409"), ("09.04.1956", "19560409"),
        ("25/12/1980", "19801225"), ("12/25/1980", "19801225"), ("", nil), ("n/a", nil),
    ])
    func birthDates(text: String, expected: String?) {
        #expect(IdentityKeys.birthDateKey(text) == expected)
    }

    @Test func idsAndStreets() {
        #expect(IdentityKeys.idKey(" ab-12 345 ") == "AB12345")
        #expect(IdentityKeys.idKey(" - ") == nil)
        let keys = IdentityKeys.keys(attributes: [IdentityKeys.streetNumber: "7", IdentityKeys.street: "Wallaby  Place", IdentityKeys.postcode: "2119"])
        #expect(keys[IdentityKeys.streetAddress] == "7 wallaby place")
        #expect(keys[IdentityKeys.postcode] == "2119")
        #expect(keys[IdentityKeys.birthDate] == nil)
    }

    @Test("normalization writes the comparison keys; a national id alone is person data")
    func normalizer() {
        let (record, _) = Normalizer().normalize(identityRecord(given: "Ann", family: "Lee", birthDate: "1980-12-25", nationalID: "123 456 7"))
        #expect(record.derived[IdentityKeys.birthDate] == "19801225")
        #expect(record.derived[IdentityKeys.nationalID] == "1234567")
        #expect(identityRecord(given: nil, family: nil, nationalID: "1234567").hasPersonData)
        #expect(!identityRecord(given: nil, family: nil, birthDate: "19801225").hasPersonData)
    }

    @Test("a lead keeps every distinct identity value of its records")
    func survivorship() {
        let first = Normalizer().normalize(identityRecord(given: "Ann", family: "Lee", birthDate: "19801225", postcode: "2119")).0
        let second = Normalizer().normalize(identityRecord(given: "Ann", family: "Lee", birthDate: "19801252", postcode: "2119", record: 2)).0
        var lead = Lead(record: first)
        LeadMerger.merge(second, into: &lead)
        #expect(IdentityKeys.values(lead.derived[IdentityKeys.birthDate]) == ["19801225", "19801252"])
        #expect(IdentityKeys.values(lead.derived[IdentityKeys.postcode]) == ["2119"])
        #expect(MatchProfile(lead: lead).birthDates == ["19801225", "19801252"])
    }
}

@Suite("Identity comparisons")
struct IdentityComparisonTests {
    let comparator = Comparator(model: .builtIn)

    func level(_ a: LeadRecord, _ b: LeadRecord, _ field: String) -> String? {
        comparator.compare(MatchProfile(record: a), MatchProfile(record: b)).fields.first { $0.field == field }?.level
    }

    func pair(_ field: String, _ a: String, _ b: String) -> String? {
        func record(_ value: String) -> LeadRecord {
            switch field {
            case "birth-date": return identityRecord(given: "A", family: "B", birthDate: value)
            case "national-id": return identityRecord(given: "A", family: "B", nationalID: value)
            case "postcode": return identityRecord(given: "A", family: "B", postcode: value)
            default:
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                return parts[0].allSatisfy(\.isNumber)
                    ? identityRecord(given: "A", family: "B", number: parts[0], street: parts[1])
                    : identityRecord(given: "A", family: "B", street: value)
            }
        }
        return level(record(a), record(b), field)
    }

    @Test("graded levels", arguments: [
        ("birth-date", "19560409", "19560409", "exact"), ("birth-date", "19560409", "19560904", "close"),
        ("birth-date", "19560409", "19560419", "close"), ("birth-date", "19560409", "19650409", "close"),
        ("birth-date", "19560409", "19711130", "differ"),
        ("national-id", "1804974", "1804974", "exact"), ("national-id", "1804974", "1840974", "close"),
        ("national-id", "1804974", "180497", "close"), ("national-id", "1804974", "6089216", "differ"),
        ("postcode", "2119", "2119", "exact"), ("postcode", "2119", "2118", "close"), ("postcode", "2119", "3165", "differ"),
        ("street", "7 wallaby place", "7 wallaby place", "exact"), ("street", "7 wallaby place", "7 wallabyplace", "similar"),
        ("street", "7 wallaby place", "wallaby plcae", "similar"), ("street", "7 wallaby place", "9 wallaby place", "same-street"),
        ("street", "7 wallaby place", "7 hoseason street", "differ"),
    ])
    func levels(field: String, a: String, b: String, expected: String) {
        #expect(pair(field, a, b) == expected)
    }

    @Test("identity fields are compared only when both sides have them")
    func absent() {
        #expect(level(identityRecord(given: "A", family: "B", birthDate: "19560409"), identityRecord(given: "A", family: "B"), "birth-date") == nil)
    }

    @Test("a missing family name is not a conflict")
    func missingFamily() {
        #expect(level(makeRecord(given: "Isabelle", family: nil), makeRecord(given: "Isabelle", family: "Mason"), "name") == "initial")
    }

    @Test("weights: an exact national id or date of birth says much, a postcode less, a differing one counts against")
    func weights() {
        let model = MatchModel.builtIn
        #expect(model.weight("national-id", "exact") > model.weight("birth-date", "exact"))
        #expect(model.weight("birth-date", "exact") > model.weight("postcode", "exact"))
        #expect(model.weight("birth-date", "close") > 0 && model.weight("birth-date", "close") < model.weight("birth-date", "exact"))
        for field in ["birth-date", "national-id", "postcode", "street"] { #expect(model.weight(field, "differ") < -2) }
    }

    @Test("a model saved before the identity fields existed still weighs them")
    func completedModel() {
        var old = MatchModel.builtIn
        for field in ["birth-date", "national-id", "postcode", "street"] { old.fields[field] = nil }
        old.fields["email"]!["exact"]!.m = 0.5
        let matcher = ProbabilisticMatcher(model: old)
        #expect(matcher.model.weight("national-id", "exact") == MatchModel.builtIn.weight("national-id", "exact"))
        #expect(matcher.model.fields["email"]!["exact"]!.m == 0.5)  // trained values are kept
    }
}

@Suite("Matching on identity facts")
struct IdentityMatcherTests {
    let matcher = ProbabilisticMatcher()

    func decide(_ record: LeadRecord, against existing: [LeadRecord]) throws -> MatchDecision {
        let index = MemoryIndex()
        for (offset, other) in existing.enumerated() {
            let lead = Lead(record: Normalizer().normalize(other).0)
            index.add(lead, id: Int64(offset + 1), keys: matcher.keys(for: lead))
        }
        let normalized = Normalizer().normalize(record).0
        let candidates = try index.candidates(for: matcher.lookupKeys(for: Lead(record: normalized)))
        return try matcher.decide(normalized, candidates: candidates, index: index)
    }

    let original = identityRecord(
        given: "Mitchell", family: "Green", birthDate: "19560409", nationalID: "1804974", postcode: "2119", number: "7",
        street: "wallaby place")

    @Test("garbled and swapped names, same national id and date of birth: same person")
    func garbledNames() throws {
        let dup = identityRecord(given: "Grene", family: "Mitchel", birthDate: "19560409", nationalID: "1804974", postcode: "2119", record: 2)
        let decision = try decide(dup, against: [original])
        #expect(decision.outcome == .merge(into: 1))
    }

    @Test("a typo in the id and another in the date: still found (blocked by postcode and street number)")
    func typos() throws {
        let dup = identityRecord(
            given: "Mitchell", family: "Grene", birthDate: "19560490", nationalID: "1840974", postcode: "2119", number: "7",
            street: "walaby place", record: 2)
        #expect(matcher.keys(for: Lead(record: Normalizer().normalize(dup).0)).contains(MatchKey("postcode-number", "2119|7")))
        #expect(try decide(dup, against: [original]).outcome == .merge(into: 1))
    }

    @Test("same name, another date of birth, id and address: two people")
    func namesakes() throws {
        let other = identityRecord(
            given: "Mitchell", family: "Green", birthDate: "19810117", nationalID: "5392569", postcode: "4220", number: "12",
            street: "kent street", record: 2)
        #expect(try decide(other, against: [original]).outcome == .new)
    }

    @Test("half the name, a national id one typo away and the birthday: same person")
    func partialName() throws {
        let dup = identityRecord(given: "Madison", family: "Green", birthDate: "19560409", nationalID: "1804794", record: 2)
        #expect(try decide(dup, against: [original]).outcome == .merge(into: 1))
    }

    @Test("different names that share only a date of birth and a postcode: never merged (anti-chaining)")
    func sharedBirthDate() throws {
        let other = identityRecord(given: "Harley", family: "Mccarthy", birthDate: "19560409", postcode: "2119", record: 2)
        let decision = try decide(other, against: [original])
        #expect(decision.outcome != .merge(into: 1))
        #expect(decision.comparison?.veto == "names conflict")
    }
}
