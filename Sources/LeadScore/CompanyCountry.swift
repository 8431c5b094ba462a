public import LeadCore
import Foundation
import LeadNormalize

/// The country of a lead's company (its headquarters), with where the value came from.
///
/// Firmographics are about the company, not the person: a German company's US-based rep is at a
/// German company. The chain, first that answers:
/// 1. the list's own column (`Company Country`, `Company HQ`, `Headquarters Country`, ...), kept as a
///    company fact and rolled up to the account;
/// 2. the company domain's country-code TLD (`.de`, `.co.uk`), except codes sold as generic names
///    (`.io`, `.co`, `.ai`, `.me`, `.tv`, ...);
/// 3. the company's legal form, where the form exists in one country only (`GmbH & Co. KG`, `S.p.A.`,
///    `Sp. z o.o.`; not `GmbH` or `Ltd`, which several countries use);
/// 4. the person's country.
public struct CompanyCountry: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case column(String)
        case domain(String)
        case legalForm(String)
        case person
    }
    /// ISO 3166-1 alpha-2.
    public var code: String
    public var source: Source

    /// "DE (from the list's Company HQ column)".
    public var explanation: String {
        switch source {
        case .column(let name): "\(code) (from the list's \(name) column)"
        case .domain(let tld): "\(code) (from the domain's country code .\(tld))"
        case .legalForm(let form): "\(code) (from the legal form \(form))"
        case .person: "\(code) (the person's country; the company's is not known)"
        }
    }

    /// Country-code TLDs that are sold and used as generic names, so they say nothing about a country.
    static let vanityTLDs: Set<String> = [
        "io", "co", "ai", "me", "tv", "ly", "fm", "am", "gg", "cc", "to", "ws", "la", "sh", "ac", "so", "gl", "sc", "vc",
        "nu", "tk", "ml", "ga", "cf", "gq", "cx", "ms", "im", "re", "st", "pw", "bz", "cd", "ag", "vg", "lc", "mu",
    ]

    /// Legal forms that exist in one country only (folded tokens, dots dropped).
    static let legalForms: [([String], String, String)] = [
        (["gmbh", "co", "kg"], "DE", "GmbH & Co. KG"), (["gmbh", "co", "kgaa"], "DE", "GmbH & Co. KGaA"), (["ug"], "DE", "UG"),
        (["ohg"], "DE", "OHG"), (["ek"], "DE", "e.K."), (["sas"], "FR", "SAS"), (["sasu"], "FR", "SASU"),
        (["eurl"], "FR", "EURL"), (["spa"], "IT", "S.p.A."), (["sp", "z", "o", "o"], "PL", "Sp. z o.o."),
        (["sp", "z", "oo"], "PL", "Sp. z o.o."), (["spzoo"], "PL", "Sp. z o.o."), (["kft"], "HU", "Kft."),
        (["zrt"], "HU", "Zrt."), (["kk"], "JP", "K.K."), (["kabushiki", "kaisha"], "JP", "Kabushiki Kaisha"),
        (["pte", "ltd"], "SG", "Pte. Ltd."), (["sdn", "bhd"], "MY", "Sdn. Bhd."), (["sa", "de", "cv"], "MX", "S.A. de C.V."),
        (["eireli"], "BR", "EIRELI"), (["aps"], "DK", "ApS"), (["asa"], "NO", "ASA"), (["oyj"], "FI", "Oyj"),
        (["bvba"], "BE", "BVBA"), (["sprl"], "BE", "SPRL"),
    ]

    /// Resolves the chain for a lead and its (account-filled) company facts; nil when nothing says.
    public static func resolve(lead: Lead, facts: CompanyFacts) -> CompanyCountry? {
        if let code = facts.country { return CompanyCountry(code: code, source: .column(facts.countrySource ?? "company country")) }
        if let domain = lead.domain, let tld = domain.split(separator: ".").last.map(String.init), tld.count == 2,
           !vanityTLDs.contains(tld), let code = tld == "uk" ? "GB" : Countries.code(for: tld), code.count == 2
        {
            return CompanyCountry(code: code, source: .domain(tld))
        }
        if let company = lead.company, let (code, form) = legalFormCountry(company) {
            return CompanyCountry(code: code, source: .legalForm(form))
        }
        if let code = lead.location.countryCode { return CompanyCountry(code: code, source: .person) }
        return nil
    }

    /// The country a company name's legal form names, when it names one.
    static func legalFormCountry(_ company: String) -> (String, String)? {
        let tokens = StringSimilarity.fold(company.replacingOccurrences(of: ".", with: "")).split(separator: " ")
            .filter { $0 != "and" && $0 != "und" }.map(String.init)
        guard tokens.count > 1 else { return nil }
        for (form, code, name) in legalForms.sorted(by: { $0.0.count > $1.0.count }) where form.count < tokens.count {
            if Array(tokens.suffix(form.count)) == form { return (code, name) }
        }
        return nil
    }

    /// A country column's value ("Germany", "DE", "Berlin, Germany", "San Francisco, CA, United States") as a code.
    public static func code(fromColumnValue value: String) -> String? {
        if let code = Countries.code(for: value) { return code }
        for separator in [",", "/", "-", "|"] where value.contains(separator) {
            if let last = value.components(separatedBy: separator).last, let code = Countries.code(for: last) { return code }
        }
        return nil
    }
}
