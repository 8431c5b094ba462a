#include "cicu.h"
#include <string.h>
#include <unicode/uspoof.h>
#include <unicode/uidna.h>
#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>

void *cicu_spoof_open(void) {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker *checker = uspoof_open(&status);
    if (U_FAILURE(status)) return NULL;
    uspoof_setChecks(checker, USPOOF_ALL_CHECKS | USPOOF_AUX_INFO, &status);
    if (U_FAILURE(status)) {
        uspoof_close(checker);
        return NULL;
    }
    return checker;
}

int32_t cicu_spoof_flags_utf8(const void *checker, const char *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t result = uspoof_checkUTF8((const USpoofChecker *)checker, text, length, NULL, &status);
    if (U_FAILURE(status)) return -1;
    return result & (USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_SCRIPT_CONFUSABLE);
}

int32_t cicu_spoof_skeleton_utf8(const void *checker, const char *text, int32_t length, char *dest, int32_t capacity, int *status) {
    UErrorCode error = U_ZERO_ERROR;
    int32_t written = uspoof_getSkeletonUTF8((const USpoofChecker *)checker, 0, text, length, dest, capacity, &error);
    *status = error == U_BUFFER_OVERFLOW_ERROR ? 1 : U_FAILURE(error) ? 2 : 0;
    return written;
}

void *cicu_idna_open(void) {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA *idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI, &status);
    return U_FAILURE(status) ? NULL : idna;
}

int32_t cicu_idna_to_ascii_utf8(const void *idna, const char *name, int32_t length, char *dest, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t written = uidna_nameToASCII_UTF8((const UIDNA *)idna, name, length, dest, capacity, &info, &status);
    if (U_FAILURE(status) || info.errors != 0 || written <= 0) return -1;
    return written;
}

int cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t capacity, int32_t *confidence) {
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

int32_t cicu_convert_to_utf8(const char *charset, const char *bytes, int32_t length, char *dest, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = ucnv_convert("UTF-8", charset, dest, capacity, bytes, length, &status);
    return U_FAILURE(status) ? -1 : written;
}
