// SPDX-License-Identifier: GPL-2.0
/*
 * What /proc tells of memory: free pages, allocstall_*, compaction's
 * counters, NUMA nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "meminfo.h"

static bool read_vmstat(const char *name, unsigned long long *value)
{
	size_t len = strlen(name);
	char line[128];
	bool found = false;
	FILE *f;

	f = fopen("/proc/vmstat", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ' ')
			found = sscanf(line + len, "%llu", value) == 1;
	}
	fclose(f);
	return found;
}

bool meminfo_fill_free(struct dr_event *e)
{
	static bool warned;
	unsigned long long pages;

	if (!read_vmstat("nr_free_pages", &pages))
		return false;
	if (!warned) {
		fprintf(stderr, "drsnoop: free memory at reclaim begin is not "
				"readable here; FREE(KB) is /proc/vmstat's "
				"nr_free_pages when each stall is reported\n");
		warned = true;
	}
	e->free_pages = pages;
	e->fields |= DR_HAS_FREE | DR_FREE_APPROX;
	return true;
}

bool meminfo_allocstall(uint64_t *total)
{
	unsigned long long v;
	bool found = false;
	char line[128];
	FILE *f;

	f = fopen("/proc/vmstat", "re");
	if (!f)
		return false;
	*total = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "allocstall_", 11) ||
		    sscanf(line, "%*s %llu", &v) != 1)
			continue;
		*total += v;
		found = true;
	}
	fclose(f);
	return found;
}

unsigned int meminfo_allocstall_zones(char (*zone)[16], uint64_t *value,
				      unsigned int max)
{
	unsigned long long v;
	unsigned int nr = 0;
	char line[128];
	FILE *f;

	f = fopen("/proc/vmstat", "re");
	if (!f)
		return 0;
	while (nr < max && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "allocstall_", 11) ||
		    sscanf(line + 11, "%15s %llu", zone[nr], &v) != 2)
			continue;
		value[nr++] = v;
	}
	fclose(f);
	return nr;
}

bool meminfo_compact(struct meminfo_compact *c)
{
	unsigned long long stall, success, fail;

	if (!read_vmstat("compact_stall", &stall) ||
	    !read_vmstat("compact_success", &success) ||
	    !read_vmstat("compact_fail", &fail))
		return false;
	*c = (struct meminfo_compact){ stall, success, fail };
	return true;
}

unsigned int meminfo_nr_nodes(void)
{
	unsigned int nr = 1;
	char buf[256], *p;
	FILE *f;

	f = fopen("/sys/devices/system/node/possible", "re");
	if (!f)
		return 1;
	if (fgets(buf, sizeof(buf), f)) {
		/* "0", "0-3" or "0-1,4": the last number is the highest */
		p = buf + strcspn(buf, "\n");
		while (p > buf && (p[-1] < '0' || p[-1] > '9'))
			p--;
		while (p > buf && p[-1] >= '0' && p[-1] <= '9')
			p--;
		nr = strtoul(p, NULL, 10) + 1;
	}
	fclose(f);
	return nr;
}
