// SPDX-License-Identifier: GPL-2.0
/*
 * The little JSON drsnoop writes: objects of numbers, null and strings.
 * Hand-written rather than json-c: json-c passes bytes that are not UTF-8
 * through unchanged, producing invalid JSON for odd task names, and a
 * library would buy nothing else here.
 */
#include <stdint.h>
#include "json.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void escape_ascii(FILE *f, unsigned char c)
{
	switch (c) {
	case '"':
	case '\\':
		fputc('\\', f);
		fputc(c, f);
		return;
	case '\b':
		fputs("\\b", f);
		return;
	case '\f':
		fputs("\\f", f);
		return;
	case '\n':
		fputs("\\n", f);
		return;
	case '\r':
		fputs("\\r", f);
		return;
	case '\t':
		fputs("\\t", f);
		return;
	}
	if (c < 0x20 || c == 0x7f)
		fprintf(f, "\\u%04x", c);
	else
		fputc(c, f);
}

void json_string(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	fputc('"', f);
	while (i < len && s[i]) {
		if (s[i] < 0x80) {
			escape_ascii(f, s[i++]);
			continue;
		}
		n = utf8_len(s + i, len - i);
		if (n) {
			fwrite(s + i, 1, n, f);
			i += n;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}

void json_key(FILE *f, const char *key, bool *first)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_string(f, key, SIZE_MAX);
	fputc(':', f);
}
