// SPDX-License-Identifier: GPL-2.0
/*
 * The stacks of the offline readers (drsnoop -i -K --user-stack, and -K
 * alone on a trace.dat, whose user stacks lie between) against the
 * fixtures recorded with them, tests/fixtures/stacks.dat and
 * stacks.perf.data. The oracle is independent of drsnoop:
 *
 * - trace-cmd report -t prints every kernel_stack frame as "=> name
 *   (addr)" and every user_stack frame as "=> 0xaddr"; a stack belongs to
 *   the begin it follows on the same CPU, from the same task. Each stall
 *   must carry exactly its begin's frames, and its kernel frames must be
 *   named as trace-cmd names them, from the file's own kallsyms.
 * - perf script -F tid,time,event,ip prints a sample's callchain, kernel
 *   frames (their addresses) then user ones (as offsets in their files):
 *   each stall's kernel stack must be those addresses, and its user stack
 *   as many frames, all below the kernel's half.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fallback/file/file_reader.h"
#include "src/symbols/ksyms.h"

#define MAX_BEGINS  1024
#define KERNEL_HALF 0xffff800000000000ULL

struct stack_rec {
	uint64_t ts;
	uint32_t tid;
	uint32_t nk, nu;
	uint64_t k[DR_STACK_MAX];
	uint64_t u[DR_STACK_MAX];
	char names[DR_STACK_MAX][64];
};

static struct stack_rec *oracle, *seen;
static size_t nr_oracle, nr_seen;
static struct ksyms *table;
static int tables;

/* The sink: each stall's stacks copied, its kernel frames named. */
static int on_event(struct dr_sink *sink, const struct dr_event *e)
{
	struct stack_rec *s = &seen[nr_seen++];
	char buf[128];
	uint32_t i;

	assert_true(nr_seen <= MAX_BEGINS);
	s->ts = e->begin_ns;
	s->tid = e->tid;
	s->nk = e->kstack_nr;
	s->nu = e->ustack_nr;
	assert_int_equal(!!s->nk, dr_event_has(e, DR_HAS_KSTACK));
	assert_int_equal(!!s->nu, dr_event_has(e, DR_HAS_USTACK));
	if (s->nk) /* no stack: the pointer may be NULL */
		memcpy(s->k, e->kstack, s->nk * sizeof(s->k[0]));
	if (s->nu)
		memcpy(s->u, e->ustack, s->nu * sizeof(s->u[0]));
	for (i = 0; i < s->nk; i++) {
		ksyms_format(table, s->k[i], buf, sizeof(buf));
		buf[strcspn(buf, "+")] = '\0';
		snprintf(s->names[i], sizeof(s->names[i]), "%.63s", buf);
	}
	return 0;
}

static void on_lost(struct dr_sink *sink, uint64_t count)
{
	fail_msg("%llu events lost", (unsigned long long)count);
}

static void on_ksyms(struct dr_sink *sink, struct ksyms *k)
{
	ksyms_free(table);
	table = k;
	tables++;
}

static void replay(const struct file_reader_ops *ops, const char *path,
		   bool kernel, bool user)
{
	struct dr_sink sink = { .event = on_event,
				.lost = on_lost,
				.ksyms = on_ksyms };
	struct file_replay rp;
	struct file_reader *r;
	char why[256];

	nr_seen = 0;
	tables = 0;
	assert_int_equal(replay_init(&rp, &sink, 0), 0);
	rp.want_stack[PAIR_KSTACK] = kernel;
	rp.want_stack[PAIR_USTACK] = user;
	r = ops->open(path, &rp, false, why, sizeof(why));
	if (!r)
		fail_msg("cannot open '%s': %s", path, why);
	assert_int_equal(ops->read(r, why, sizeof(why)), 0);
	ops->close(r);
	replay_free(&rp);
}

static struct stack_rec *oracle_of(uint32_t tid, uint64_t ts)
{
	size_t i;

