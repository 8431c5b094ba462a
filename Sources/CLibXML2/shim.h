#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/* xmlFree is a global function-pointer variable; Swift 6 rejects touching it (not concurrency-safe). */
static inline void clibxml2_free(void *p) { xmlFree(p); }

/* A no-op generic error handler: its C type is variadic, which Swift cannot create. */
static inline void clibxml2_silent_generic_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* Refuses every external entity, DTD or network resource (untrusted input). */
static inline xmlParserInputPtr clibxml2_refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt; return NULL;
}

static inline void clibxml2_global_setup(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(clibxml2_refuse_loader);
    xmlThrDefSetGenericErrorFunc(NULL, clibxml2_silent_generic_error);
    xmlSetGenericErrorFunc(NULL, clibxml2_silent_generic_error);
}

static inline const char *clibxml2_version(void) { return LIBXML_DOTTED_VERSION; }
#endif
