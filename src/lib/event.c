// SPDX-License-Identifier: GPL-2.0
/* The kinds of stall by name: every output prints these. */
#include "event.h"

static const char *const kind_names[DR_NR_KINDS] = {
	[DR_KIND_DIRECT] = "direct",
	[DR_KIND_MEMCG] = "memcg",
	[DR_KIND_MEMCG_SOFTLIMIT] = "softlimit",
	[DR_KIND_THROTTLE] = "throttle",
	[DR_KIND_COMPACT] = "compact",
	[DR_KIND_HIGH] = "high",
};

const char *dr_kind_name(uint32_t kind)
{
	return kind < DR_NR_KINDS ? kind_names[kind] : "?";
}