	for (i = 0; i < nr_oracle; i++)
		if (oracle[i].tid == tid && oracle[i].ts == ts)
			return &oracle[i];
	return NULL;
}

/* "comm-TID [CPU] SEC.NSEC: event:" of a trace-cmd report line. */
static const char *report_event(const char *line, uint32_t *tid, int *cpu,
				uint64_t *ts)
{
	const char *p = strstr(line, " [");
	unsigned long long sec, nsec;
	const char *dash;
	int n = 0;

	while (p && (p == line || p[-1] < '0' || p[-1] > '9'))
		p = strstr(p + 1, " [");
	if (!p)
		return NULL;
	for (dash = p; dash > line && dash[-1] != '-'; dash--)
		;
	*tid = strtoul(dash, NULL, 10);
	if (sscanf(p, " [%d] %llu.%llu: %n", cpu, &sec, &nsec, &n) != 3 || !n)
		return NULL;
	*ts = sec * 1000000000ULL + nsec;
	return p + n;
}

/* A frame line: kernel "=> name (addr)", user "\t=> 0xaddr". */
static void report_frame(struct stack_rec *b, bool kernel, const char *line)
{
	const char *open = strrchr(line, '(');
	unsigned long long addr;
	char name[64];

	if (!b)
		return;
	if (kernel && open && sscanf(line, " => %63s", name) == 1 &&
	    b->nk < DR_STACK_MAX) {
		addr = strtoull(open + 1, NULL, 16);
		snprintf(b->names[b->nk], sizeof(b->names[0]), "%s", name);
		b->k[b->nk++] = addr;
	} else if (!kernel && sscanf(line, " => %llx", &addr) == 1 && addr &&
		   b->nu < DR_STACK_MAX) {
		b->u[b->nu++] = addr;
	}
}

static void read_report(const char *path)
{
	struct stack_rec *open_[64] = { 0 }, *cur = NULL;
	char cmd[512], line[1024];
	const char *ev, *frame;
	bool kernel = false;
	uint64_t ts;
	uint32_t tid;
	int cpu;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "trace-cmd report -t -i %s 2>/dev/null",
		 path);
	f = popen(cmd, "r");
	assert_non_null(f);
	nr_oracle = 0;
	while (fgets(line, sizeof(line), f)) {
		ev = report_event(line, &tid, &cpu, &ts);
		if (!ev) {
			report_frame(cur, kernel, line);
			continue;
		}
		assert_true(cpu >= 0 && cpu < 64);
		cur = NULL;
		if (!strncmp(ev, "mm_vmscan_direct_reclaim_begin:", 31)) {
			assert_true(nr_oracle < MAX_BEGINS);
			open_[cpu] = &oracle[nr_oracle++];
			memset(open_[cpu], 0, sizeof(*open_[cpu]));
			open_[cpu]->tid = tid;
			open_[cpu]->ts = ts;
		} else if ((!strncmp(ev, "kernel_stack:", 13) ||
			    !strncmp(ev, "user_stack:", 11)) &&
			   open_[cpu] && open_[cpu]->tid == tid) {
			cur = open_[cpu];
			kernel = ev[0] == 'k';
			frame = strstr(ev, "=>");
			if (frame)
				report_frame(cur, kernel, frame);
		} else {
			open_[cpu] = NULL;
		}
	}
	pclose(f);
}

/* Stall s, with the kernel stack trace-cmd shows for its begin, named. */
static const struct stack_rec *check_kernel_stack(const struct stack_rec *s)
{
	const struct stack_rec *o = oracle_of(s->tid, s->ts);
	size_t j;

	assert_non_null(o);
	assert_int_equal(s->nk, o->nk);
	assert_memory_equal(s->k, o->k, o->nk * sizeof(o->k[0]));
	for (j = 0; j < o->nk; j++)
		assert_string_equal(s->names[j], o->names[j]);
	return o;
}

