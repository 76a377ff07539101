// SPDX-License-Identifier: GPL-2.0
/*
 * The latency heat map of --report (heatmap.h): counts by kind, time
 * column and latency slot, in a fixed number of columns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "heatmap.h"

void heatmap_init(struct heatmap *h, uint64_t t0_ns)
{
	*h = (struct heatmap){ .t0_ns = t0_ns, .col_ns = HEATMAP_FIRST_COL_NS };
}

void heatmap_free(struct heatmap *h)
{
	unsigned int k;

	for (k = 0; k < DR_NR_KINDS; k++)
		free(h->cells[k]);
	heatmap_init(h, h->t0_ns);
}

/* Column i of the wider ones is columns 2i and 2i+1 of the narrower. */
static void merge_pairs(struct heatmap *h)
{
	unsigned int k, c, s;
	uint64_t *m;

	for (k = 0; k < DR_NR_KINDS; k++) {
		m = h->cells[k];
		if (!m)
			continue;
		for (c = 0; c < HEATMAP_COLS / 2; c++)
			for (s = 0; s < SUMMARY_SLOTS; s++)
				m[c * SUMMARY_SLOTS + s] =
					m[2 * c * SUMMARY_SLOTS + s] +
					m[(2 * c + 1) * SUMMARY_SLOTS + s];
		memset(m + HEATMAP_COLS / 2 * SUMMARY_SLOTS, 0,
		       HEATMAP_COLS / 2 * SUMMARY_SLOTS * sizeof(*m));
	}
	h->col_ns *= 2;
	h->nr_cols = (h->nr_cols + 1) / 2;
}

int heatmap_add(struct heatmap *h, uint32_t kind, uint64_t end_ns,
		uint64_t lat_ns)
{
	uint64_t since = end_ns > h->t0_ns ? end_ns - h->t0_ns : 0;
	unsigned int col;

	if (kind >= DR_NR_KINDS)
		return 0;
	if (!h->cells[kind]) {
		h->cells[kind] = calloc(HEATMAP_COLS * SUMMARY_SLOTS,
					sizeof(*h->cells[kind]));
		if (!h->cells[kind])
			return -ENOMEM;
	}
	while (since / h->col_ns >= HEATMAP_COLS)
		merge_pairs(h);
	col = since / h->col_ns;
	h->cells[kind][col * SUMMARY_SLOTS + summary_slot(lat_ns)]++;
	if (col >= h->nr_cols)
		h->nr_cols = col + 1;
	h->stalls++;
	return 0;
}
