// SPDX-License-Identifier: GPL-2.0
/*
 * Confining an attached drsnoop in layers, each of which holds without
 * the others: Landlock (where the kernel has it) limits writes to the
 * plan's paths and forbids execve(2) and TCP; root's identity is given
 * up (securebits locked; the uid of nobody when no path and no
 * capability is still needed); capabilities are dropped; and a seccomp
 * allow-list kills whatever the loop does not call.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "confine.h"
#include "landlock.h"
#include "loop_filter.h"
#include "privs.h"
#include "proc_broker.h"
#include "src/lib/util.h"

int confine_add(struct confine_plan *p, const char *path,
		enum confine_access access)
{
	if (p->nr_paths == ARRAY_SIZE(p->paths)) {
		errno = ENOSPC;
		return -1;
	}
	p->paths[p->nr_paths++] = (struct confine_path){ path, access };
	return 0;
}

/* root's files are still written, or a capability is still used. */
static bool needs_root(const struct confine_plan *p)
{
	return p->nr_paths || p->keep_caps;
}

static void say_landlock(const struct landlock_ruleset *r)
{
	if (r->abi >= 0)
		fprintf(stderr, "landlock ABI %d", r->abi);
	else
		fprintf(stderr, "no landlock (%s)", strerror(-r->abi));
}

static void say_identity(const struct confine_plan *p, int left)
{
	if (left == 2)
		fprintf(stderr, ", securebits locked, uid %d", PRIVS_NOBODY);
	else if (left == 1 && needs_root(p))
		fprintf(stderr, ", securebits locked, uid kept (%s)",
			p->nr_paths ? "writes its files" :
				      "keeps capabilities");
	else if (left == 1)
		fprintf(stderr, ", securebits locked, uid kept");
	else
		fprintf(stderr, ", securebits not locked (no CAP_SETPCAP)");
}

/* --debug: which layers are on. */
static void say_layers(const struct confine_plan *p,
		       const struct landlock_ruleset *r, int left)
{
	size_t i;

	fprintf(stderr, "drsnoop: confined: ");
	say_landlock(r);
	say_identity(p, left);
	fprintf(stderr, ", capabilities 0x%llx, seccomp allow-list",
		(unsigned long long)p->keep_caps);
	if (p->broker_caps)
		fprintf(stderr,
			"; /proc broker with capabilities 0x%llx; symbolizer "
			"with none",
			(unsigned long long)p->broker_caps);
	for (i = 0; i < p->nr_paths; i++)
		fprintf(stderr, "%s'%s'", i ? ", " : "; writes to ",
			p->paths[i].path);
	fputc('\n', stderr);
}

int confine_enter(const struct confine_plan *p, char *why, size_t why_len)
{
	struct landlock_ruleset r;
	int left, err;

	if (p->broker_caps &&
	    (proc_broker_start(p->broker_caps, why, why_len) ||
	     symbolizer_start(p->symbolizer, why, why_len)))
		return -1;
	if (landlock_prepare(&r, p->paths, p->nr_paths, why, why_len))
		return -1;
	left = privs_leave_root(!needs_root(p), why, why_len);
	err = left < 0 || privs_drop(p->keep_caps, why, why_len) ||
	      landlock_restrict(&r, why, why_len) ||
	      loop_filter_load(p, why, why_len);
	landlock_free(&r);
	if (err)
		return -1;
	if (p->debug)
		say_layers(p, &r, left);
	return 0;
}
