// Swift face of libphonenumber (through the C++ target CPhoneNumber). No Foundation here.
internal import CPhoneNumber

/// The kind of line a number belongs to, as libphonenumber's metadata says.
public enum PhoneLineType: Int, Sendable, Hashable {
    case fixedLine = 0, mobile, fixedLineOrMobile, tollFree, premiumRate, sharedCost, voip, personalNumber, pager, uan,
        voicemail, unknown
}

/// A number libphonenumber could parse.
public struct ParsedPhone: Sendable, Hashable {
    /// E.164: "+442079460018".
    public var e164: String
    public var `extension`: String?
    /// ISO 3166 alpha-2 region of the number ("GB"), or "ZZ".
    public var region: String
    public var countryCode: Int
    /// Whether the number is valid for its region (length and prefix ranges).
    public var isValid: Bool
    public var lineType: PhoneLineType
}

/// Why a text could not be parsed as a phone number.
public enum PhoneParseFailure: Error, Sendable, Hashable {
    /// A national number with no region to interpret it in.
    case invalidCountryCode
    case notANumber
    case tooShort
    case tooLong
    case other
}

public enum PhoneNumbers {
    /// Parses `text`; `region` (ISO alpha-2, or "ZZ") interprets national numbers.
    public static func parse(_ text: String, region: String) -> Result<ParsedPhone, PhoneParseFailure> {
        var result = cphone_result()
        text.withCString { raw in region.withCString { cphone_parse(raw, $0, &result) } }
        switch result.status {
        case 0: break
        case 1: return .failure(.invalidCountryCode)
        case 2: return .failure(.notANumber)
        case 3: return .failure(.tooShort)
        case 4: return .failure(.tooLong)
        default: return .failure(.other)
        }
        func string<T>(_ tuple: T) -> String {
            withUnsafeBytes(of: tuple) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let ext = string(result.extension)
        return .success(ParsedPhone(
            e164: string(result.e164), extension: ext.isEmpty ? nil : ext, region: string(result.region),
            countryCode: Int(result.country_code), isValid: result.valid != 0,
            lineType: PhoneLineType(rawValue: Int(result.type)) ?? .unknown))
    }
}
