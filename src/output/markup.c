// SPDX-License-Identifier: GPL-2.0
/* Text into --report's HTML and --flamegraph's SVG (markup.h). */
#include "markup.h"

void markup_text(FILE *f, const char *s)
{
	unsigned char c;

	for (; (c = *s); s++) {
		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
}
