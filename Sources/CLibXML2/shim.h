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
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

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

/* Byte offset of the markup that takes the document past `max_nodes` nodes (elements,
 * attributes, comments, processing instructions, CDATA sections), or n when it stays within.
 * A tree costs a few hundred bytes per node whatever the bytes that made it: a letter of many
 * tiny elements is refused here, before libxml2 builds a tree many times its size. */
static inline size_t knot_first_node_over_limit(const unsigned char *b, size_t n, long max_nodes) {
    long nodes = 0;
    size_t i = 0;
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
        if (c == '/') {
            continue;
        }
        if (++nodes > max_nodes) {
            return tag;
        }
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
        size_t j = i;
        while (j < n) {
            unsigned char d = b[j];
            if (d == '"' || d == '\'') {
                const unsigned char *quote = memchr(b + j + 1, d, n - j - 1);
                j = quote == NULL ? n : (size_t)(quote - b) + 1;
                continue;
            }
            if (d == '>' || d == '<') {
                break;
            }
            if (d == '=' && ++nodes > max_nodes) {
                return tag;
            }
            j++;
        }
        i = j;
    }
    return n;
}

/* A byte screen that follows a document through its whole stream, chunk by chunk, in flat
 * memory: attributes per element, namespace declarations in scope, nesting depth, and the
 * number of comments and processing instructions. libxml2 reads a streamed file through
 * knot_stream_read, which screens each chunk before the parser sees it, so a flood anywhere
 * in a gigabyte export stops the read where it starts (not only within the first megabyte). */
enum { KNOT_STREAM_TRACKED_DEPTH = 512 };
typedef struct {
    int fd;
    /* limits */
    long max_attributes, max_namespaces, max_depth, max_comments, max_pis;
    /* what was found: 0 nothing, 1 attributes, 2 namespaces, 3 depth, 4 comments, 5 PIs, 6 read error */
    int problem;
    long problem_line;
    int read_errno;
    /* scanner state */
    int state;            /* 0 text, 1 after '<', 2 start tag, 3 quoted value, 4 comment, 5 PI, 6 CDATA, 7 end tag, 8 '<!' opener, 9 other '<!' markup */
    unsigned char quote, prev;
    int run;              /* dashes, brackets or '?' seen before a terminator */
    char bang[8];
    int bang_len;
    unsigned char token[6];
    int token_len, token_active;
    long attributes, namespaces;
    long depth, in_scope;
    long declared[KNOT_STREAM_TRACKED_DEPTH];
    long comments, pis;
    long line, tag_line;
} knot_stream_screen;

static inline void knot_stream_screen_init(knot_stream_screen *s, int fd, long max_attributes, long max_namespaces,
                                           long max_depth, long max_comments, long max_pis) {
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->max_attributes = max_attributes;
    s->max_namespaces = max_namespaces;
    s->max_depth = max_depth;
    s->max_comments = max_comments;
    s->max_pis = max_pis;
    s->line = 1;
}

static inline void knot_stream_fail(knot_stream_screen *s, int problem) {
    if (s->problem == 0) {
        s->problem = problem;
        s->problem_line = s->tag_line;
    }
}

/* The line feeds among n bytes. */
static inline long knot_count_newlines(const unsigned char *b, size_t n) {
    long lines = 0;
    for (size_t i = 0; i < n; i++) lines += b[i] == '\n';
    return lines;
}

/* Feeds n bytes; returns 0, or the problem code once one is found (and from then on).
 * Text between tags and quoted attribute values (most of a document) change nothing but the
 * line count until their terminator: they are skipped with memchr and their line feeds counted,
 * and the terminator is then read as every other byte is. The screen and the bytes never
 * overlap (restrict): its fields stay in registers instead of being read again after each byte. */