static void test_tracedat_stacks(void **state)
{
	const char *path = "tests/fixtures/stacks.dat";
	const struct stack_rec *o;
	size_t i, with_k = 0, with_u = 0;

	read_report(path);
	assert_true(nr_oracle > 0);
	replay(&tracedat_reader, path, true, true);
	assert_int_equal(nr_seen, nr_oracle);
	assert_true(tables > 0);
	for (i = 0; i < nr_seen; i++) {
		o = check_kernel_stack(&seen[i]);
		assert_int_equal(seen[i].nu, o->nu);
		assert_memory_equal(seen[i].u, o->u, o->nu * sizeof(o->u[0]));
		with_k += seen[i].nk > 0;
		with_u += seen[i].nu > 0;
	}
	/* The recording gave every begin both stacks. */
	assert_int_equal(with_k, nr_seen);
	assert_int_equal(with_u, nr_seen);
}

/*
 * -K alone: the user stack that the recording has between a begin and its
 * kernel stack is passed over, not taken to end the begin's run, and is
 * not delivered.
 */
static void test_tracedat_kernel_stacks_alone(void **state)
{
	const char *path = "tests/fixtures/stacks.dat";
	const struct stack_rec *o;
	size_t i;

	read_report(path);
	replay(&tracedat_reader, path, true, false);
	assert_int_equal(nr_seen, nr_oracle);
	assert_true(tables > 0);
	for (i = 0; i < nr_seen; i++) {
		o = check_kernel_stack(&seen[i]);
		assert_true(o->nk > 0 && o->nu > 0);
		assert_int_equal(seen[i].nu, 0);
	}
}

static void read_script(const char *path)
{
	char cmd[512], line[256], event[128];
	struct stack_rec *cur = NULL;
	unsigned long long sec, nsec, addr;
	unsigned int tid;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "perf script -i %s -F tid,time,event,ip --ns 2>/dev/null",
		 path);
	f = popen(cmd, "r");
	assert_non_null(f);
	nr_oracle = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %llu.%llu: %127s", &tid, &sec, &nsec,
			   event) == 4) {
			cur = NULL;
			if (strcmp(event, "vmscan:mm_vmscan_direct_reclaim_"
					  "begin:"))
				continue;
			assert_true(nr_oracle < MAX_BEGINS);
			cur = &oracle[nr_oracle++];
			memset(cur, 0, sizeof(*cur));
			cur->tid = tid;
			cur->ts = sec * 1000000000ULL + nsec;
		} else if (cur && sscanf(line, " %llx", &addr) == 1 && addr) {
			if (addr >= KERNEL_HALF)
				cur->k[cur->nk++] = addr;
			else
				cur->u[cur->nu++] = addr;
		}
	}
	pclose(f);
}

static void test_perfdata_stacks(void **state)
{
	const char *path = "tests/fixtures/stacks.perf.data";
	const struct stack_rec *o;
	size_t i, j;

	read_script(path);
	assert_true(nr_oracle > 0);
	replay(&perfdata_reader, path, true, true);
	assert_int_equal(nr_seen, nr_oracle);
	for (i = 0; i < nr_seen; i++) {
		o = oracle_of(seen[i].tid, seen[i].ts);
		assert_non_null(o);
		assert_true(o->nk > 0);
		assert_int_equal(seen[i].nk, o->nk);
		assert_memory_equal(seen[i].k, o->k, o->nk * sizeof(o->k[0]));
		assert_int_equal(seen[i].nu, o->nu);
		for (j = 0; j < seen[i].nu; j++)
			assert_true(seen[i].u[j] < KERNEL_HALF);
	}
}

static int setup(void **state)
{
	oracle = calloc(MAX_BEGINS, sizeof(*oracle));
	seen = calloc(MAX_BEGINS, sizeof(*seen));
	return oracle && seen ? 0 : -1;
}

static int teardown(void **state)
{
	ksyms_free(table);
	table = NULL;
	free(oracle);
	free(seen);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tracedat_stacks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_tracedat_kernel_stacks_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perfdata_stacks, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
