import Foundation
import LeadCore

/// Industry labels from real exports mapped onto one published taxonomy: **LinkedIn Industry Codes
/// V2** (the 2022 hierarchy aligned with NAICS; ids and parents from LinkedIn's reference table,
/// https://learn.microsoft.com/en-us/linkedin/shared/references/reference-tables/industry-codes-v2).
///
/// Profiles name an industry by the lowercase hyphenated slug of its V2 name
/// (`software-development`, `it-services-and-it-consulting`) or by one of the short ``aliases``
/// (`software`, `marketing-services`, ...). A profile's industry matches a lead whose industry is that
/// industry or one of its descendants, so `technology-information-and-internet` covers software.
///
/// The label table says where each label family comes from:
/// - every V2 name (LinkedIn company pages, Sales Navigator and Apollo exports since 2022);
/// - LinkedIn's V1 names (`Computer Software`, `Information Technology and Services`, `Marketing and
///   Advertising`), which Apollo writes in lower case and HubSpot as enum names (`COMPUTER_SOFTWARE`);
/// - ZoomInfo's and other sales tools' labels, often hierarchical (`Software > CRM Software`): the
///   most specific part that is known wins;
/// - NAICS 2022 titles and codes (`Software Publishers`, `541511`, a sector code `52`);
/// - common shorthand (`SaaS`, `B2B Software`, `Fintech`, `Ad Agency`).
/// A label that none of these name is unknown: the scorer treats its industry as unknown (not as a
/// non-match) and the import reports the label once per file.
///
/// Hand-written: no library maps these vendor labels; the data is the table below.
public enum Industries {
    public struct Industry: Sendable, Hashable {
        /// LinkedIn Industry Codes V2 id.
        public var id: Int
        public var name: String
        public var parent: Int?
        /// Lowercase hyphenated name: "Software Development" → "software-development".
        public var slug: String { Industries.slug(name) }
    }

