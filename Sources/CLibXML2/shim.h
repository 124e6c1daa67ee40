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
#include <libxml/xmlIO.h>
#include <libxml/c14n.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Swift 6 rejects the xmlFree global (a mutable function pointer): call it through here. */
static inline void knot_xml_free(void *pointer) {
    xmlFree(pointer);
}

/*
 * libxml2 sends a few messages ("Unimplemented block at xmlschemas.c") only to the per-thread
 * variadic generic handler, which Swift cannot implement. The trampoline below formats them and
 * hands the text to a plain Swift callback; with a NULL route it swallows them, so libxml2 never
 * prints to stderr.
 */
typedef void (*knot_generic_error_sink)(void *context, const char *message);

typedef struct knot_generic_error_route {
    knot_generic_error_sink sink;
    void *context;
} knot_generic_error_route;

static inline void knot_generic_error_trampoline(void *route_pointer, const char *format, ...) {
    knot_generic_error_route *route = (knot_generic_error_route *)route_pointer;
    if (route == NULL || route->sink == NULL || format == NULL) {
        return;
    }
    char message[1024];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    route->sink(route->context, message);
}

/* Routes this thread's generic messages to `route` (NULL: swallow them). */
static inline void knot_route_generic_errors(knot_generic_error_route *route) {
    xmlSetGenericErrorFunc(route, knot_generic_error_trampoline);
}

/* Makes threads created from now on swallow generic messages until they route them. */
static inline void knot_silence_generic_errors_by_default(void) {
    xmlThrDefSetGenericErrorFunc(NULL, knot_generic_error_trampoline);
    xmlSetGenericErrorFunc(NULL, knot_generic_error_trampoline);
}

/*
 * Byte scans that run on whole documents (up to the size cap) before libxml2 sees them.
 * They are in C so that they stay fast in debug builds.
 */

/* Offset of the first byte that does not start a well-formed UTF-8 sequence, or `length`. */
static inline size_t knot_utf8_first_invalid(const unsigned char *bytes, size_t length) {
    size_t i = 0;
    while (i < length) {
        unsigned char b = bytes[i];
        if (b < 0x80) {
            i += 1;
            continue;
        }
        size_t need;
        unsigned int lower = 0x80, upper = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b == 0xE0) {
            need = 2; lower = 0xA0;
        } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
            need = 2;
        } else if (b == 0xED) {
            need = 2; upper = 0x9F; /* no UTF-16 surrogates */
        } else if (b == 0xF0) {
            need = 3; lower = 0x90;
        } else if (b >= 0xF1 && b <= 0xF3) {
            need = 3;
        } else if (b == 0xF4) {
            need = 3; upper = 0x8F;
        } else {
            return i;
        }
        if (length - i <= need) {
            return i;
        }
        unsigned char second = bytes[i + 1];
        if (second < lower || second > upper) {
            return i;
        }
        for (size_t k = 2; k <= need; k++) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return i;
            }
        }
        i += need + 1;
    }
    return length;
}

/* Offset of the first byte >= 0x80, or `length`. */
static inline size_t knot_first_non_ascii(const unsigned char *bytes, size_t length) {
    for (size_t i = 0; i < length; i++) {
        if (bytes[i] >= 0x80) {
            return i;
        }
    }
    return length;
}

/* Offset of the first NUL byte, or `length`. */
static inline size_t knot_first_nul(const unsigned char *bytes, size_t length) {
    const void *found = memchr(bytes, 0, length);
    return found == NULL ? length : (size_t)((const unsigned char *)found - bytes);
}

/* 1-based line and column (in characters, counting UTF-8 lead bytes) of byte `offset`. */
static inline void knot_text_position(const unsigned char *bytes, size_t offset,
                                      long *line, long *column) {
    long lines = 1;
    size_t line_start = 0;
    const unsigned char *cursor = bytes;
    const unsigned char *end = bytes + offset;
    while (cursor < end) {
        const unsigned char *newline = memchr(cursor, '\n', (size_t)(end - cursor));
        if (newline == NULL) {
            break;
        }
        lines += 1;
        line_start = (size_t)(newline - bytes) + 1;
        cursor = newline + 1;
    }
    long characters = 0;
    for (size_t i = line_start; i < offset; i++) {
        if ((bytes[i] & 0xC0) != 0x80) {
            characters += 1;
        }
    }
    *line = lines;
    *column = characters + 1;
}

/*
 * Offset of the first character XML 1.0 cannot carry in UTF-8 text (C0 controls other than
 * tab, line feed and carriage return; U+FFFE; U+FFFF), or `length`. Assumes valid UTF-8.
 */
static inline size_t knot_first_non_xml_character(const unsigned char *bytes, size_t length) {
    for (size_t i = 0; i < length; i++) {
        unsigned char b = bytes[i];
        if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) {
            return i;
        }
        if (b == 0xEF && i + 2 < length && bytes[i + 1] == 0xBF &&
            (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF)) {
            return i;
        }
    }
    return length;
}

