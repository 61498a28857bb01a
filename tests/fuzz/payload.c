/* SPDX-License-Identifier: Apache-2.0 */
#include "payload.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "output.h"
#include "symbolize.h"

#define FZ_CHECK(cond) do { if (!(cond)) { abort(); } } while (0)

size_t gs_fuzz_payload_seed(uint16_t type, uint32_t engine, uint32_t count,
			    const uint8_t *payload, size_t len, uint8_t *out, size_t cap)
{
	uint32_t c = count > 8 ? 7 : count ? count - 1 : 0;

	if (cap == 0) {
		return 0;
	}
	out[0] = (uint8_t)((type & 7) | c << 3 | (engine & 3) << 6);
	len = len < cap - 1 ? len : cap - 1;
	memcpy(out + 1, payload, len);
	return len + 1;
}

/* The JSON line: one object, newline-terminated, and nothing else. */
static void fz_check_json(const char *out, size_t len, const struct gs_rec *rec)
{
	json_error_t err;
	json_t *o;

	FZ_CHECK(len > 2 && out[len - 1] == '\n');
	FZ_CHECK(memchr(out, '\n', len - 1) == NULL);
	o = json_loadb(out, len - 1, 0, &err);
	FZ_CHECK(json_is_object(o));
	FZ_CHECK(json_is_string(json_object_get(o, "type")));
	FZ_CHECK(json_integer_value(json_object_get(o, "pos")) == (json_int_t)rec->pos);
	json_decref(o);
}

/* The text: newline-terminated; control characters only as newlines. */
static void fz_check_text(const char *out, size_t len)
{
	FZ_CHECK(len > 0 && out[len - 1] == '\n');
	for (size_t i = 0; i < len; i++) {
		FZ_CHECK((unsigned char)out[i] >= 0x20 || out[i] == '\n');
	}
}

size_t gs_fuzz_payload(const uint8_t *buf, size_t len)
{
	struct gs_rec rec = { .pos = 4096 };
	struct gs_event e;
	struct gs_symbolizer *sym;
	char *tout = NULL, *jout = NULL;
	size_t tlen = 0, jlen = 0;
	FILE *tf, *jf;

	if (len == 0) {
		return 0;
	}
	rec.type = buf[0] & 7;
	rec.count = 1 + (buf[0] >> 3 & 7);
	rec.engine = buf[0] >> 6;
	rec.raw_len = (uint32_t)(len - 1);
	/* a copy of exactly the payload: a read past it is a real bug */
	rec.payload = malloc(len - 1 ? len - 1 : 1);
	FZ_CHECK(rec.payload);
	memcpy(rec.payload, buf + 1, len - 1);

	int rc = gs_event_parse(&e, rec.payload, rec.raw_len);
	FZ_CHECK((rc < 0) == (e.error != NULL));

	struct gs_shown s = { 3, &rec, &e };
	sym = gs_sym_new(0);
	tf = open_memstream(&tout, &tlen);
	jf = open_memstream(&jout, &jlen);
	FZ_CHECK(sym && tf && jf);
	gs_text_record(tf, sym, &s);
	FZ_CHECK(gs_json_record(jf, sym, &s) == 0);
	FZ_CHECK(fclose(tf) == 0 && fclose(jf) == 0);
	fz_check_text(tout, tlen);
	fz_check_json(jout, jlen, &rec);

	gs_sym_free(sym);
	gs_event_free(&e);
	free(rec.payload);
	free(tout);
	free(jout);
	return tlen + jlen;
}
