/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_CONFINE_H
#define DRSNOOP_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "symbolizer.h"

/* What an attached drsnoop may still do to a path, and nothing more. */
enum confine_access {
	/* Write the files there are beneath it (tracefs files). */
	CONFINE_WRITE,
	/* Create, write, rename over and remove files in it (--metrics). */
	CONFINE_FILES,
	/* Remove the directories in it (our tracefs instance at exit). */
	CONFINE_RMDIRS,
};

struct confine_path {
	const char *path;
	enum confine_access access;
};

#define CONFINE_MAX_PATHS 8

/*
 * Everything the live process needs once attached: the capabilities
 * still used (PRIVS_CAP() bits), those of the /proc broker, which is
 * started where they are not 0 (proc_broker.h), the paths it still
 * writes, and whether it reads BPF maps.
 */
struct confine_plan {
	uint64_t keep_caps;
	uint64_t broker_caps;
	/* The symbolizer's, started with the broker (symbolizer.h). */
	const struct symbolizer_ops *symbolizer;
	struct confine_path paths[CONFINE_MAX_PATHS];
	size_t nr_paths;
	bool bpf_maps;
	bool debug;
};

/* Add a path; -1 (ENOSPC) when the plan is full. */
int confine_add(struct confine_plan *p, const char *path,
		enum confine_access access);

/*
 * Enter the plan, in layers: Landlock (writes only to the plan's paths, no
 * execve(2), no TCP, no signal or abstract socket outside; where the kernel
 * has it), root's identity given up (securebits locked, and the uid of
 * nobody when nothing still needs root's files), privs_drop(keep_caps),
 * and a seccomp allow-list of what the poll loop and exit call. With
 * debug, one line on stderr says which layers are on. Returns 0, or -1
 * with a one-line reason in why.
 */
int confine_enter(const struct confine_plan *p, char *why, size_t why_len);

#endif /* DRSNOOP_CONFINE_H */
