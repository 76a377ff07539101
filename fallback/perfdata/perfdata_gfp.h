/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PERFDATA_GFP_H
#define DRSNOOP_PERFDATA_GFP_H

#include <stdint.h>

/*
 * The gfp flag table as perfdata_gfp.c's child hands it back, in shared
 * memory: fixed size, so that nothing in it points into the child.
 */
#define GFP_SLOTS    128 /* kernels list about 40 */
#define GFP_NAME_LEN 48

struct gfp_slots {
	uint32_t nr;
	char delim[16];
	struct {
		uint64_t mask;
		char name[GFP_NAME_LEN];
	} flags[GFP_SLOTS];
};

/*
 * The child's work: parse fmt, the direct-reclaim begin's whole format,
 * with libtraceevent and fill s (zeroed before) with its gfp flag table.
 * Returns 0 only if all of the table fits, or -1; all freed, it returns:
 * the fuzz target runs it in-process.
 */
int perfdata_gfp_parse(long long_size, const char *fmt, uint64_t size,
		       struct gfp_slots *s);

#endif /* DRSNOOP_PERFDATA_GFP_H */
