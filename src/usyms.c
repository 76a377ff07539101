// SPDX-License-Identifier: GPL-2.0
/*
 * User stack frames to names. An address is placed in its process's
 * executable file mapping (/proc/PID/maps), turned into a file offset,
 * then into the file's virtual address through its PT_LOAD segments
 * (which is what makes PIE executables and shared libraries work), and
 * looked up among the file's function symbols, which have sizes: an
 * address that no symbol covers, as in a stripped file, stays unknown
 * rather than borrowing the nearest name.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "usyms.h"

#define MAX_SEGS 16

struct usym {
	uint64_t addr;
	uint64_t size;
	size_t name; /* offset in the file's names */
};

/* A file's function symbols, by address, or a file that cannot be read. */
struct usym_file {
	dev_t dev;
	ino_t ino;
	bool bad;
	struct usym *syms;
	size_t nr;
	char *names;
	size_t names_len, names_cap;
	GElf_Phdr segs[MAX_SEGS]; /* PT_LOAD */
	int nr_segs;
};

struct usym_map {
	uint64_t start, end, off;
	dev_t dev;
	ino_t ino;
	char *path; /* NULL for an anonymous mapping */
	struct usym_file *file; /* found on first use */
};

struct usym_proc {
	uint32_t pid;
	unsigned long long start_time; /* /proc/PID/stat's, in ticks */
	struct usym_map *maps;
	size_t nr;
};

struct usyms {
	const char *proc;
	struct usym_proc *procs;
	size_t nr_procs;
	struct usym_file **files;
	size_t nr_files;
};

struct usyms *usyms_new(const char *proc)
{
	struct usyms *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->proc = proc;
	elf_version(EV_CURRENT);
	return u;
}

static void free_maps(struct usym_proc *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		free(p->maps[i].path);
	free(p->maps);
	p->maps = NULL;
	p->nr = 0;
}

static void free_file(struct usym_file *f)
{
	free(f->syms);
	free(f->names);
	free(f);
}

void usyms_free(struct usyms *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nr_procs; i++)
		free_maps(&u->procs[i]);
	for (i = 0; i < u->nr_files; i++)
		free_file(u->files[i]);
	free(u->procs);
	free(u->files);
	free(u);
}

/* Field 22 of /proc/PID/stat, after the comm, which may hold ") ". */
static int read_start_time(const struct usyms *u, uint32_t pid,
			   unsigned long long *t)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "%s/%u/stat", u->proc, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	for (i = 0; p && i < 20; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", t) != 1)
		return -EIO;
	return 0;
}

/* One line of /proc/PID/maps, if it maps code; false otherwise. */
static bool parse_map(char *line, struct usym_map *m)
{
	unsigned long long start, end, off, ino;
	unsigned int major, minor;
	char perms[5];
	int pos = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end,
		   perms, &off, &major, &minor, &ino, &pos) < 7 ||
	    perms[2] != 'x')
		return false;
	line[strcspn(line, "\n")] = '\0';
	*m = (struct usym_map){ .start = start,
				.end = end,
				.off = off,
				.dev = makedev(major, minor),
				.ino = ino };
	if (pos && line[pos])
		m->path = strdup(line + pos);
	return true;
}

/*
 * Reads pid's code mappings; a process whose maps hold none (a zombie,
 * or one exiting, whose mm is gone) keeps those read while it lived.
 */
static int read_maps(const struct usyms *u, struct usym_proc *p)
{
	struct usym_proc now = { .pid = p->pid };
	struct usym_map m, *bigger;
	char path[64], *line = NULL;
	size_t cap = 0, alloc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/maps", u->proc, p->pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (!parse_map(line, &m))
			continue;
		if (now.nr == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			bigger = realloc(now.maps, alloc * sizeof(*bigger));
			if (!bigger) {
				free(m.path);
				break;
			}
			now.maps = bigger;
		}
		now.maps[now.nr++] = m;
	}
	free(line);
	fclose(f);
	if (!now.nr)
		return -ESRCH;
	free_maps(p);
	p->maps = now.maps;
	p->nr = now.nr;
	return 0;
}

static struct usym_proc *find_proc(struct usyms *u, uint32_t pid)
{
	struct usym_proc *bigger;
	size_t i;

	for (i = 0; i < u->nr_procs; i++)
		if (u->procs[i].pid == pid)
			return &u->procs[i];
	bigger = realloc(u->procs, (u->nr_procs + 1) * sizeof(*bigger));
	if (!bigger)
		return NULL;
	u->procs = bigger;
	u->procs[u->nr_procs] = (struct usym_proc){ .pid = pid };
	return &u->procs[u->nr_procs++];
}

/*
 * The mappings of pid as they are now, if it lives and is the process
 * they were read from; else those read while it lived.
 */
static struct usym_proc *proc_of(struct usyms *u, uint32_t pid, bool reread)
{
	struct usym_proc *p = find_proc(u, pid);
	unsigned long long t;

	if (!p || read_start_time(u, pid, &t))
		return p;
	if (!p->maps || reread || t != p->start_time) {
		p->start_time = t;
		read_maps(u, p);
	}
	return p;
}

