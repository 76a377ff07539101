/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PROC_BROKER_H
#define DRSNOOP_PROC_BROKER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * --user-stack reads /proc/PID/maps and /proc/PID/map_files of whatever
 * stalls, which takes ptrace's read access (CAP_SYS_PTRACE, and
 * CAP_CHECKPOINT_RESTORE for map_files), and which Landlock forbids a
 * sandboxed process towards any process outside its sandbox. So a broker
 * process, forked before drsnoop confines itself, keeps those two
 * capabilities and nothing else: under its own seccomp filter it only
 * reads a request (pid, and a mapping's range or none for the maps),
 * opens that /proc file without following any path it was given
 * (O_NONBLOCK, a regular file or nothing), and sends the descriptor back.
 */

/*
 * Fork the broker, keeping keep_caps in it. Returns 0, or -1 with a
 * one-line reason in why.
 */
int proc_broker_start(uint64_t keep_caps, char *why, size_t why_len);

/* Whether proc_broker_start() started one. */
bool proc_broker_running(void);

/*
 * /proc/PID/maps (start == end == 0) or /proc/PID/map_files/START-END,
 * opened by the broker: a read-only descriptor, or -errno (-ENOTCONN
 * where there is no broker).
 */
int proc_broker_open(uint32_t pid, uint64_t start, uint64_t end);

#endif /* DRSNOOP_PROC_BROKER_H */
