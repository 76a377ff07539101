// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols for stack frames: kallsyms text parsed once into an
 * array sorted by address, looked up by binary search. Only text symbols
 * are kept (stack frames are code addresses). Their names are packed, in
 * place, at the start of the text they were read from, which then
 * shrinks to them: 5 MiB of kallsyms make about 5 MiB of table, half of
 * what keeping the lines and pointers into them took.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ksyms.h"

/*
 * Names are offsets into the table's names; a module's name is stored
 * once for its run of lines, and 0 (an empty name) means the kernel's.
 * Names grow with the lines, so name also orders equal addresses stably.
 */
struct ksym_entry {
	uint64_t addr;
	uint32_t name;
	uint32_t module;
};

struct ksyms {
	char *names;
	struct ksym_entry *syms;
	size_t nr;
	/* For ksyms_add(): the bytes of names used, and their room. */
	size_t names_len, names_cap, syms_cap;
};

/* A line's fields, as parse_line finds them in the line. */
struct ksym_line {
	uint64_t addr;
	const char *name;
	const char *module;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The hex number at *p, up to a space; advances *p past it. */
static bool parse_addr(char **p, uint64_t *addr)
{
	uint64_t v = 0;
	int d, n = 0;

	while ((d = hex_digit(**p)) >= 0 && n < 16) {
		v = v << 4 | d;
		(*p)++;
		n++;
	}
	*addr = v;
	return n && **p == ' ';
}

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/*
 * One NUL-terminated line, "addr type name[\t[module]]", into e; false
 * for a line that is not a text symbol.
 */
static bool parse_line(char *line, struct ksym_line *e)
{
	char *p = line, *mod, *end;

	if (!parse_addr(&p, &e->addr) || !is_text_type(p[1]) || p[2] != ' ')
		return false;
	e->name = p + 3;
	e->module = NULL;
	mod = strchr(e->name, '\t');
	if (mod) {
		*mod++ = '\0';
		end = mod + strlen(mod);
		if (mod[0] == '[' && end > mod + 1 && end[-1] == ']') {
			end[-1] = '\0';
			e->module = mod + 1;
		}
	}
	return e->name[0] != '\0';
}

static int by_addr(const void *a, const void *b)
{
	const struct ksym_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

static size_t count_lines(const char *text, size_t len)
{
	const char *end = text + len;
	size_t n = 1;

	while ((text = memchr(text, '\n', end - text))) {
		text++;
		n++;
	}
	return n;
}

static bool sorted(const struct ksym_entry *s, size_t nr)
{
	size_t i;

	for (i = 1; i < nr; i++)
		if (s[i].addr < s[i - 1].addr)
			return false;
	return true;
}

/*
 * s to the names at *w, in the text it is read from: the names never
 * catch up with the line being read, which is longer than what it adds.
 */
static uint32_t pack(char *text, size_t *w, const char *s)
{
	size_t n = strlen(s) + 1, at = *w;

	memmove(text + at, s, n);
	*w += n;
	return at;
}

static void add_symbol(struct ksyms *k, const struct ksym_line *l, size_t *w,
		       uint32_t *last_mod)
{
	struct ksym_entry *e = &k->syms[k->nr++];
	char *names = k->names;

	e->addr = l->addr;
	e->name = pack(names, w, l->name);
	e->module = 0;
	if (!l->module)
		return;
	if (!*last_mod || strcmp(names + *last_mod, l->module))
		*last_mod = pack(names, w, l->module);
	e->module = *last_mod;
}

/* Builds the table over text (NUL-terminated, len bytes), which it owns. */
static struct ksyms *build(char *text, size_t len)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char *line = text, *nl, *small;
	struct ksym_entry *syms;
	uint32_t last_mod = 0;
	struct ksym_line l;
	bool nonzero = false;
	size_t w = 1; /* names[0] is the empty name */

	if (!k || len >= UINT32_MAX)
		goto out_free;
	k->names = text;
	k->syms_cap = count_lines(text, len);
	k->syms = malloc(k->syms_cap * sizeof(*k->syms));
	if (!k->syms)
		goto out_free;
	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (parse_line(line, &l)) {
			nonzero |= l.addr != 0;
			add_symbol(k, &l, &w, &last_mod);
		}
		text[0] = '\0';
		if (!nl)
			break;
	}
	text[0] = '\0';
	small = realloc(text, w);
	if (small)
		k->names = small;
	k->names_len = k->names_cap = w;
	syms = realloc(k->syms, (k->nr ? k->nr : 1) * sizeof(*syms));
	if (syms) {
		k->syms = syms;
		k->syms_cap = k->nr ? k->nr : 1;
	}
	if (!nonzero) {
		ksyms_free(k);
		errno = ENOENT;
		return NULL;
	}
	if (!sorted(k->syms, k->nr))
		qsort(k->syms, k->nr, sizeof(*k->syms), by_addr);
	return k;
out_free:
	if (k)
		free(k->syms);
	free(k);
	free(text);
	errno = ENOMEM;
	return NULL;
}

