// SPDX-License-Identifier: GPL-2.0
/* Decoded vmscan records into the pairer; see vmscan_pairing.h. */
#include "vmscan_pairing.h"

int vmscan_pairing_begin(struct dr_pairer *p, uint64_t ts,
			 const struct vmscan_rec *v)
{
	struct dr_begin b = {
		.ts_ns = ts,
		.tid = v->tid,
		.order = v->order,
		.gfp_flags = v->value,
		.kind = v->kind,
		.has_gfp = true,
	};

	return pairer_begin(p, &b);
}

void vmscan_pairing_report_lost(struct dr_pairer *p, struct dr_sink *sink)
{
	uint64_t n = pairer_take_lost(p);

	if (n)
		sink->lost(sink, n);
}
