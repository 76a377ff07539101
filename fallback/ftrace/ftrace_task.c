// SPDX-License-Identifier: GPL-2.0
/*
 * Who stalled, for the ftrace backend: raw events carry only the thread
 * id, so its comm, tgid, uid and cgroup are read from /proc, or
 * remembered from its earlier stalls, or taken from saved_cmdlines.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ftrace_backend.h"

static bool read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

static void set_comm(struct dr_event *e, const char *comm)
{
	size_t n = strcspn(comm, "\n");

	if (n >= DR_COMM_LEN)
		n = DR_COMM_LEN - 1;
	memset(e->comm, 0, sizeof(e->comm));
	memcpy(e->comm, comm, n);
	e->fields |= DR_HAS_COMM;
}

/* The kernel's pid -> comm cache, for a task that has already exited. */
static void saved_comm(struct ftrace_state *st, struct dr_event *e)
{
	const char *comm = ftrace_cmdlines_comm(&st->cmdlines, e->tid);

	if (comm)
		set_comm(e, comm);
}

/*
 * The task's cgroup (with --memcg or --cgroup), like its comm, from /proc
 * when the stall is read: a task that has moved since is in its new one.
 */
static void read_cgroup(struct ftrace_state *st, struct dr_event *e)
{
	char rel[DR_CGROUP_PATH_MAX];

	if (options_want_cgroup(st->o) &&
	    !cgroup_of_task(&st->o->cgroup_tree, e->tid, &e->cgroup_id, rel,
			    sizeof(rel)))
		e->fields |= DR_HAS_CGROUP;
}

static bool read_status(struct dr_event *e)
{
	char path[32], buf[2048], *p;

	snprintf(path, sizeof(path), "/proc/%u/comm", e->tid);
	if (!read_text(path, buf, sizeof(buf)))
		return false;
	set_comm(e, buf);
	snprintf(path, sizeof(path), "/proc/%u/status", e->tid);
	if (!read_text(path, buf, sizeof(buf)))
		return false;
	p = strstr(buf, "\nTgid:");
	if (p && sscanf(p, "\nTgid: %u", &e->pid) == 1)
		e->fields |= DR_HAS_PID;
	p = strstr(buf, "\nUid:");
	if (p && sscanf(p, "\nUid: %u", &e->uid) == 1)
		e->fields |= DR_HAS_UID;
	return true;
}

#define PF_EXITING 0x00000004 /* include/linux/sched.h */

/*
 * The task has begun to exit: the kernel sets PF_EXITING (in /proc's stat,
 * the ninth field, after the comm in parentheses) before it moves the task
 * to the root cgroup, and it stays set, zombie included.
 */
static bool task_exiting(uint32_t tid)
{
	char path[32], buf[512], *p;
	unsigned int flags;

	snprintf(path, sizeof(path), "/proc/%u/stat", tid);
	if (!read_text(path, buf, sizeof(buf)))
		return true;
	p = strrchr(buf, ')');
	if (!p || sscanf(p, ") %*c %*d %*d %*d %*d %*d %u", &flags) != 1)
		return true;
	return flags & PF_EXITING;
}

/*
 * Raw events carry only the thread id: comm, tgid, uid (and cgroup) come
 * from /proc when the stall is read, a few milliseconds after it ended, so
 * they are right for tasks that started after drsnoop did. A thread that has
 * exited by then is known from its earlier stalls, or else by its comm alone,
 * from the kernel's saved_cmdlines. An exiting one has been moved to the
 * root cgroup: its cgroup is that of its earlier stalls, or unknown.
 */
void ftrace_identify_task(struct ftrace_state *st, struct dr_event *e)
{
	const uint32_t known =
		DR_HAS_PID | DR_HAS_UID | DR_HAS_COMM | DR_HAS_CGROUP;
	struct task_id *t = &st->task_ids[e->tid % NR_TASK_IDS];

	if (read_status(e)) {
		read_cgroup(st, e);
		/* Checked after: a cgroup read before the exit began is its. */
		if (options_want_cgroup(st->o) && task_exiting(e->tid)) {
			e->fields &= ~DR_HAS_CGROUP;
			if (t->tid == e->tid && (t->fields & DR_HAS_CGROUP)) {
				e->cgroup_id = t->cgroup_id;
				e->fields |= DR_HAS_CGROUP;
			}
		}
		*t = (struct task_id){ .tid = e->tid,
				       .pid = e->pid,
				       .uid = e->uid,
				       .cgroup_id = e->cgroup_id,
				       .fields = e->fields & known };
		memcpy(t->comm, e->comm, sizeof(t->comm));
	} else if (t->tid == e->tid && t->fields) {
		e->pid = t->pid;
		e->uid = t->uid;
		e->cgroup_id = t->cgroup_id;
		e->fields |= t->fields;
		memcpy(e->comm, t->comm, sizeof(e->comm));
	} else {
		saved_comm(st, e);
	}
}
