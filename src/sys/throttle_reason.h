/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_THROTTLE_REASON_H
#define DRSNOOP_THROTTLE_REASON_H

#include <stddef.h>
#include <stdint.h>

/* Room for every reason at once, and some unknown bits in hex. */
#define THROTTLE_REASON_LEN 64

/*
 * The reason bits of vmscan:mm_vmscan_throttled as text: the names its
 * print fmt gives them, less their VMSCAN_THROTTLE_ prefix and in lower
 * case ("writeback"), "|" between, bits without a name in hex, and
 * "none" for 0, as the print fmt says. Returns buf.
 */
const char *throttle_reason_format(uint32_t reason, char *buf, size_t len);

#endif /* DRSNOOP_THROTTLE_REASON_H */
