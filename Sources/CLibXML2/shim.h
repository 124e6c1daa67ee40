#ifndef KNOT_CLIBXML2_SHIM_H
#define KNOT_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* The system ICU collides with Foundation's ICU module ("UErrorCode has different definitions"). */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/c14n.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#endif
