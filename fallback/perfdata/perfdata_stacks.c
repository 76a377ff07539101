// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data callchains (perf record -g) as the stacks of their begins, and
 * the kernel symbols that name their kernel frames.
 *
 * A callchain is {nr, ips[nr]}, innermost first, with context markers
 * (PERF_CONTEXT_KERNEL, _USER, ...) before each part: the frames after
 * KERNEL are the kernel stack, those after USER the user stack, the rest
 * (hypervisor, guest) are dropped.
 *
 * Kernel symbols: the file's own where it has them (the kallsyms of its
 * tracing data, which perf wrote until 5.x; perfdata_formats.c keeps it);
 * else this machine's /proc/kallsyms, but only when the file was recorded in
 * this very boot, for a table of another boot or kernel would name frames
 * wrongly. perf.data records no boot id, so that is decided from what it
 * does record: its HEADER_HOSTNAME and HEADER_OSRELEASE equal this
 * machine's; its kernel map ("[kernel.kallsyms]_text", whose pgoff is
 * where _text was) starts at this boot's _text, which differs per boot
 * under KASLR; and the file was written in this boot, after its first
 * stack was taken: its mtime is past this boot's start by at least that
 * stack's time (perf's clock counts from boot, like CLOCK_MONOTONIC).
 * Otherwise kernel frames show addresses, and stderr says why; so too when
 * a _text is found at 0 (kptr_restrict hides addresses from non-root).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "perfdata_reader.h"

#define FEAT_HOSTNAME  3
#define FEAT_OSRELEASE 4

#define PERF_CONTEXT_KERNEL ((uint64_t)-128)
#define PERF_CONTEXT_USER   ((uint64_t)-512)
#define PERF_CONTEXT_MAX    ((uint64_t)-4095)

/* perf's clock and CLOCK_MONOTONIC agree within this. */
#define CLOCK_SLACK_NS 1000000000ULL

/* A feature string: {u32 len; char str[len]}, NUL-padded. */
static void read_string(struct file_reader *r, const uint8_t *hdr, int bit,
			char *buf, size_t len)
{
	struct perf_section sec;
	uint32_t n;

	buf[0] = '\0';
	if (perfdata_feature(r, hdr, bit, &sec) || sec.size < 4 ||
	    perfdata_read_at(r, &n, 4, sec.offset))
		return;
	if (n > sec.size - 4)
		n = sec.size - 4;
	if (n >= len)
		n = len - 1;
	if (perfdata_read_at(r, buf, n, sec.offset + 4))
		n = 0;
	buf[n] = '\0';
}

void perfdata_read_identity(struct file_reader *r, const uint8_t *hdr)
{
	read_string(r, hdr, FEAT_HOSTNAME, r->hostname, sizeof(r->hostname));
	read_string(r, hdr, FEAT_OSRELEASE, r->osrelease, sizeof(r->osrelease));
}

/* {pid, tid, addr, len, pgoff, ..., filename}: pid -1 is the kernel's. */
void perfdata_on_mmap(struct file_reader *r, const uint8_t *rec, uint16_t size,
		      size_t name_at)
{
	static const char kernel[] = "[kernel.kallsyms]";

	if (size < name_at + sizeof(kernel) - 1 || get_u32(rec + 8) != ~0U ||
	    memcmp(rec + name_at, kernel, sizeof(kernel) - 1))
		return;
	r->kernel_text = get_u64(rec + 32);
	r->has_kernel_text = true;
}

uint64_t *perfdata_copy_chain(const uint8_t *p, uint64_t nr)
{
	uint64_t *chain = malloc((nr + 1) * sizeof(*chain));

	if (chain) {
		chain[0] = nr;
		memcpy(chain + 1, p, nr * sizeof(*chain));
	}
	return chain;
}

/* Nanoseconds, 0 before 1970 and UINT64_MAX past 2554: mtimes are data. */
static uint64_t ns_of(const struct timespec *t)
{
	if (t->tv_sec < 0)
		return 0;
	if ((uint64_t)t->tv_sec >= UINT64_MAX / 1000000000ULL)
		return UINT64_MAX;
	return t->tv_sec * 1000000000ULL + t->tv_nsec;
}

