/// Identity facts a list may carry beyond contact data (registries, event badges, health or public
/// sector lists, record-linkage benchmarks): date of birth, a national or member id, a postal
/// address. Importers keep them as record attributes (a mapping's `attribute person.birth-date`);
/// normalization writes their comparison keys to `derived` under the same names, and matching
/// compares them as graded fields.
///
/// A lead keeps every distinct key its records showed (up to ``maxValues``), separated by
/// ``separator``, so a record is compared with the lead as a whole.
public enum IdentityKeys {
    /// Attribute (and derived key) names.
    public static let birthDate = "person.birth-date"
    public static let nationalID = "person.national-id"
    public static let postcode = "address.postcode"
    public static let streetNumber = "address.street-number"
    public static let street = "address.street"
    /// Derived only: street number and street joined ("7 wallaby place").
    public static let streetAddress = "address.street-address"

    /// The derived keys that hold identity facts (multi-valued on a lead).
    public static let derivedKeys: [String] = [birthDate, nationalID, postcode, streetAddress]
    public static let separator: Character = "|"
    public static let maxValues = 8

    /// Comparison keys of a record's identity attributes, by derived key (only the known ones).
    public static func keys(attributes: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        if let value = attributes[birthDate], let key = birthDateKey(value) { result[birthDate] = key }
        if let value = attributes[nationalID], let key = idKey(value) { result[nationalID] = key }
        if let value = attributes[postcode], let key = idKey(value) { result[postcode] = key }
        let number = attributes[streetNumber].flatMap(idKey)?.lowercased()
        let street = attributes[street].map(StringSimilarity.fold).flatMap { $0.isEmpty ? nil : $0 }
        if let street {
            result[streetAddress] = number.map { $0 + " " + street } ?? street
        }
        return result
    }

    /// Date of birth as YYYYMMDD: from "1956-04-09", "1956/4/9", "19560409", "09.04.1956",
    /// "09/04/1956" (day first unless the first part cannot be a day). Other text: its digits when
    /// there are 6 or more (kept comparable), else nil.
    public static func birthDateKey(_ text: String) -> String? {
        let value = text.trimmingWhitespace()
        if value.isEmpty { return nil }
        let parts = value.split(whereSeparator: { !$0.isNumber }).map(String.init)
        func pad(_ s: String) -> String { s.count == 1 ? "0" + s : s }
        if parts.count == 3 {
            if parts[0].count == 4 { return parts[0] + pad(parts[1]) + pad(parts[2]) }
            if parts[2].count == 4, let first = Int(parts[0]), let second = Int(parts[1]) {
                let (day, month) = first > 12 || second <= 12 ? (parts[0], parts[1]) : (parts[1], parts[0])
                return parts[2] + pad(month) + pad(day)
            }
        }
        let digits = value.filter(\.isNumber)
        return digits.count >= 6 ? digits : nil
    }

    /// An id or postcode: upper-case letters and digits only ("AB-12 345" → "AB12345"); nil when empty.
    public static func idKey(_ text: String) -> String? {
        let key = text.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return key.isEmpty ? nil : key
    }

    /// The values of a multi-valued derived key.
    public static func values(_ stored: String?) -> [String] {
        guard let stored, !stored.isEmpty else { return [] }
        return stored.split(separator: separator).map(String.init)
    }

    /// `stored` with `value` added (distinct values, at most ``maxValues``).
    public static func adding(_ value: String, to stored: String?) -> String {
        var list = values(stored)
        for item in values(value) where !list.contains(item) && list.count < maxValues { list.append(item) }
        return list.joined(separator: String(separator))
    }
}
