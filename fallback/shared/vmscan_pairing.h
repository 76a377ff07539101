/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_VMSCAN_PAIRING_H
#define DRSNOOP_VMSCAN_PAIRING_H

#include <stdint.h>
#include "src/core/backend.h"
#include "src/lib/pair.h"
#include "vmscan_fields.h"

/*
 * Decoded vmscan records paired into stalls (pair.h), as the ftrace
 * backend and the recordings' replay both pair them: the begin a record
 * makes, and the stalls the pairer found lost, told to the sink.
 */

/* The begin v (VMSCAN_BEGIN) stamped ts, to p. Returns 0 or -ENOMEM. */
int vmscan_pairing_begin(struct dr_pairer *p, uint64_t ts,
			 const struct vmscan_rec *v);

/* The stalls lost since the last call, to the sink in one call, if any. */
void vmscan_pairing_report_lost(struct dr_pairer *p, struct dr_sink *sink);

#endif /* DRSNOOP_VMSCAN_PAIRING_H */
