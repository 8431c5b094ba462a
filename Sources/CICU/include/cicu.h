#ifndef CICU_H
#define CICU_H
#include <stdint.h>

/* ICU behind plain C types. The ICU headers stay in cicu.c: a Swift module that saw them would
   clash with Foundation's own ICU module (c-libraries.md §0), so this header is all Swift sees and
   no `@_implementationOnly` import is needed. ICU renames every entry point with its version
   (uspoof_open_72); the wrappers give version-independent names (c-libraries.md §3). */

/* The UTS #39 spoof checker with every check on; NULL when ICU cannot make one. */
void *cicu_spoof_open(void);
/* Restriction-level and mixed-script flags of `text` (0: not suspicious); -1 on failure. */
int32_t cicu_spoof_flags_utf8(const void *checker, const char *text, int32_t length);
/* The skeleton of `text` into `dest`; returns its length. *status: 0 done, 1 `dest` too small
   (the length needed is returned), 2 failure. */
int32_t cicu_spoof_skeleton_utf8(const void *checker, const char *text, int32_t length, char *dest, int32_t capacity, int *status);

/* UTS #46 (non-transitional, bidi checked); NULL when ICU cannot make one. */
void *cicu_idna_open(void);
/* The ASCII form of a domain name; -1 when it is invalid or ICU fails. */
int32_t cicu_idna_to_ascii_utf8(const void *idna, const char *name, int32_t length, char *dest, int32_t capacity);

/* ICU's best guess of the charset of `bytes` (ucsdet): 1 and the name and confidence, or 0. */
int cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t capacity, int32_t *confidence);
/* `bytes` from `charset` to UTF-8 (ucnv); the length written, or -1. */
int32_t cicu_convert_to_utf8(const char *charset, const char *bytes, int32_t length, char *dest, int32_t capacity);

#endif