static inline int knot_stream_screen_feed(knot_stream_screen *restrict s, const unsigned char *restrict b, size_t n) {
    static const char cdata[] = "[CDATA[";
    for (size_t i = 0; i < n && s->problem == 0; i++) {
        if (s->state == 0 || s->state == 3) {
            const unsigned char *stop = memchr(b + i, s->state == 0 ? '<' : s->quote, n - i);
            size_t end = stop == NULL ? n : (size_t)(stop - b);
            s->line += knot_count_newlines(b + i, end - i);
            if (end == n) break;
            i = end;
        }
        unsigned char c = b[i];
        if (c == '\n') {
            s->line += 1;
        }
        switch (s->state) {
        case 0:
            if (c == '<') {
                s->state = 1;
                s->tag_line = s->line;
            }
            break;
        case 1:
            if (c == '/') {
                s->state = 7;
            } else if (c == '?') {
                s->state = 5;
                s->run = 0;
                if (++s->pis > s->max_pis) knot_stream_fail(s, 5);
            } else if (c == '!') {
                s->state = 8;
                s->bang_len = 0;
            } else {
                s->state = 2;
                s->attributes = 0;
                s->namespaces = 0;
                s->token_len = 0;
                s->token_active = 0;
                s->prev = c;
            }
            break;
        case 2:
            if (c == '"' || c == '\'') {
                s->quote = c;
                s->state = 3;
                s->token_len = 0;
                s->token_active = 0;
            } else if (c == '>') {
                int empty = s->prev == '/';
                s->in_scope += s->namespaces;
                if (s->in_scope > s->max_namespaces) {
                    knot_stream_fail(s, 2);
                } else if (empty) {
                    s->in_scope -= s->namespaces;
                } else {
                    if (s->depth < KNOT_STREAM_TRACKED_DEPTH) {
                        s->declared[s->depth] = s->namespaces;
                    } else {
                        s->in_scope -= s->namespaces;
                    }
                    s->depth += 1;
                    if (s->depth > s->max_depth) knot_stream_fail(s, 3);
                }
                s->state = 0;
            } else if (c == '=') {
                if (++s->attributes > s->max_attributes) knot_stream_fail(s, 1);
                if (s->token_len >= 5 && memcmp(s->token, "xmlns", 5) == 0 && (s->token_len == 5 || s->token[5] == ':')) {
                    s->namespaces += 1;
                }
                s->token_len = 0;
                s->token_active = 0;
            } else if (knot_is_xml_space(c)) {
                s->token_active = 0;
            } else {
                if (!s->token_active) {
                    s->token_active = 1;
                    s->token_len = 0;
                }
                if (s->token_len < 6) s->token[s->token_len] = c;
                if (s->token_len < 1000) s->token_len += 1;
            }
            s->prev = c;
            break;
        case 3:
            if (c == s->quote) {
                s->state = 2;
                s->prev = c;
            }
            break;
        case 4:
            if (c == '-') {
                s->run += 1;
            } else {
                if (c == '>' && s->run >= 2) s->state = 0;
                s->run = 0;
            }
            break;
        case 5:
            if (c == '>' && s->run) s->state = 0;
            s->run = c == '?';
            break;
        case 6:
            if (c == ']') {
                s->run += 1;
            } else {
                if (c == '>' && s->run >= 2) s->state = 0;
                s->run = 0;
            }
            break;
        case 7:
            if (c == '>') {
                if (s->depth > 0) {
                    s->depth -= 1;
                    if (s->depth < KNOT_STREAM_TRACKED_DEPTH) s->in_scope -= s->declared[s->depth];
                }
                s->state = 0;
            }
            break;
        case 8:
            s->bang[s->bang_len++] = (char)c;
            if (s->bang_len == 2 && s->bang[0] == '-' && s->bang[1] == '-') {
                s->state = 4;
                s->run = 0;
                if (++s->comments > s->max_comments) knot_stream_fail(s, 4);
            } else if (s->bang_len <= 7 && memcmp(s->bang, cdata, (size_t)s->bang_len) == 0) {
                if (s->bang_len == 7) {
                    s->state = 6;
                    s->run = 0;
                }
            } else if (!(s->bang_len == 1 && c == '-')) {
                s->state = c == '>' ? 0 : 9;
            }
            break;
        case 9:
            if (c == '>') s->state = 0;
            break;
        }
    }
    return s->problem;
}

/* libxml2's read callback for xmlReaderForIO: reads from the file and screens what it read.
 * A problem ends the read (-1): the parser stops, and the caller reports the problem. */
static inline int knot_stream_read(void *context, char *buffer, int length) {
    knot_stream_screen *s = (knot_stream_screen *)context;
    if (s->problem) return -1;
    ssize_t got;
    do {
        got = read(s->fd, buffer, (size_t)length);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        s->read_errno = errno;
        s->problem = 6;
        return -1;
    }
    if (knot_stream_screen_feed(s, (const unsigned char *)buffer, (size_t)got)) return -1;
    return (int)got;
}

#endif
