// SPDX-License-Identifier: GPL-2.0
/*
 * One ELF file's function symbols. Only symbols with a size are kept, so
 * that an address no symbol covers, as in a stripped file, stays unknown
 * rather than borrowing the nearest name; file offsets become the file's
 * virtual addresses through its PT_LOAD segments, which is what makes PIE
 * executables and shared libraries work. Every size, offset and address
 * is the file's to choose: products and sums of them are checked.
 */
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "elf_syms.h"

#define MAX_SEGS 16

struct elf_sym {
	uint64_t addr;
	uint64_t size;
	size_t name; /* offset in the file's names */
};

struct elf_syms {
	bool bad; /* not ELF, or unreadable */
	struct elf_sym *syms;
	size_t nr;
	char *names;
	size_t names_len, names_cap;
	GElf_Phdr segs[MAX_SEGS]; /* PT_LOAD */
	int nr_segs;
};

static int by_addr(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size > y->size ? -1 : x->size < y->size;
}

/* Appends s to the file's names; returns its offset, or (size_t)-1. */
static size_t add_name(struct elf_syms *f, const char *s)
{
	size_t n = strlen(s) + 1, at = f->names_len, need, cap;
	char *bigger;

	if (__builtin_add_overflow(at, n, &need))
		return (size_t)-1;
	if (need > f->names_cap) {
		if (__builtin_mul_overflow(need, 2, &cap))
			return (size_t)-1;
		bigger = realloc(f->names, cap);
		if (!bigger)
			return (size_t)-1;
		f->names = bigger;
		f->names_cap = cap;
	}
	memcpy(f->names + at, s, n);
	f->names_len += n;
	return at;
}

/* The defined, sized functions of one symbol table section. */
static int add_symbols(struct elf_syms *f, Elf *elf, Elf_Scn *scn,
		       const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t sym_size = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t i, n, at, bytes;
	struct elf_sym *bigger;
	const char *name;
	GElf_Sym sym;

	/* What gelf_getsym() can read, whatever sh_entsize says. */
	if (!data || !sym_size)
		return 0;
	n = data->d_size / sym_size;
	if (__builtin_add_overflow(f->nr, n, &bytes) ||
	    __builtin_mul_overflow(bytes, sizeof(*bigger), &bytes))
		return -EFBIG;
	bigger = realloc(f->syms, bytes);
	if (!bigger)
		return -ENOMEM;
	f->syms = bigger;
	for (i = 0; i < n; i++) {
		if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF ||
		    !sym.st_size || !sym.st_value)
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		    GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		at = add_name(f, name);
		if (at == (size_t)-1)
			return -ENOMEM;
		f->syms[f->nr++] =
			(struct elf_sym){ sym.st_value, sym.st_size, at };
	}
	return 0;
}

static int read_elf(struct elf_syms *f, Elf *elf)
{
	size_t nr_phdr, i;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Phdr ph;
	int err;

	if (elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nr_phdr))
		return -ENOEXEC;
	for (i = 0; i < nr_phdr && f->nr_segs < MAX_SEGS; i++)
		if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD)
			f->segs[f->nr_segs++] = ph;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		err = add_symbols(f, elf, scn, &sh);
		if (err)
			return err;
	}
	if (f->nr)
		qsort(f->syms, f->nr, sizeof(*f->syms), by_addr);
	return 0;
}

/*
 * The file as libelf's image in memory: mapped by us, with the size we
 * were given, so that libelf needs no system call of its own (fstat()),
 * and a private copy, which libelf may write.
 */
struct elf_syms *elf_syms_load(int fd, uint64_t size)
{
	struct elf_syms *f = calloc(1, sizeof(*f));
	void *image = MAP_FAILED;
	Elf *elf = NULL;

	if (!f)
		return NULL;
	elf_version(EV_CURRENT);
	if (size && size <= SIZE_MAX)
		image = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			     fd, 0);
	if (image != MAP_FAILED)
		elf = elf_memory(image, size);
	if (!elf || read_elf(f, elf)) {
		free(f->syms);
		free(f->names);
		f->syms = NULL;
		f->names = NULL;
		f->nr = 0;
		f->bad = true;
	}
	elf_end(elf);
	if (image != MAP_FAILED)
		munmap(image, size);
	return f;
}

void elf_syms_free(struct elf_syms *f)
{
	if (!f)
		return;
	free(f->syms);
	free(f->names);
	free(f);
}

/* The file offset off as the address its PT_LOAD segment gives it. */
static bool file_vaddr(const struct elf_syms *f, uint64_t off, uint64_t *vaddr)
{
	int i;

	for (i = 0; i < f->nr_segs; i++) {
		const GElf_Phdr *s = &f->segs[i];

		if (off >= s->p_offset && off - s->p_offset < s->p_filesz) {
			*vaddr = off - s->p_offset + s->p_vaddr;
			return true;
		}
	}
	return false;
}

/* The symbol covering vaddr; nested or aliased symbols looked back on. */
static const struct elf_sym *symbol_at(const struct elf_syms *f, uint64_t vaddr)
{
	size_t lo = 0, hi = f->nr, mid, back;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (back = 0; lo > 0 && back < 8; lo--, back++)
		if (vaddr - f->syms[lo - 1].addr < f->syms[lo - 1].size)
			return &f->syms[lo - 1];
	return NULL;
}

int elf_syms_name(const struct elf_syms *f, uint64_t off, uint64_t lookup_off,
		  char *buf, size_t len)
{
	const struct elf_sym *s;
	uint64_t vaddr, look;

	if (f->bad)
		return -ENOEXEC;
	if (!file_vaddr(f, off, &vaddr) || !file_vaddr(f, lookup_off, &look))
		return -ENOENT;
	s = symbol_at(f, look);
	if (!s)
		return -ENOENT;
	snprintf(buf, len, "%s+0x%" PRIx64, f->names + s->name,
		 vaddr - s->addr);
	return 0;
}
