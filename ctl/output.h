/* SPDX-License-Identifier: Apache-2.0 */
/* Rendering of decoded records: text (text.c) and JSON Lines (json.c),
 * plus the small formatters both use (show.c, fmt.h). */
#ifndef GS_CTL_OUTPUT_H
#define GS_CTL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "fmt.h"
#include "ring_read.h"
#include "symbolize.h"

/* One record to show: its index in the decoded ring, the reader's view
 * and the parsed payload (NULL when the payload could not be decoded). */
struct gs_shown {
	size_t seq;
	const struct gs_rec *rec;
	const struct gs_event *evt;
};

/* Length (2..4) of the valid UTF-8 multi-byte sequence at p, else 0.
 * p must be NUL-terminated. */
int gs_utf8_len(const unsigned char *p);

/* A recorded string as jansson wants it, valid UTF-8: s itself when it
 * is, else a copy in *copy (the caller frees it) where each byte that does
 * not start a valid sequence (gs_utf8_len, as the text output decides)
 * became U+FFFD.  NULL when the copy cannot be made. */
const char *gs_utf8_valid(const char *s, char **copy);

/* Copy the character at q (q < end, a NUL at or after end) to *o as
 * valid UTF-8, advancing *o: its sequence when gs_utf8_len says it is one
 * and it ends by end, else U+FFFD (3 bytes).  Returns the bytes of q
 * consumed (1 to 4). */
size_t gs_utf8_put(const unsigned char *q, const unsigned char *end, char **o);

/* A recorded string (a path, argv, env value: need not be UTF-8) as a
 * JSON string, invalid bytes as U+FFFD.  NULL on allocation failure. */
struct json_t *gs_json_str(const char *s);

/* Write a recorded string (a path, a program name: anything a traced
 * program or a ring controls) so that it cannot forge a line or mislead a
 * terminal: control characters and invalid UTF-8 are escaped C-style;
 * quote adds "" and escapes " and \ too. */
void gs_text_str(FILE *f, const char *s, int quote);

/* "event", "process", "exit", "note" or "type#N". */
const char *gs_rec_type_name(uint16_t type, char *buf, size_t size);

/* "preload", "trace" or "engine#N". */
const char *gs_engine_name(uint32_t engine, char *buf, size_t size);

/* Text: the one-line summary of the ring (node, machine, size, counters). */
void gs_text_header(FILE *f, const char *ring, const struct gs_ring_reader *r);

/* Text: the errno names of failed calls in colour (ANSI) from now on. */
void gs_text_color(int on);

/* Text: one block for one record. */
void gs_text_record(FILE *f, struct gs_symbolizer *sym, const struct gs_shown *s);

/* JSON Lines: one object, one line, for one record (a record whose payload
 * did not decode gives {"type":"damaged",...}).  Returns 0, or -1 when the
 * line could not be built (an allocation failed: nothing is written) or
 * written.  The line is built in a buffer kept from record to record:
 * once it is big enough, a record allocates nothing. */
int gs_json_record(FILE *f, struct gs_symbolizer *sym, const struct gs_shown *s);

/* What gs_json_record grows its buffers with (NULL: realloc), for tests
 * that refuse allocations; the buffers are released, so the next record
 * allocates them anew. */
void gs_json_set_realloc(void *(*fn)(void *p, size_t n));

#endif
