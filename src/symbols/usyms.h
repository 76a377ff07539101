/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_USYMS_H
#define DRSNOOP_USYMS_H

#include <stddef.h>
#include <stdint.h>
#include "src/sys/symbolizer.h"

/* The size of one symbolized frame, NUL included. */
#define USYMS_FRAME_LEN 256

/*
 * User-space symbols of live processes: a process's executable mappings
 * from /proc/PID/maps, each file's function symbols from its .symtab and
 * .dynsym (libelf), both cached. A process's mappings are read when it is
 * first asked about, and again when its pid names a new process (its
 * start time changed) or an address misses them; a process that has
 * exited keeps the mappings read while it lived.
 */
struct usyms;

/*
 * What the symbolizer does for live processes (symbolizer.h): ELF files'
 * symbols, by handle. usyms_resolve() uses it once it is started.
 */
extern const struct symbolizer_ops usyms_symbolizer;

/* proc is the /proc to read (another directory in tests); NULL: ENOMEM. */
struct usyms *usyms_new(const char *proc);
void usyms_free(struct usyms *u);

/*
 * The n addresses of a user stack of process pid, innermost first, as
 * frames into out: "function+0xoff"; "[unknown] module+0xoff" where the
 * file or its symbols do not name the address (never a guess); or
 * "[unknown] 0xaddr" outside any file mapping (or for a process whose
 * mappings were never read).
 */
void usyms_resolve(struct usyms *u, uint32_t pid, const uint64_t *addrs,
		   uint32_t n, char (*out)[USYMS_FRAME_LEN]);

/*
 * The function that holds the address at file offset off of the ELF file
 * at path, as "function+0xoff" into buf: 0, -ENOENT where no symbol
 * holds it, or another -errno where the file cannot be read.
 */
int usyms_file_symbol(struct usyms *u, const char *path, uint64_t off,
		      char *buf, size_t len);

#endif /* DRSNOOP_USYMS_H */
