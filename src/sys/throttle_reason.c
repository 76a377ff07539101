// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim throttling's reasons by name. The event's print fmt gives each
 * bit as (1 << VMSCAN_THROTTLE_WRITEBACK) and so on: an enum that tracefs
 * leaves unresolved (no TRACE_DEFINE_ENUM), so a parser cannot read the
 * bits from it as it reads the gfp flags'. They are the kernel's enum
 * vmscan_throttle_state, unchanged since it came in 5.16.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "src/lib/util.h"
#include "throttle_reason.h"

static const struct {
	uint32_t bit;
	const char *name;
} reasons[] = {
	{ 1u << 0, "writeback" },
	{ 1u << 1, "isolated" },
	{ 1u << 2, "noprogress" },
	{ 1u << 3, "congested" },
};

const char *throttle_reason_format(uint32_t reason, char *buf, size_t len)
{
	size_t pos = 0, i;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!reason) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		if (!(reason & reasons[i].bit))
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s", pos ? "|" : "",
			     reasons[i].name);
		/* No room: the names that fit, none cut. */
		if (n < 0 || (size_t)n >= len - pos) {
			buf[pos] = '\0';
			return buf;
		}
		pos += n;
		reason &= ~reasons[i].bit;
	}
	if (reason)
		snprintf(buf + pos, len - pos, "%s0x%" PRIx32, pos ? "|" : "",
			 reason);
	return buf;
}
