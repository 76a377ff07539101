/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_SANDBOX_H
#define DRSNOOP_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Reading a recording (-i) under a seccomp filter: drop every capability
 * (privs_drop()), then allow only what reading already open files,
 * allocating memory and printing need; any other system call kills the
 * process (SIGSYS). Open the file and load the libraries first. child,
 * when not 0, is a child process that may still be killed (SIGKILL) and
 * reaped. Entering twice is a no-op. Returns 0, or -1 with a one-line
 * reason in why.
 */
int sandbox_enter(pid_t child, char *why, size_t why_len);

#endif /* DRSNOOP_SANDBOX_H */