    /// The part of LinkedIn Industry Codes V2 that lead lists use: all 20 top-level sectors and the
    /// industries below them that B2B exports name. (id, English name, parent id)
    static let taxonomy: [(Int, String, Int?)] = [
        (2190, "Accommodation Services", nil), (34, "Food and Beverage Services", 2190), (32, "Restaurants", 34),
        (31, "Hospitality", 2190),
        (1912, "Administrative and Support Services", nil), (110, "Events Services", 1912),
        (104, "Staffing and Recruiting", 1912), (121, "Security and Investigations", 1912),
        (108, "Translation and Localization", 1912), (30, "Travel Arrangements", 1912), (1931, "Telephone Call Centers", 1912),
        (103, "Writing and Editing", 1912),
        (48, "Construction", nil), (51, "Civil Engineering", 48),
        (91, "Consumer Services", nil), (90, "Civic and Social Organizations", 91), (100, "Non-profit Organizations", 91),
        (89, "Religious Institutions", 91),
        (1999, "Education", nil), (132, "E-Learning Providers", 1999), (68, "Higher Education", 1999),
        (67, "Primary and Secondary Education", 1999), (105, "Professional Training and Coaching", 1999),
        (28, "Entertainment Providers", nil), (40, "Recreational Facilities", 28),
        (201, "Farming, Ranching, Forestry", nil), (63, "Farming", 201),
        (43, "Financial Services", nil), (129, "Capital Markets", 43), (45, "Investment Banking", 129),
        (46, "Investment Management", 129), (106, "Venture Capital and Private Equity Principals", 129),
        (1673, "Credit Intermediation", 43), (41, "Banking", 1673), (42, "Insurance", 43), (1725, "Insurance Carriers", 42),
        (1737, "Insurance Agencies and Brokerages", 42),
        (75, "Government Administration", nil), (1905, "Holding Companies", nil),
        (14, "Hospitals and Health Care", nil), (2081, "Hospitals", 14), (13, "Medical Practices", 14),
        (25, "Manufacturing", nil), (24, "Computers and Electronics Manufacturing", 25),
        (3, "Computer Hardware Manufacturing", 24), (7, "Semiconductor Manufacturing", 24),
        (112, "Appliances, Electrical, and Electronics Manufacturing", 25), (54, "Chemical Manufacturing", 25),
        (15, "Pharmaceutical Manufacturing", 54), (23, "Food and Beverage Manufacturing", 25),
        (55, "Machinery Manufacturing", 25), (135, "Industrial Machinery Manufacturing", 55),
        (17, "Medical Equipment Manufacturing", 25), (1029, "Transportation Equipment Manufacturing", 25),
        (53, "Motor Vehicle Manufacturing", 1029), (52, "Aviation and Aerospace Component Manufacturing", 1029),
        (60, "Textile Manufacturing", 25), (598, "Apparel Manufacturing", 25), (83, "Printing Services", 25),
        (332, "Oil, Gas, and Mining", nil), (56, "Mining", 332), (57, "Oil and Gas", 332),
        (1810, "Professional Services", nil), (47, "Accounting", 1810), (80, "Advertising Services", 1810),
        (98, "Public Relations and Communications Services", 80), (97, "Market Research", 80),
        (148, "Government Relations Services", 80),
        (50, "Architecture and Planning", 1810), (11, "Business Consulting and Services", 1810),
        (1862, "Marketing Services", 11), (137, "Human Resources Services", 11), (102, "Strategic Management Services", 11),
        (123, "Outsourcing and Offshoring Consulting", 11), (2401, "Operations Consulting", 11),
        (99, "Design Services", 1810), (140, "Graphic Design", 99), (3242, "Engineering Services", 1810),
        (96, "IT Services and IT Consulting", 1810), (118, "Computer and Network Security", 96),
        (3102, "IT System Custom Software Development", 96), (1855, "IT System Design Services", 96),
        (10, "Legal Services", 1810), (9, "Law Practice", 10), (70, "Research Services", 1810),
        (12, "Biotechnology Research", 70), (3243, "Services for Renewable Energy", 1810),
        (1757, "Real Estate and Equipment Rental Services", nil), (44, "Real Estate", 1757),
        (27, "Retail", nil), (1445, "Online and Mail Order Retail", 27), (19, "Retail Apparel and Fashion", 27),
        (1594, "Technology, Information and Media", nil), (3133, "Media and Telecommunications", 1594),
        (82, "Book and Periodical Publishing", 3133), (36, "Broadcast Media Production and Distribution", 3133),
        (35, "Movies, Videos, and Sound", 3133), (8, "Telecommunications", 3133), (119, "Wireless Services", 8),
        (6, "Technology, Information and Internet", 1594), (2458, "Data Infrastructure and Analytics", 6),
        (3128, "Business Intelligence Platforms", 2458), (84, "Information Services", 6), (3132, "Internet Publishing", 84),
        (113, "Online Audio and Video Media", 3132), (1285, "Internet Marketplace Platforms", 6),
        (3127, "Social Networking Platforms", 6), (4, "Software Development", 6), (109, "Computer Games", 4),
        (3131, "Mobile Gaming Apps", 109), (5, "Computer Networking Products", 4), (3130, "Data Security Software Products", 4),
        (3101, "Desktop Computing Software Products", 4), (3099, "Embedded Software Products", 4),
        (3100, "Mobile Computing Software Products", 4),
        (116, "Transportation, Logistics, Supply Chain and Storage", nil), (94, "Airlines and Aviation", 116),
        (87, "Freight and Package Transportation", 116), (92, "Truck Transportation", 116),
        (95, "Maritime Transportation", 116), (93, "Warehousing and Storage", 116),
        (59, "Utilities", nil), (383, "Electric Power Generation", 59),
        (133, "Wholesale", nil), (134, "Wholesale Import and Export", 133),
    ]

    /// Short names a profile may use, each standing for one V2 industry or a few (with their descendants).
    public static let aliases: [String: [Int]] = [
        "software": [4, 2458],  // software development and publishing, SaaS, data and BI platforms
        "saas": [4, 2458],
        "internet": [6],
        "marketing-services": [1862, 80],  // marketing, advertising and PR agencies
        "advertising": [80],
        "it-services": [96],
        "financial-services": [43],
        "banking": [41],
        "insurance": [42],
        "manufacturing": [25],
        "higher-education": [68],
        "education": [1999],
        "healthcare": [14],
        "consulting": [11],
        "telecommunications": [8],
        "media": [3133],
        "retail": [27],
        "real-estate": [44],
    ]

