#ifndef CICU_SHIM_H
#define CICU_SHIM_H
#include <string.h>
#include <unicode/uspoof.h>
#include <unicode/uidna.h>
#include <unicode/unorm2.h>
#include <unicode/uversion.h>
#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>

/* ICU renames every entry point with its version (uspoof_open_72): Swift does not import those
   macros, so these inline wrappers give version-independent names (c-libraries.md §3). */
static inline USpoofChecker *cicu_spoof_open(UErrorCode *status) { return uspoof_open(status); }
static inline void cicu_spoof_close(USpoofChecker *sc) { uspoof_close(sc); }
static inline void cicu_spoof_set_checks(USpoofChecker *sc, int32_t checks, UErrorCode *status) { uspoof_setChecks(sc, checks, status); }
static inline int32_t cicu_spoof_check_utf8(const USpoofChecker *sc, const char *text, int32_t length, UErrorCode *status) {
    return uspoof_checkUTF8(sc, text, length, NULL, status);
}
static inline int32_t cicu_spoof_skeleton_utf8(const USpoofChecker *sc, const char *text, int32_t length, char *dest, int32_t capacity, UErrorCode *status) {
    return uspoof_getSkeletonUTF8(sc, 0, text, length, dest, capacity, status);
}
static inline UIDNA *cicu_idna_open(UErrorCode *status) {
    return uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI, status);
}
static inline void cicu_idna_close(UIDNA *idna) { uidna_close(idna); }
static inline int32_t cicu_idna_to_ascii_utf8(const UIDNA *idna, const char *name, int32_t length, char *dest, int32_t capacity, uint32_t *errors, UErrorCode *status) {
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t result = uidna_nameToASCII_UTF8(idna, name, length, dest, capacity, &info, status);
    *errors = info.errors;
    return result;
}
static inline int cicu_failure(UErrorCode status) { return U_FAILURE(status) ? 1 : 0; }
static inline int32_t cicu_check_restriction_level(void) { return USPOOF_RESTRICTION_LEVEL; }
static inline int32_t cicu_check_mixed_script(void) { return USPOOF_MIXED_SCRIPT_CONFUSABLE; }
static inline int32_t cicu_all_checks(void) { return USPOOF_ALL_CHECKS | USPOOF_AUX_INFO; }
/* Charset detection (ICU ucsdet) and conversion to UTF-8 (ucnv). */
static inline int cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t capacity, int32_t *confidence) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status)) return 0;
    ucsdet_setText(detector, bytes, length, &status);
    const UCharsetMatch *match = ucsdet_detect(detector, &status);
    int found = 0;
    if (U_SUCCESS(status) && match) {
        const char *matched = ucsdet_getName(match, &status);
        *confidence = ucsdet_getConfidence(match, &status);
        if (U_SUCCESS(status) && matched) {
            strncpy(name, matched, capacity - 1);
            name[capacity - 1] = 0;
            found = 1;
        }
    }
    ucsdet_close(detector);
    return found;
}
static inline int32_t cicu_convert_to_utf8(const char *charset, const char *bytes, int32_t length, char *dest, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = ucnv_convert("UTF-8", charset, dest, capacity, bytes, length, &status);
    return U_FAILURE(status) ? -1 : written;
}
#endif
