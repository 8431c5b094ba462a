#ifndef CPHONENUMBER_H
#define CPHONENUMBER_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Result of parsing one phone number with libphonenumber. */
typedef struct {
    int status;          /* 0 parsed; 1 invalid country code; 2 not a number; 3 too short; 4 too long; 5 other error */
    int valid;           /* IsValidNumber */
    int type;            /* PhoneNumberUtil::PhoneNumberType */
    int country_code;    /* e.g. 44 */
    char e164[32];       /* "+442079460018" when parsed */
    char extension[16];  /* "7" for "ext. 7" */
    char region[4];      /* region of the number, e.g. "GB"; "ZZ" when unknown */
} cphone_result;

/* Parses `raw` with `default_region` (ISO 3166 alpha-2, or "ZZ" when unknown). Thread-safe. */
void cphone_parse(const char *raw, const char *default_region, cphone_result *out);

#ifdef __cplusplus
}
#endif
#endif