    /// Labels that are not a V2 name, folded (see ``key(_:)``), with the V2 id they mean.
    static let labels: [String: Int] = {
        var table: [String: Int] = [:]
        // LinkedIn V1 names (also Apollo in lower case, HubSpot as COMPUTER_SOFTWARE-style enums).
        let v1: [(String, Int)] = [
            ("Computer Software", 4), ("Internet", 6), ("Information Technology and Services", 96),
            ("Information Technology & Services", 96), ("Marketing and Advertising", 80), ("Marketing & Advertising", 80),
            ("Public Relations and Communications", 98), ("Market Research", 97), ("Financial Services", 43),
            ("Management Consulting", 11), ("Computer & Network Security", 118), ("Computer Networking", 5),
            ("Computer Hardware", 3), ("Computer Games", 109), ("Semiconductors", 7), ("Telecommunications", 8),
            ("Wireless", 119), ("Online Media", 113), ("Publishing", 82), ("Broadcast Media", 36), ("Media Production", 35),
            ("Entertainment", 28), ("E-Learning", 132), ("Education Management", 1999), ("Higher Education", 68),
            ("Primary/Secondary Education", 67), ("Professional Training & Coaching", 105), ("Hospital & Health Care", 14),
            ("Medical Practice", 13), ("Medical Devices", 17), ("Pharmaceuticals", 15), ("Biotechnology", 12),
            ("Banking", 41), ("Insurance", 42), ("Investment Banking", 45), ("Investment Management", 46),
            ("Venture Capital & Private Equity", 106), ("Capital Markets", 129), ("Accounting", 47), ("Legal Services", 10),
            ("Law Practice", 9), ("Human Resources", 137), ("Staffing and Recruiting", 104), ("Events Services", 110),
            ("Outsourcing/Offshoring", 123), ("Design", 99), ("Graphic Design", 140), ("Research", 70),
            ("Mechanical or Industrial Engineering", 3242), ("Industrial Automation", 135), ("Machinery", 55),
            ("Electrical/Electronic Manufacturing", 112), ("Chemicals", 54), ("Food Production", 23),
            ("Food & Beverages", 34), ("Consumer Goods", 25), ("Consumer Electronics", 24), ("Automotive", 53),
            ("Aviation & Aerospace", 52), ("Airlines/Aviation", 94), ("Textiles", 60), ("Apparel & Fashion", 19),
            ("Printing", 83), ("Construction", 48), ("Civil Engineering", 51), ("Architecture & Planning", 50),
            ("Real Estate", 44), ("Commercial Real Estate", 44), ("Retail", 27), ("Wholesale", 133),
            ("Import and Export", 134), ("Logistics and Supply Chain", 116), ("Transportation/Trucking/Railroad", 92),
            ("Warehousing", 93), ("Maritime", 95), ("Oil & Energy", 57), ("Mining & Metals", 56), ("Utilities", 59),
            ("Renewables & Environment", 3243), ("Government Administration", 75),
            ("Non-Profit Organization Management", 100), ("Nonprofit Organization Management", 100),
            ("Civic & Social Organization", 90), ("Religious Institutions", 89), ("Hospitality", 31), ("Restaurants", 32),
            ("Leisure, Travel & Tourism", 30), ("Recreational Facilities and Services", 40), ("Consumer Services", 91),
            ("Security and Investigations", 121), ("Translation and Localization", 108), ("Writing and Editing", 103),
            ("Information Services", 84), ("Farming", 63), ("Program Development", 96),
        ]
        // ZoomInfo and other sales tools (their top-level and common sub-industries).
        let salesTools: [(String, Int)] = [
            ("Software", 4), ("Software Development & Design", 4), ("Enterprise Software", 4), ("Business Software", 4),
            ("Application Software", 4), ("Systems Software", 4), ("Internet Software & Services", 4),
            ("Internet Software and Services", 4), ("Software & Services", 4), ("Software as a Service", 4), ("SaaS", 4),
            ("B2B Software", 4), ("Cloud Software", 4), ("Information Technology", 96), ("IT Services", 96), ("IT", 96),
            ("IT Consulting", 96), ("Cybersecurity", 118), ("Cyber Security", 118), ("Data & Analytics", 2458),
            ("Big Data", 2458), ("Business Intelligence", 3128), ("Media & Internet", 1594), ("Internet Services", 6),
            ("Technology", 6), ("Tech", 6), ("Computers & Electronics", 24), ("Telecommunication", 8), ("Telecom", 8),
            ("Business Services", 11), ("Consulting", 11), ("Advertising & Marketing", 80), ("Advertising", 80),
            ("Marketing", 1862), ("Digital Marketing", 1862), ("Marketing Agency", 1862), ("Marketing Services", 1862),
            ("Advertising Agency", 80), ("Ad Agency", 80), ("Public Relations", 98), ("PR", 98), ("PR Agency", 98),
            ("Finance", 43), ("Fintech", 43), ("Financial", 43), ("Banks", 41), ("Insurance Services", 42),
            ("Education", 1999), ("Colleges & Universities", 68), ("University", 68), ("Universities", 68),
            ("Healthcare", 14), ("Health Care", 14), ("Hospitals & Physicians Clinics", 14), ("Medical", 14),
            ("Manufacturing", 25), ("Industrial Manufacturing", 25), ("Media", 3133), ("E-commerce", 1445),
            ("Ecommerce", 1445), ("Retail & E-commerce", 27), ("Real Estate & Construction", 1757),
            ("Transportation", 116), ("Logistics", 116), ("Energy, Utilities & Waste", 59), ("Energy", 59),
            ("Government", 75), ("Non-Profit", 100), ("Nonprofit", 100), ("Organizations", 91), ("Hospitality", 31),
            ("Biotech", 12), ("Pharma", 15), ("Legal", 10), ("Human Resources & Staffing", 104), ("Recruiting", 104),
            ("Agriculture", 201), ("Holding Companies & Conglomerates", 1905),
        ]
        // NAICS 2022 titles (sectors and the industries B2B lists name).
        let naics: [(String, Int)] = [
            ("Software Publishers", 4), ("Custom Computer Programming Services", 3102), ("Computer Systems Design Services", 1855),
            ("Computer Systems Design and Related Services", 96), ("Other Computer Related Services", 96),
            ("Data Processing, Hosting, and Related Services", 2458), ("Computing Infrastructure Providers, Data Processing, Web Hosting, and Related Services", 2458),
            ("Web Search Portals, Libraries, Archives, and Other Information Services", 84),
            ("Internet Publishing and Broadcasting and Web Search Portals", 3132), ("Advertising Agencies", 80),
            ("Advertising, Public Relations, and Related Services", 80), ("Public Relations Agencies", 98),
            ("Marketing Consulting Services", 1862), ("Marketing Research and Public Opinion Polling", 97),
            ("Management Consulting Services", 11), ("Colleges, Universities, and Professional Schools", 68),
            ("Commercial Banking", 41), ("Direct Life Insurance Carriers", 1725), ("Insurance Agencies and Brokerages", 1737),
            ("Manufacturing", 25), ("Information", 1594), ("Finance and Insurance", 43),
            ("Professional, Scientific, and Technical Services", 1810), ("Educational Services", 1999),
            ("Health Care and Social Assistance", 14), ("Retail Trade", 27), ("Wholesale Trade", 133), ("Construction", 48),
            ("Accommodation and Food Services", 2190), ("Transportation and Warehousing", 116), ("Utilities", 59),
            ("Mining, Quarrying, and Oil and Gas Extraction", 332), ("Agriculture, Forestry, Fishing and Hunting", 201),
            ("Real Estate and Rental and Leasing", 1757), ("Public Administration", 75),
            ("Arts, Entertainment, and Recreation", 28), ("Management of Companies and Enterprises", 1905),
            ("Administrative and Support and Waste Management and Remediation Services", 1912),
            ("Other Services (except Public Administration)", 91), ("Telecommunications", 8),
        ]
        for (label, id) in v1 + salesTools + naics { table[key(label)] = id }
        return table
    }()

