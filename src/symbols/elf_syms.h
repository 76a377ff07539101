/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_ELF_SYMS_H
#define DRSNOOP_ELF_SYMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The function symbols of one ELF file (.symtab and .dynsym, through
 * libelf), sorted by address, and its PT_LOAD segments, which turn a file
 * offset into the address the symbols use.
 */
struct elf_syms;

/*
 * The symbols of the size bytes of the file fd holds (a regular file,
 * mapped and read, and never truncated meanwhile: that would be SIGBUS).
 * A file that is not ELF or cannot be read gives a table that names
 * nothing, so that it is not read again. NULL: ENOMEM.
 */
struct elf_syms *elf_syms_load(int fd, uint64_t size);
void elf_syms_free(struct elf_syms *s);

/*
 * The function that holds file offset off, as "function+0xoff" into buf;
 * lookup_off is where to look it up (a return address minus one: the
 * call, which may be a function's last instruction). 0, -ENOENT where no
 * symbol covers it (never the nearest name), -ENOEXEC for a file that
 * could not be read.
 */
int elf_syms_name(const struct elf_syms *s, uint64_t off, uint64_t lookup_off,
		  char *buf, size_t len);

#endif /* DRSNOOP_ELF_SYMS_H */