/* Offset of `needle` in `haystack` at or after `from`, or `length`. */
static inline size_t knot_find_bytes(const unsigned char *haystack, size_t length, size_t from,
                                     const char *needle) {
    size_t needle_length = strlen(needle);
    if (needle_length == 0 || from >= length) {
        return length;
    }
    const unsigned char *cursor = haystack + from;
    size_t remaining = length - from;
    while (remaining >= needle_length) {
        const unsigned char *first = memchr(cursor, (unsigned char)needle[0], remaining - needle_length + 1);
        if (first == NULL) {
            return length;
        }
        if (memcmp(first, needle, needle_length) == 0) {
            return (size_t)(first - haystack);
        }
        remaining -= (size_t)(first - cursor) + 1;
        cursor = first + 1;
    }
    return length;
}

static inline int knot_is_xml_space(unsigned char c) {
    return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;
}

/*
 * libxml2 2.9.14 checks duplicate attributes and looks up namespace prefixes with linear scans,
 * so one element with 100,000 attributes, or thousands of namespace declarations in scope,
 * costs minutes. This scan counts attributes per start tag and namespace declarations in scope
 * (quotes, comments, CDATA and processing instructions skipped) and returns the offset of the
 * first start tag over a limit, or `length`. `*which` is 1 for attributes, 2 for namespaces.
 */
static inline size_t knot_first_markup_over_limits(const unsigned char *b, size_t n,
                                                   long max_attributes, long max_namespaces,
                                                   int *which) {
    enum { KNOT_TRACKED_DEPTH = 512 };
    long declared[KNOT_TRACKED_DEPTH];
    size_t depth = 0;
    long in_scope = 0;
    size_t i = 0;
    *which = 0;
    while (i < n) {
        const unsigned char *open = memchr(b + i, '<', n - i);
        if (open == NULL) {
            break;
        }
        size_t tag = (size_t)(open - b);
        i = tag + 1;
        if (i >= n) {
            break;
        }
        unsigned char c = b[i];
        if (c == '!') {
            size_t end;
            if (n - i >= 3 && b[i + 1] == '-' && b[i + 2] == '-') {
                end = knot_find_bytes(b, n, i + 3, "-->");
                i = end == n ? n : end + 3;
            } else if (n - i >= 8 && memcmp(b + i, "![CDATA[", 8) == 0) {
                end = knot_find_bytes(b, n, i + 8, "]]>");
                i = end == n ? n : end + 3;
            }
            continue;
        }
        if (c == '?') {
            size_t end = knot_find_bytes(b, n, i + 1, "?>");
            i = end == n ? n : end + 2;
            continue;
        }
        if (c == '/') {
            if (depth > 0) {
                depth -= 1;
                if (depth < KNOT_TRACKED_DEPTH) {
                    in_scope -= declared[depth];
                }
            }
            continue;
        }
        long attributes = 0, namespaces = 0;
        size_t j = i;
        while (j < n && !knot_is_xml_space(b[j]) && b[j] != '>' && b[j] != '/' && b[j] != '<') {
            j++;
        }
        size_t name_start = n;
        int empty = 0, closed = 0;
        while (j < n) {
            unsigned char d = b[j];
            if (d == '"' || d == '\'') {
                const unsigned char *quote = memchr(b + j + 1, d, n - j - 1);
                j = quote == NULL ? n : (size_t)(quote - b) + 1;
                name_start = n;
                continue;
            }
            if (d == '>') {
                empty = b[j - 1] == '/';
                closed = 1;
                break;
            }
            if (d == '<') {
                break; /* not well-formed: the parser stops here */
            }
            if (d == '=') {
                attributes += 1;
                if (name_start != n) {
                    size_t length = j - name_start;
                    while (length > 0 && knot_is_xml_space(b[name_start + length - 1])) {
                        length--;
                    }
                    if (length >= 5 && memcmp(b + name_start, "xmlns", 5) == 0 &&
                        (length == 5 || b[name_start + 5] == ':')) {
                        namespaces += 1;
                    }
                }
                name_start = n;
            } else if (!knot_is_xml_space(d) && name_start == n) {
                name_start = j;
            }
            j++;
        }
        if (attributes > max_attributes) {
            *which = 1;
            return tag;
        }
        in_scope += namespaces;
        if (in_scope > max_namespaces) {
            *which = 2;
            return tag;
        }
        if (empty) {
            in_scope -= namespaces;
        } else {
            if (depth < KNOT_TRACKED_DEPTH) {
                declared[depth] = namespaces;
            } else {
                in_scope -= namespaces;
            }
            depth += 1;
        }
        i = closed ? j + 1 : j;
    }
    return n;
}

#endif
