/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_LOOP_FILTER_H
#define DRSNOOP_LOOP_FILTER_H

#include <stddef.h>
#include "confine.h"

/*
 * The seccomp allow-list of an attached drsnoop (libseccomp): reading,
 * polling, printing and exiting; files opened for writing, renamed and
 * removed only where the plan has paths; bpf(2) only to look up map
 * elements, where the plan reads maps. Anything else (execve, socket,
 * ptrace, setuid, mount, a BPF load...) kills the process with SIGSYS.
 * no_new_privs must be set. Returns 0, or -1 with a one-line reason in why.
 */
int loop_filter_load(const struct confine_plan *p, char *why, size_t why_len);

#endif /* DRSNOOP_LOOP_FILTER_H */
