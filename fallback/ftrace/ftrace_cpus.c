// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's per-CPU readers: one trace_pipe_raw per CPU buffer
 * of the instance, merged in timestamp order through the time queue,
 * which reads ahead of the merge FTRACE_READ_AHEAD records at most however
 * full the kernel's buffers are; and each CPU's count of events the kernel
 * overwrote.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ftrace_backend.h"
#include "src/sys/tracelibs.h"

static int open_cpu(struct ftrace_state *st, int cpu, char *why, size_t len)
{
	struct ftrace_cpu *c = &st->cpus[st->nr_cpus];
	int size = ftrace_decoder_subbuf_size(&st->dec);
	char path[64];

	snprintf(path, sizeof(path), "per_cpu/cpu%d/trace_pipe_raw", cpu);
	/* An fd inherited by a child would make the rmdir fail (EBUSY). */
	c->fd = sym_tracefs_instance_file_open(
		st->inst, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0) {
		snprintf(why, len, "cannot open '%s/%s': %s", st->dir, path,
			 strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
	c->stats_fd = sym_tracefs_instance_file_open(st->inst, path,
						     O_RDONLY | O_CLOEXEC);
	if (c->stats_fd < 0) {
		snprintf(why, len, "cannot open '%s/%s': %s", st->dir, path,
			 strerror(errno));
		close(c->fd);
		return -1;
	}
	c->tcpu = sym_tracefs_cpu_alloc_fd(c->fd, size, true);
	if (!c->tcpu) {
		close(c->stats_fd);
		close(c->fd);
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	c->cpu = cpu;
	c->lost_counted = 0;
	c->last_ts = 0;
	st->pfds[st->nr_cpus] =
		(struct pollfd){ .fd = c->fd, .events = POLLIN };
	st->nr_cpus++;
	return 0;
}

static int grow_cpus(struct ftrace_state *st)
{
	size_t n = st->nr_cpus + 1;
	struct ftrace_cpu *cpus = realloc(st->cpus, n * sizeof(*cpus));
	struct pollfd *pfds;

	if (!cpus)
		return -1;
	st->cpus = cpus;
	pfds = realloc(st->pfds, n * sizeof(*pfds));
	if (!pfds)
		return -1;
	st->pfds = pfds;
	return 0;
}

/* One reader per per_cpu/cpuN directory: exactly the kernel's buffers. */
int ftrace_open_cpus(struct ftrace_state *st, char *why, size_t len)
{
	char *path = sym_tracefs_instance_get_file(st->inst, "per_cpu");
	struct dirent *de;
	int cpu, err = 0;
	DIR *dir;

	dir = path ? opendir(path) : NULL;
	if (!dir) {
		snprintf(why, len, "cannot open '%s/per_cpu': %s", st->dir,
			 strerror(errno));
		sym_tracefs_put_tracing_file(path);
		return -1;
	}
	while (!err && (de = readdir(dir))) {
		if (sscanf(de->d_name, "cpu%d", &cpu) != 1)
			continue;
		err = grow_cpus(st);
		if (err)
			snprintf(why, len, "%s", strerror(ENOMEM));
		else
			err = open_cpu(st, cpu, why, len);
	}
	closedir(dir);
	sym_tracefs_put_tracing_file(path);
	st->subbuf = malloc(ftrace_decoder_subbuf_size(&st->dec));
	if (!err && !st->subbuf) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		err = -1;
	}
	return err;
}

void ftrace_close_cpus(struct ftrace_state *st)
{
	int i;

	for (i = 0; i < st->nr_cpus; i++) {
		sym_tracefs_cpu_free_fd(st->cpus[i].tcpu);
		close(st->cpus[i].stats_fd);
		close(st->cpus[i].fd);
	}
	st->nr_cpus = 0;
}

/* Read through the file opened at start, which needs no privilege now. */
uint64_t ftrace_overrun(const struct ftrace_cpu *c)
{
	unsigned long long over = 0, dropped = 0;
	char stats[1024], *p;
	ssize_t n;

	n = pread(c->stats_fd, stats, sizeof(stats) - 1, 0);
	if (n <= 0)
		return c->lost_counted;
	stats[n] = '\0';
	p = strstr(stats, "overrun:");
	if (p)
		sscanf(p, "overrun: %llu", &over);
	p = strstr(stats, "dropped events:");
	if (p)
		sscanf(p, "dropped events: %llu", &dropped);
	return over + dropped;
}

/*
 * The CPU to read next: of those not done, the one whose records read so
 * far end earliest; -1 when every one is done.
 */
static int next_cpu(const struct ftrace_state *st)
{
	int i, next = -1;

	for (i = 0; i < st->nr_cpus; i++)
		if (!st->cpus[i].done &&
		    (next < 0 || st->cpus[i].read_to < st->cpus[next].read_to))
			next = i;
	return next;
}

/*
 * What can be handed over: records stamped before the first of the
 * CPUs not done has read to (a later sub-buffer of it may hold more of
 * that stamp), and not past upto.
 */
static uint64_t merged_to(const struct ftrace_state *st, uint64_t upto)
{
	int i = next_cpu(st);

	if (i < 0)
		return upto;
	if (!st->cpus[i].read_to)
		return 0;
	return st->cpus[i].read_to - 1 < upto ? st->cpus[i].read_to - 1 : upto;
}

/* One sub-buffer of CPU i into the queue; done when it has no more. */
static int read_cpu(struct ftrace_state *st, int i, uint64_t upto)
{
	struct ftrace_cpu *c = &st->cpus[i];
	int n = sym_tracefs_cpu_read(c->tcpu, st->subbuf, true), err;

	if (n < 0)
		return -errno;
	if (!n) {
		c->done = true;
		return 0;
	}
	ftrace_record_page(st, i, st->subbuf, n);
	err = ftrace_decode_subbuf(&st->dec, st->subbuf, i, c->last_ts,
				   &st->queue, &c->read_to);
	if (c->read_to > c->last_ts)
		c->last_ts = c->read_to;
	/* Past upto, the rest waits in the kernel's buffer, not in ours. */
	c->done = c->read_to > upto;
	return err;
}

int ftrace_drain_cpus(struct ftrace_state *st, uint64_t upto,
		      int (*fn)(const void *rec, void *ctx))
{
	size_t left = st->queue.nr;
	int i, err = 0;

	for (i = 0; i < st->nr_cpus; i++) {
		st->cpus[i].done = false;
		st->cpus[i].read_to = 0;
	}
	while (!err && (i = next_cpu(st)) >= 0) {
		err = read_cpu(st, i, upto);
		/* Not read ahead: what a flush leaves, a sub-buffer a CPU. */
		if (!err && st->queue.nr >= left + FTRACE_READ_AHEAD) {
			err = time_queue_flush(&st->queue, merged_to(st, upto),
					       fn, st);
			left = st->queue.nr;
		}
	}
	return err ? err : time_queue_flush(&st->queue, upto, fn, st);
}
