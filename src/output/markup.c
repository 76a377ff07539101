// SPDX-License-Identifier: GPL-2.0
/* Text into --report's HTML and --flamegraph's SVG (markup.h). */
#include "markup.h"

/* The characters markup gives a meaning to, as entities. */
static const char *const entities[128] = {
	['&'] = "&amp;",  ['<'] = "&lt;",   ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

void markup_text(FILE *f, const char *s)
{
	unsigned char c;

	for (; (c = *s); s++) {
		if (c < 0x80 && entities[c])
			fputs(entities[c], f);
		else if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}