    /// NAICS 2022 codes: the industries lists name, then the two-digit sectors.
    static let naicsCodes: [String: Int] = [
        "513210": 4, "511210": 4, "541511": 3102, "541512": 1855, "541519": 96, "518210": 2458, "519290": 84,
        "541810": 80, "541820": 98, "541613": 1862, "541910": 97, "541611": 11, "611310": 68, "522110": 41,
        "524113": 1725, "524210": 1737,
    ]
    static let naicsSectors: [String: Int] = [
        "11": 201, "21": 332, "22": 59, "23": 48, "31": 25, "32": 25, "33": 25, "42": 133, "44": 27, "45": 27, "48": 116,
        "49": 116, "51": 1594, "52": 43, "53": 1757, "54": 1810, "55": 1905, "56": 1912, "61": 1999, "62": 14, "71": 28,
        "72": 2190, "81": 91, "92": 75,
    ]

    public static let byID: [Int: Industry] = Dictionary(uniqueKeysWithValues: taxonomy.map { ($0.0, Industry(id: $0.0, name: $0.1, parent: $0.2)) })
    static let byKey: [String: Int] = {
        var table = labels
        for (id, name, _) in taxonomy { table[key(name)] = id }
        return table
    }()
    public static let bySlug: [String: Int] = Dictionary(uniqueKeysWithValues: taxonomy.map { (slug($0.1), $0.0) })

