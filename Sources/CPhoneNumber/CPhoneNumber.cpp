// extern "C" face of Google's libphonenumber: Swift's C++ interop crashes on its protobuf headers
// (c-libraries.md §2), so Swift sees only this plain C API.
#include "CPhoneNumber.h"
#include <phonenumbers/phonenumberutil.h>
#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static void copy(char *dest, size_t size, const std::string &src) {
    std::strncpy(dest, src.c_str(), size - 1);
    dest[size - 1] = '\0';
}

extern "C" void cphone_parse(const char *raw, const char *default_region, cphone_result *out) {
    std::memset(out, 0, sizeof(*out));
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    PhoneNumberUtil::ErrorType error = util->Parse(raw, default_region, &number);
    switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR: out->status = 0; break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: out->status = 1; return;
    case PhoneNumberUtil::NOT_A_NUMBER: out->status = 2; return;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN: out->status = 3; return;
    case PhoneNumberUtil::TOO_LONG_NSN: out->status = 4; return;
    default: out->status = 5; return;
    }
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    copy(out->e164, sizeof(out->e164), formatted);
    if (number.has_extension()) copy(out->extension, sizeof(out->extension), number.extension());
    out->valid = util->IsValidNumber(number) ? 1 : 0;
    out->type = static_cast<int>(util->GetNumberType(number));
    out->country_code = number.country_code();
    std::string region;
    util->GetRegionCodeForNumber(number, &region);
    copy(out->region, sizeof(out->region), region.empty() ? std::string("ZZ") : region);
}
