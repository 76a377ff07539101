/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_SYMBOLIZER_H
#define DRSNOOP_SYMBOLIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The ELF files that live --user-stack names belong to whoever stalled,
 * so drsnoop does not parse them: a symbolizer process, forked with the
 * /proc broker before drsnoop confines itself, does, through the
 * operations it is given (usyms.h has the ELF ones). It takes nobody's
 * uid, holds no capability and runs under a seccomp filter that lets it
 * map and read the descriptors it is sent, answer on its socket and
 * exit: it is given opened files, never paths, and can open nothing.
 * Each request is bounded by an alarm() in it and a receive timeout in
 * drsnoop; a symbolizer that dies or hangs is given up with one warning,
 * and its frames stay unnamed.
 */

/* What the symbolizer does with a file, in the symbolizer. */
struct symbolizer_ops {
	/* Read the size bytes of the file fd holds: a handle, or -errno. */
	int (*load)(int fd, uint64_t size);
	/*
	 * The function that holds offset off of handle's file, looked up
	 * at lookup_off, as "function+0xoff" into buf: 0 or -errno.
	 */
	int (*name)(int handle, uint64_t off, uint64_t lookup_off, char *buf,
		    size_t len);
};

/*
 * Fork the symbolizer, which serves ops. Returns 0, or -1 with a
 * one-line reason in why.
 */
int symbolizer_start(const struct symbolizer_ops *ops, char *why,
		     size_t why_len);

/* Whether symbolizer_start() started one (even if it has since died). */
bool symbolizer_started(void);

/* drsnoop's end of its socket (-1 without one), for the loop's filter. */
int symbolizer_socket(void);

/*
 * The symbolizer's load() of the file fd holds, size bytes of it (a
 * regular file): a handle for symbolizer_name(), or -errno (-EIO once the
 * symbolizer is gone).
 */
int symbolizer_load(int fd, uint64_t size);

/* The symbolizer's name() of the file behind handle: 0, or -errno. */
int symbolizer_name(int handle, uint64_t off, uint64_t lookup_off, char *buf,
		    size_t len);

#endif /* DRSNOOP_SYMBOLIZER_H */