    /// "Software Development" → "software-development"; "Oil, Gas, and Mining" → "oil-gas-and-mining".
    public static func slug(_ name: String) -> String {
        StringSimilarity.fold(name.replacingOccurrences(of: "&", with: " and ")).split(separator: " ").joined(separator: "-")
    }

    /// A label's lookup key: folded, "&" as "and", "_" and "/" as spaces ("COMPUTER_SOFTWARE" → "computer software").
    static func key(_ label: String) -> String {
        let spaced = label.replacingOccurrences(of: "&", with: " and ").replacingOccurrences(of: "_", with: " ")
        return StringSimilarity.fold(spaced)
    }

    /// The V2 industry a label means; nil when no table names it.
    public static func canonical(_ label: String) -> Industry? {
        let trimmed = label.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let id = byKey[key(trimmed)] { return byID[id] }
        // A NAICS code ("541511", "5415", "52").
        if trimmed.allSatisfy(\.isNumber), (2...6).contains(trimmed.count) {
            if let id = naicsCodes[trimmed] ?? naicsSectors[String(trimmed.prefix(2))] { return byID[id] }
            return nil
        }
        // Hierarchical labels ("Software > CRM Software", "Finance - Banking", "Software / SaaS"): the most
        // specific known part wins.
        for separator in [">", " - ", "/", "|", ";", ","] where trimmed.contains(separator) {
            let parts = trimmed.components(separatedBy: separator).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if parts.count > 1 {
                for part in parts.reversed() { if let industry = canonical(part) { return industry } }
            }
        }
        // A label whose head noun names the industry ("CRM Software", "Healthcare Software", "Contract
        // Manufacturing"): English compounds put the kind last.
        let words = key(trimmed).split(separator: " ")
        if words.count > 1, let last = words.last {
            switch last {
            case "software", "saas": return byID[4]
            case "manufacturing", "manufacturer", "manufacturers": return byID[25]
            case "consulting", "consultancy": return byID[11]
            case "bank", "banking": return byID[41]
            case "insurance": return byID[42]
            default: break
            }
        }
        return nil
    }

    /// The V2 ids a profile value names (a slug or an alias); nil when it names none.
    public static func ids(forProfileValue value: String) -> [Int]? {
        let slugged = slug(value)
        if let ids = aliases[slugged] { return ids }
        if let id = bySlug[slugged] { return [id] }
        return nil
    }

    /// True when `industry` is `ancestor` or below it.
    public static func isWithin(_ industry: Int, _ ancestor: Int) -> Bool {
        var current: Int? = industry
        while let id = current {
            if id == ancestor { return true }
            current = byID[id]?.parent
        }
        return false
    }

    /// Every slug and alias a profile may name, for error messages.
    public static var profileValues: [String] { (Array(aliases.keys) + Array(bySlug.keys)).sorted() }
}
