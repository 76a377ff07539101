/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_HEATMAP_H
#define DRSNOOP_HEATMAP_H

#include <stdint.h>
#include "src/lib/event.h"
#include "summary.h"

/*
 * --report's latency heat map: stalls counted by kind, by when they ended
 * (a column) and by -s's histogram slot of their latency (a row). A run
 * longer than HEATMAP_COLS columns merges them two by two, doubling their
 * width, so that a day's map is no larger than a minute's.
 */
#define HEATMAP_COLS	     512
#define HEATMAP_FIRST_COL_NS 100000000ULL /* 100 ms */

struct heatmap {
	uint64_t t0_ns; /* the start of column 0 */
	uint64_t col_ns; /* a column's width */
	unsigned int nr_cols; /* up to the last with a stall */
	/* HEATMAP_COLS x SUMMARY_SLOTS counts; NULL: no stall of the kind */
	uint64_t *cells[DR_NR_KINDS];
	uint64_t stalls;
};

void heatmap_init(struct heatmap *h, uint64_t t0_ns);
void heatmap_free(struct heatmap *h);

/*
 * A stall of kind that ended at end_ns (before t0_ns: column 0), of
 * lat_ns. Returns 0 or -ENOMEM.
 */
int heatmap_add(struct heatmap *h, uint32_t kind, uint64_t end_ns,
		uint64_t lat_ns);

static inline uint64_t heatmap_cell(const struct heatmap *h, uint32_t kind,
				    unsigned int col, unsigned int slot)
{
	return h->cells[kind] ? h->cells[kind][col * SUMMARY_SLOTS + slot] : 0;
}

#endif /* DRSNOOP_HEATMAP_H */