static const struct usym_map *map_of(const struct usym_proc *p, uint64_t addr)
{
	size_t i;

	for (i = 0; p && i < p->nr; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

static int by_addr(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size > y->size ? -1 : x->size < y->size;
}

/* Appends s to the file's names; returns its offset, or (size_t)-1. */
static size_t add_name(struct usym_file *f, const char *s)
{
	size_t n = strlen(s) + 1, at = f->names_len;
	char *bigger;

	if (at + n > f->names_cap) {
		bigger = realloc(f->names, (at + n) * 2);
		if (!bigger)
			return (size_t)-1;
		f->names = bigger;
		f->names_cap = (at + n) * 2;
	}
	memcpy(f->names + at, s, n);
	f->names_len += n;
	return at;
}

/* The defined, sized functions of one symbol table section. */
static int add_symbols(struct usym_file *f, Elf *elf, Elf_Scn *scn,
		       const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n, at;
	struct usym *bigger;
	const char *name;
	GElf_Sym sym;

	if (!data || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	bigger = realloc(f->syms, (f->nr + n) * sizeof(*bigger));
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
			(struct usym){ sym.st_value, sym.st_size, at };
	}
	return 0;
}

static int read_elf(struct usym_file *f, Elf *elf)
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
	qsort(f->syms, f->nr, sizeof(*f->syms), by_addr);
	return 0;
}

static struct usym_file *load_file(int fd, const struct stat *st)
{
	struct usym_file *f = calloc(1, sizeof(*f));
	Elf *elf;

	if (!f)
		return NULL;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || read_elf(f, elf)) {
		free(f->syms);
		free(f->names);
		f->syms = NULL;
		f->names = NULL;
		f->nr = 0;
		f->bad = true;
	}
	elf_end(elf);
	return f;
}

/* The cached file of (dev, ino), or the one fd holds, cached. */
static struct usym_file *file_of(struct usyms *u, int fd, dev_t dev, ino_t ino)
{
	struct usym_file **bigger, *f;
	struct stat st;
	size_t i;

	for (i = 0; i < u->nr_files; i++)
		if (u->files[i]->dev == dev && u->files[i]->ino == ino)
			return u->files[i];
	if (fd < 0 || fstat(fd, &st))
		return NULL;
	/* The file at that path now is not the one that was mapped. */
	if (st.st_dev != dev || st.st_ino != ino)
		return NULL;
	bigger = realloc(u->files, (u->nr_files + 1) * sizeof(*bigger));
	if (!bigger)
		return NULL;
	u->files = bigger;
	f = load_file(fd, &st);
	if (f)
		u->files[u->nr_files++] = f;
	return f;
}

/*
 * The mapped file: through map_files (the very file, even deleted or in
 * another mount namespace) while the process lives, else by its path.
 */
static int open_mapped(const struct usyms *u, uint32_t pid,
		       const struct usym_map *m)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%u/map_files/%" PRIx64 "-%" PRIx64,
		 u->proc, pid, m->start, m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || m->path[0] != '/')
		return fd;
	return open(m->path, O_RDONLY | O_CLOEXEC);
}

static struct usym_file *map_file(struct usyms *u, uint32_t pid,
				  struct usym_map *m)
{
	int fd;

	if (m->file || !m->path || !m->ino)
		return m->file;
	m->file = file_of(u, -1, m->dev, m->ino);
	if (m->file)
		return m->file;
	fd = open_mapped(u, pid, m);
	m->file = file_of(u, fd, m->dev, m->ino);
	if (fd >= 0)
		close(fd);
	return m->file;
}

/* The file offset off as the address its PT_LOAD segment gives it. */
static bool file_vaddr(const struct usym_file *f, uint64_t off, uint64_t *vaddr)
{
	int i;

	for (i = 0; i < f->nr_segs; i++) {
		const GElf_Phdr *s = &f->segs[i];

		if (off >= s->p_offset && off < s->p_offset + s->p_filesz) {
			*vaddr = off - s->p_offset + s->p_vaddr;
			return true;
		}
	}
	return false;
}

/* The symbol covering vaddr; nested or aliased symbols looked back on. */
static const struct usym *symbol_at(const struct usym_file *f, uint64_t vaddr)
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
		if (vaddr < f->syms[lo - 1].addr + f->syms[lo - 1].size)
			return &f->syms[lo - 1];
	return NULL;
}

/*
 * The name of file offset off; lookup_off is where to look it up (a
 * return address minus one: the call, which may be a function's last
 * instruction).
 */
static int name_offset(const struct usym_file *f, uint64_t off,
		       uint64_t lookup_off, char *buf, size_t len)
{
	const struct usym *s;
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

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void resolve_one(struct usyms *u, struct usym_proc *p, uint64_t addr,
			bool ret_addr, char *buf)
{
	struct usym_map *m = (struct usym_map *)map_of(p, addr);
	struct usym_file *f;
	uint64_t off;

	if (!m || !m->path) {
		snprintf(buf, USYMS_FRAME_LEN, "[unknown] 0x%" PRIx64, addr);
		return;
	}
	off = addr - m->start + m->off;
	f = map_file(u, p->pid, m);
	if (f &&
	    !name_offset(f, off, off - (ret_addr && off), buf, USYMS_FRAME_LEN))
		return;
	snprintf(buf, USYMS_FRAME_LEN, "[unknown] %s+0x%" PRIx64,
		 base_name(m->path), off);
}

void usyms_resolve(struct usyms *u, uint32_t pid, const uint64_t *addrs,
		   uint32_t n, char (*out)[USYMS_FRAME_LEN])
{
	struct usym_proc *p = proc_of(u, pid, false);
	uint32_t i;

	/* Mapped since we read the maps (dlopen, a JIT): read them again. */
	for (i = 0; p && i < n; i++)
		if (!map_of(p, addrs[i])) {
			p = proc_of(u, pid, true);
			break;
		}
	for (i = 0; i < n; i++)
		resolve_one(u, p, addrs[i], i > 0, out[i]);
}

int usyms_file_symbol(struct usyms *u, const char *path, uint64_t off,
		      char *buf, size_t len)
{
	struct usym_file *f;
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	f = file_of(u, fd, st.st_dev, st.st_ino);
	close(fd);
	if (!f)
		return -ENOMEM;
	return name_offset(f, off, off, buf, len);
}
