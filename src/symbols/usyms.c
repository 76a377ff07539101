// SPDX-License-Identifier: GPL-2.0
/*
 * User stack frames to names. An address is placed in its process's
 * executable file mapping (/proc/PID/maps) and turned into a file offset,
 * which the mapped file's symbols (elf_syms.c) name. Mappings are kept
 * per process and files per (device, inode), both read once. Where a
 * symbolizer runs (live --user-stack: symbolizer.h), it parses the files
 * and names the offsets; drsnoop only opens the files and sends them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "elf_syms.h"
#include "usyms.h"
#include "src/sys/proc_broker.h"
#include "src/sys/symbolizer.h"

/* A mapped file's symbols, by the file's identity. */
struct usym_file {
	dev_t dev;
	ino_t ino;
	struct elf_syms *syms; /* parsed here, where no symbolizer runs */
	int handle; /* the symbolizer's, or -errno */
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

void usyms_free(struct usyms *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nr_procs; i++)
		free_maps(&u->procs[i]);
	for (i = 0; i < u->nr_files; i++) {
		elf_syms_free(u->files[i]->syms);
		free(u->files[i]);
	}
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
/*
 * A /proc file of pid's (maps, or with a range, the file mapped there),
 * through the broker where there is one (live --user-stack:
 * proc_broker.h); else by path (the unit tests' copies). -1 with errno.
 */
static int open_proc(const char *path, uint32_t pid, uint64_t start,
		     uint64_t end)
{
	int fd;

	if (!proc_broker_running())
		return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	fd = proc_broker_open(pid, start, end);
	if (fd >= 0)
		return fd;
	errno = -fd;
	return -1;
}

static int read_maps(const struct usyms *u, struct usym_proc *p)
{
	struct usym_proc now = { .pid = p->pid };
	struct usym_map m, *bigger;
	char path[64], *line = NULL;
	size_t cap = 0, alloc = 0;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%u/maps", u->proc, p->pid);
	fd = open_proc(path, p->pid, 0, 0);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
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

/* The symbols of the file fd holds, read here or by the symbolizer. */
static struct usym_file *load_file(int fd, const struct stat *st, dev_t dev,
				   ino_t ino)
{
	struct usym_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	*f = (struct usym_file){ .dev = dev, .ino = ino, .handle = -ENOEXEC };
	if (symbolizer_started()) {
		f->handle = symbolizer_load(fd, st->st_size);
		return f;
	}
	f->syms = elf_syms_load(fd, st->st_size);
	if (!f->syms) {
		free(f);
		return NULL;
	}
	return f;
}

/*
 * The cached symbols of (dev, ino), or those of the file fd holds, cached
 * as (dev, ino). An fd from map_files is the mapped file itself; one
 * opened by path must still be it. Only the first is taken on trust: on
 * overlayfs, /proc/PID/maps names the real file's device and stat() the
 * overlay's, so the same file would fail the check.
 */
static struct usym_file *file_of(struct usyms *u, int fd, bool mapped,
				 dev_t dev, ino_t ino)
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
	if ((!mapped && (st.st_dev != dev || st.st_ino != ino)) ||
	    !S_ISREG(st.st_mode))
		return NULL;
	bigger = realloc(u->files, (u->nr_files + 1) * sizeof(*bigger));
	if (!bigger)
		return NULL;
	u->files = bigger;
	f = load_file(fd, &st, dev, ino);
	if (f)
		u->files[u->nr_files++] = f;
	return f;
}

/* The symbolizer's tables, by handle (in the symbolizer). */
static struct elf_syms **sym_tables;
static size_t nr_sym_tables;

static int symbolizer_load_elf(int fd, uint64_t size)
{
	struct elf_syms *syms = elf_syms_load(fd, size), **bigger = NULL;

	if (syms && nr_sym_tables < INT32_MAX)
		bigger = realloc(sym_tables,
				 (nr_sym_tables + 1) * sizeof(*bigger));
	if (!bigger) {
		elf_syms_free(syms);
		return -ENOMEM;
	}
	sym_tables = bigger;
	sym_tables[nr_sym_tables] = syms;
	return nr_sym_tables++;
}

static int symbolizer_name_elf(int handle, uint64_t off, uint64_t lookup_off,
			       char *buf, size_t len)
{
	if (handle < 0 || (size_t)handle >= nr_sym_tables)
		return -EINVAL;
	return elf_syms_name(sym_tables[handle], off, lookup_off, buf, len);
}

const struct symbolizer_ops usyms_symbolizer = {
	.load = symbolizer_load_elf,
	.name = symbolizer_name_elf,
};

/* elf_syms_name() of f, here or in the symbolizer. */
static int file_name(const struct usym_file *f, uint64_t off,
		     uint64_t lookup_off, char *buf, size_t len)
{
	if (f->syms)
		return elf_syms_name(f->syms, off, lookup_off, buf, len);
	if (f->handle < 0)
		return f->handle;
	return symbolizer_name(f->handle, off, lookup_off, buf, len);
}

/*
 * The mapped file: through map_files (the very file, even deleted or in
 * another mount namespace) while the process lives, else by its path,
 * but never with the broker: a path is the traced process's to swap.
 */
static int open_mapped(const struct usyms *u, uint32_t pid,
		       const struct usym_map *m, bool *mapped)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%u/map_files/%" PRIx64 "-%" PRIx64,
		 u->proc, pid, m->start, m->end);
	fd = open_proc(path, pid, m->start, m->end);
	*mapped = fd >= 0;
	if (fd >= 0 || m->path[0] != '/' || proc_broker_running())
		return fd;
	return open(m->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
}

static struct usym_file *map_file(struct usyms *u, uint32_t pid,
				  struct usym_map *m)
{
	bool mapped;
	int fd;

	if (m->file || !m->path || !m->ino)
		return m->file;
	m->file = file_of(u, -1, false, m->dev, m->ino);
	if (m->file)
		return m->file;
	fd = open_mapped(u, pid, m, &mapped);
	m->file = file_of(u, fd, mapped, m->dev, m->ino);
	if (fd >= 0)
		close(fd);
	return m->file;
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
	    !file_name(f, off, off - (ret_addr && off), buf, USYMS_FRAME_LEN))
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

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	f = file_of(u, fd, false, st.st_dev, st.st_ino);
	close(fd);
	if (!f)
		return -ENOMEM;
	return file_name(f, off, off, buf, len);
}
