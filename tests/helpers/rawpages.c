// SPDX-License-Identifier: GPL-2.0
/*
 * rawpages - replicate recorded ftrace ring-buffer pages, shifted in time,
 * to build a large trace.dat out of real events.
 *
 * For scripts/bench's offline row. A workload run gives a few hundred
 * direct reclaim stalls; a million events would take hours of real
 * reclaim. So the bench records real events into a tracefs instance,
 * saves each CPU's raw pages (per_cpu/cpuN/trace_pipe_raw), and this
 * writes COPIES copies of every file, copy k with k * SPAN added to each
 * page's timestamp, SPAN being the recording's length plus 1 ms: event
 * times inside a page are deltas from the page's timestamp, so every
 * event moves with its page, and copies follow each other in time without
 * overlapping. trace-cmd restore then wraps the files into a trace.dat.
 *
 *   rawpages -n COPIES -o OUTDIR CPUFILE...
 *
 * Prints "events N span_ns S" (N data events in one copy of all files).
 * Pages are 4096 bytes with a 64-bit timestamp and commit, as
 * events/header_page says on x86_64 and the other 64-bit kernels.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_SZ		 4096
#define PAGE_HDR	 16 /* u64 timestamp, local_t commit */
#define COMMIT_MASK	 ((1ULL << 30) - 1) /* above: missed-event flags */
#define TYPE_PADDING	 29
#define TYPE_TIME_EXTEND 30
#define TYPE_TIME_STAMP	 31
#define GAP_NS		 1000000ULL

struct rawfile {
	const char *path;
	unsigned char *buf;
	size_t size;
};

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Walks one page: counts data events, returns the last event's time. */
static int walk_page(const unsigned char *page, uint64_t *last,
		     unsigned long *events)
{
	uint64_t ts = get64(page), size = get64(page + 8) & COMMIT_MASK;
	const unsigned char *p = page + PAGE_HDR, *end = p + size;
	uint32_t h, type, delta, len;

	if (size > PAGE_SZ - PAGE_HDR)
		return -1;
	while (p + 4 <= end) {
		h = get32(p);
		type = h & 31;
		delta = h >> 5;
		if (type == TYPE_PADDING && !delta)
			break; /* the rest of the page is empty */
		if (type == TYPE_TIME_STAMP)
			return -1; /* absolute: would not move with the page */
		if (type != TYPE_TIME_EXTEND && type && type < TYPE_PADDING) {
			len = 4 + type * 4;
		} else {
			if (p + 8 > end)
				return -1;
			len = type == TYPE_TIME_EXTEND ? 8 : 4 + get32(p + 4);
		}
		if (type == TYPE_TIME_EXTEND)
			ts += delta | (uint64_t)get32(p + 4) << 27;
		else if (type != TYPE_PADDING)
			ts += delta;
		if (type < TYPE_PADDING)
			(*events)++;
		p += len;
	}
	*last = ts;
	return 0;
}

static int read_file(struct rawfile *f)
{
	FILE *in = fopen(f->path, "rb");
	long n;

	if (!in)
		return -1;
	fseek(in, 0, SEEK_END);
	n = ftell(in);
	rewind(in);
	f->size = n;
	f->buf = malloc(n ? n : 1);
	if (n < 0 || n % PAGE_SZ || !f->buf ||
	    fread(f->buf, 1, n, in) != (size_t)n) {
		fclose(in);
		errno = EINVAL;
		return -1;
	}
	return fclose(in);
}

/* The time range of all files' events, and their data event count. */
static int scan(struct rawfile *files, int nr, uint64_t *first, uint64_t *last,
		unsigned long *events)
{
	uint64_t t;
	size_t off;
	int i;

	*first = UINT64_MAX;
	*last = 0;
	for (i = 0; i < nr; i++) {
		for (off = 0; off < files[i].size; off += PAGE_SZ) {
			if (!(get64(files[i].buf + off + 8) & COMMIT_MASK))
				continue; /* an empty page */
			if (walk_page(files[i].buf + off, &t, events)) {
				fprintf(stderr,
					"rawpages: '%s': page %zu has "
					"an event this cannot move\n",
					files[i].path, off / PAGE_SZ);
				return -1;
			}
			if (get64(files[i].buf + off) < *first)
				*first = get64(files[i].buf + off);
			if (t > *last)
				*last = t;
		}
	}
	return *first <= *last ? 0 : -1;
}

static int write_copies(const struct rawfile *f, const char *dir,
			unsigned long copies, uint64_t span)
{
	char path[4096], *base = strdup(f->path);
	unsigned char page[PAGE_SZ];
	unsigned long k;
	uint64_t ts;
	size_t off;
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, basename(base));
	free(base);
	out = fopen(path, "wb");
	if (!out)
		return -1;
	for (k = 0; k < copies; k++) {
		for (off = 0; off < f->size; off += PAGE_SZ) {
			memcpy(page, f->buf + off, PAGE_SZ);
			ts = get64(page) + k * span;
			memcpy(page, &ts, sizeof(ts));
			fwrite(page, 1, PAGE_SZ, out);
		}
	}
	return fclose(out);
}

int main(int argc, char **argv)
{
	unsigned long copies = 0, events = 0;
	const char *dir = NULL;
	struct rawfile *files;
	uint64_t first, last;
	int opt, i, nr;

	while ((opt = getopt(argc, argv, "n:o:")) != -1) {
		if (opt == 'n')
			copies = strtoul(optarg, NULL, 10);
		else if (opt == 'o')
			dir = optarg;
		else
			goto usage;
	}
	nr = argc - optind;
	if (!copies || !dir || nr < 1)
		goto usage;
	files = calloc(nr, sizeof(*files));
	for (i = 0; i < nr; i++) {
		files[i].path = argv[optind + i];
		if (read_file(&files[i])) {
			fprintf(stderr, "rawpages: cannot read '%s': %s\n",
				files[i].path, strerror(errno));
			return 1;
		}
	}
	if (scan(files, nr, &first, &last, &events))
		return 1;
	for (i = 0; i < nr; i++) {
		if (write_copies(&files[i], dir, copies,
				 last - first + GAP_NS)) {
			fprintf(stderr,
				"rawpages: cannot write '%s' to '%s': %s\n",
				files[i].path, dir, strerror(errno));
			return 1;
		}
	}
	printf("events %lu span_ns %llu\n", events,
	       (unsigned long long)(last - first + GAP_NS));
	return 0;
usage:
	fprintf(stderr, "usage: rawpages -n COPIES -o OUTDIR CPUFILE...\n");
	return 2;
}
