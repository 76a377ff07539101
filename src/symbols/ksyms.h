/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_KSYMS_H
#define DRSNOOP_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A kernel symbol table in the format of /proc/kallsyms ("address type
 * name [module]" per line), sorted by address for a binary search. It
 * comes from this machine's /proc/kallsyms or from the kallsyms text a
 * recording holds.
 */
struct ksyms;

/* What an address resolves to. */
struct ksym {
	uint64_t addr;
	const char *name;
	const char *module; /* NULL for the kernel image */
};

/*
 * A table of the kallsyms text (len bytes, not necessarily
 * NUL-terminated; the table keeps its own copy). Lines it cannot read
 * are skipped. Returns NULL with errno set: ENOMEM, or ENOENT when the
 * text holds no usable symbol (none, or every address 0, as
 * kptr_restrict shows them to an unprivileged reader).
 */
struct ksyms *ksyms_parse(const char *text, size_t len);

/* The table of /proc/kallsyms (or of path, for tests); NULL with errno. */
struct ksyms *ksyms_load(const char *path);

/*
 * The table of what is left to read from fd, an open kallsyms file (the
 * caller keeps fd); NULL with errno. /proc/kallsyms shows its addresses
 * or zeros by the privileges of whoever opened it, not of the reader.
 */
struct ksyms *ksyms_read(int fd);

void ksyms_free(struct ksyms *k);

/*
 * One text symbol more in *k (a new table when *k is NULL), in order:
 * a recording's symbols, found one by one, without parsing again what
 * the table holds. 0, or -ENOMEM (*k is then as it was).
 */
int ksyms_add(struct ksyms **k, uint64_t addr, const char *name);

/* Number of symbols in the table. */
size_t ksyms_count(const struct ksyms *k);

/*
 * The symbol that holds addr: the last one at or below it, as long as
 * addr is below the next symbol and within KSYMS_MAX_SIZE of it (the
 * table has no sizes; past the last symbol of the kernel or of a module,
 * a far address is unknown rather than misnamed). Returns 0 and fills
 * *sym and *off, or -ENOENT.
 */
#define KSYMS_MAX_SIZE (64 * 1024)
int ksyms_lookup(const struct ksyms *k, uint64_t addr, struct ksym *sym,
		 uint64_t *off);

/*
 * addr as "function+0xoff", "function+0xoff [module]", or, where k is
 * NULL or has no symbol for it, "0xaddr". Returns snprintf's count.
 */
int ksyms_format(const struct ksyms *k, uint64_t addr, char *buf, size_t len);

#endif /* DRSNOOP_KSYMS_H */
