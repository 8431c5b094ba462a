#ifndef CICU_SHIM_H
#define CICU_SHIM_H
#include <unicode/uspoof.h>
#include <unicode/uidna.h>
#include <unicode/unorm2.h>
#include <unicode/uversion.h>

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
#endif