/*
 * Whether a stack taken ts after boot is later than mtime (and the slack)
 * allows: a file's ts can be anything, and no sum may wrap.
 */
static bool after_mtime(uint64_t mtime, uint64_t boot, uint64_t ts)
{
	uint64_t taken, latest;

	if (__builtin_add_overflow(boot, ts, &taken))
		return true;
	if (__builtin_add_overflow(mtime, CLOCK_SLACK_NS, &latest))
		return false;
	return latest < taken;
}

/* This boot's _text, which /proc/kallsyms lists near its top; 0 if none. */
static uint64_t this_text(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	unsigned long long addr = 0;
	char name[128];
	bool found = false;

	while (f && !found &&
	       fscanf(f, "%llx %*s %127s%*[^\n]", &addr, name) == 2)
		found = !strcmp(name, "_text");
	if (f)
		fclose(f);
	return found ? addr : 0;
}

/*
 * Read at open, before the file is parsed in the sandbox (sandbox.h),
 * which opens no file: whether the file was recorded here is known only
 * later, at its first kernel frame.
 */
void perfdata_load_host_ksyms(struct file_reader *r)
{
	r->host_text = this_text();
	r->host_ksyms = ksyms_load(NULL);
}

/* Why /proc/kallsyms cannot name the file's frames, or NULL if it can. */
static const char *other_boot(struct file_reader *r, uint64_t ts)
{
	struct timespec real, mono;
	struct utsname u;
	uint64_t boot, mtime, text;

	if (uname(&u) || strcmp(r->hostname, u.nodename) ||
	    strcmp(r->osrelease, u.release))
		return "was recorded on another host or kernel";
	if (!r->has_kernel_text)
		return "has no kernel map";
	text = r->host_text;
	if (!text)
		return "this machine's /proc/kallsyms has no _text (as root?)";
	if (r->kernel_text != text)
		return "was recorded in another boot (its kernel was "
		       "elsewhere)";
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	boot = ns_of(&real) - ns_of(&mono);
	mtime = ns_of(&r->st.st_mtim);
	if (after_mtime(mtime, boot, ts))
		return "was recorded in another boot";
	return NULL;
}

/* The table for the file's kernel frames, decided at the first of them. */
static void hand_ksyms(struct file_reader *r, uint64_t ts)
{
	struct ksyms *k = r->file_ksyms;
	const char *why = NULL;

	r->ksyms_handed = true;
	r->file_ksyms = NULL;
	if (!k) {
		why = other_boot(r, ts);
		if (!why) {
			k = r->host_ksyms;
			r->host_ksyms = NULL;
		}
		if (!why && !k)
			why = "this machine's /proc/kallsyms is unreadable";
	}
	if (why) {
		fprintf(stderr,
			"drsnoop: the perf.data file holds no kernel symbols, "
			"and %s: kernel frames show addresses\n",
			why);
		return;
	}
	replay_kallsyms(r->rp, k);
}

void perfdata_replay_chain(struct file_reader *r, const struct perf_item *it)
{
	uint64_t stacks[PAIR_NR_STACKS][DR_STACK_MAX], ip, i;
	uint32_t nr[PAIR_NR_STACKS] = { 0 };
	int ctx = -1;

	for (i = 1; i <= it->chain[0]; i++) {
		ip = it->chain[i];
		if (ip >= PERF_CONTEXT_MAX) {
			ctx = ip == PERF_CONTEXT_KERNEL ? PAIR_KSTACK :
			      ip == PERF_CONTEXT_USER	? PAIR_USTACK :
							  -1;
			continue;
		}
		/* perf ends some user callchains with a 0: no frame. */
		if (ctx >= 0 && ip && nr[ctx] < DR_STACK_MAX)
			stacks[ctx][nr[ctx]++] = ip;
	}
	if (nr[PAIR_KSTACK] && r->rp->want_stack[PAIR_KSTACK] &&
	    !r->ksyms_handed)
		hand_ksyms(r, it->stamp.ts);
	for (i = 0; i < PAIR_NR_STACKS; i++)
		replay_stack(r->rp, it->rec.tid, it->stamp.ts, i, stacks[i],
			     nr[i]);
}