struct ksyms *ksyms_parse(const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* A NUL inside the text ends it, as it would end any line. */
	return build(copy, strlen(copy));
}

/* All of fd, NUL-terminated, into *text; kallsyms reports no size. */
static int read_all(int fd, char **text, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t r;

	while (buf) {
		if (cap - n < 65536) {
			bigger = realloc(buf, cap * 2);
			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (!r) {
			buf[n] = '\0';
			*text = buf;
			*len = n;
			return 0;
		}
		n += r;
	}
	free(buf);
	return -ENOMEM;
}

struct ksyms *ksyms_read(int fd)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	err = read_all(fd, &text, &len);
	if (err) {
		errno = -err;
		return NULL;
	}
	return build(text, strnlen(text, len));
}

struct ksyms *ksyms_load(const char *path)
{
	int fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	struct ksyms *k;
	int err;

	if (fd < 0)
		return NULL;
	k = ksyms_read(fd);
	err = errno;
	close(fd);
	errno = err;
	return k;
}

/* The first index whose address is above addr. */
static size_t upper_bound(const struct ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more entry and a name of n bytes; -ENOMEM. */
static int grow(struct ksyms *k, size_t n)
{
	struct ksym_entry *syms;
	char *names;
	size_t cap;

	if (k->nr == k->syms_cap) {
		cap = 2 * k->syms_cap + 16;
		syms = realloc(k->syms, cap * sizeof(*syms));
		if (!syms)
			return -ENOMEM;
		k->syms = syms;
		k->syms_cap = cap;
	}
	if (k->names_cap - k->names_len < n) {
		cap = 2 * k->names_cap + n;
		if (cap >= UINT32_MAX)
			return -ENOMEM;
		names = realloc(k->names, cap);
		if (!names)
			return -ENOMEM;
		k->names = names;
		k->names_cap = cap;
	}
	return 0;
}

int ksyms_add(struct ksyms **kp, uint64_t addr, const char *name)
{
	struct ksyms *k = *kp;
	size_t n = strlen(name) + 1, at;

	if (!k) {
		k = calloc(1, sizeof(*k));
		if (!k || grow(k, 1)) {
			ksyms_free(k);
			return -ENOMEM;
		}
		k->names[0] = '\0'; /* the empty name */
		k->names_len = 1;
		*kp = k;
	}
	if (grow(k, n))
		return -ENOMEM;
	/* After those at addr: the first added stays the one shown. */
	at = upper_bound(k, addr);
	memmove(k->syms + at + 1, k->syms + at,
		(k->nr - at) * sizeof(*k->syms));
	k->syms[at] = (struct ksym_entry){ addr, k->names_len, 0 };
	memcpy(k->names + k->names_len, name, n);
	k->names_len += n;
	k->nr++;
	return 0;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->names);
	free(k);
}

size_t ksyms_count(const struct ksyms *k)
{
	return k ? k->nr : 0;
}

int ksyms_lookup(const struct ksyms *k, uint64_t addr, struct ksym *sym,
		 uint64_t *off)
{
	const struct ksym_entry *e;
	size_t i;

	if (!k || !k->nr)
		return -ENOENT;
	i = upper_bound(k, addr);
	if (!i)
		return -ENOENT;
	e = &k->syms[i - 1];
	if (addr - e->addr >= KSYMS_MAX_SIZE)
		return -ENOENT;
	/* Of the names at one address, the first kallsyms lists. */
	while (e > k->syms && e[-1].addr == e->addr)
		e--;
	*sym = (struct ksym){ e->addr, k->names + e->name,
			      e->module ? k->names + e->module : NULL };
	*off = addr - e->addr;
	return 0;
}

int ksyms_format(const struct ksyms *k, uint64_t addr, char *buf, size_t len)
{
	struct ksym sym;
	uint64_t off;

	if (ksyms_lookup(k, addr, &sym, &off))
		return snprintf(buf, len, "0x%llx", (unsigned long long)addr);
	if (sym.module)
		return snprintf(buf, len, "%s+0x%llx [%s]", sym.name,
				(unsigned long long)off, sym.module);
	return snprintf(buf, len, "%s+0x%llx", sym.name,
			(unsigned long long)off);
}
