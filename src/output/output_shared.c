// SPDX-License-Identifier: GPL-2.0
/*
 * What the output modes share, below them and below output.c's table of
 * them: the flush per line, the cgroup lookup and REASON's text.
 */
#include <errno.h>
#include "output_shared.h"
#include "src/lib/compact.h"
#include "src/sys/throttle_reason.h"

/*
 * Flush every line, so `drsnoop | grep` shows stalls as they happen; a
 * recording is read faster than a flush per line, so it is not.
 */
int output_finish_line(struct dr_output *out)
{
	if (out->batch && !ferror(out->f))
		return 0;
	/*
	 * errno may be stale from anything since the write that failed; a
	 * failed stream keeps its data, so flushing again says why now.
	 */
	errno = 0;
	if (fflush(out->f) || ferror(out->f))
		return errno ? -errno : -EIO;
	return 0;
}

const char *output_cgroup_of(struct dr_output *out, const struct dr_event *e)
{
	if (!dr_event_has(e, DR_HAS_CGROUP) || !out->cgroups.tree)
		return NULL;
	return cgroup_names_get(&out->cgroups, e->cgroup_id);
}

const char *output_reason(const struct dr_event *e, char *buf, size_t len)
{
	switch (e->kind) {
	case DR_KIND_THROTTLE:
		return throttle_reason_format(e->reason, buf, len);
	case DR_KIND_COMPACT:
		return compact_result_name(e->reason);
	default:
		return NULL;
	}
}
