// SPDX-License-Identifier: GPL-2.0
/*
 * An event's raw stack addresses to frame names: the kernel's through
 * ksyms, the user's through usyms. Shared by every output mode, so a
 * stack is symbolized once per event whatever prints it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include "src/sys/privs.h"
#include "stacks.h"

void stacks_init(struct dr_stacks *s, bool kernel, bool user)
{
	*s = (struct dr_stacks){ .kernel = kernel,
				 .user = user,
				 .kallsyms_fd = -1 };
}

void stacks_free(struct dr_stacks *s)
{
	if (s->kallsyms_fd >= 0)
		close(s->kallsyms_fd);
	ksyms_free(s->ksyms);
	usyms_free(s->usyms);
	free(s->frames);
	s->kallsyms_fd = -1;
	s->ksyms = NULL;
	s->usyms = NULL;
	s->frames = NULL;
}

void stacks_set_ksyms(struct dr_stacks *s, struct ksyms *k)
{
	ksyms_free(s->ksyms);
	s->ksyms = k;
	s->ksyms_tried = true;
}

/*
 * /proc/kallsyms, once, at the first stack; kernel frames show addresses
 * where it fails. Read from the descriptor stacks_set_live() opened.
 */
static void load_kallsyms(struct dr_stacks *s)
{
	s->ksyms_tried = true;
	if (!s->live)
		return;
	if (s->kallsyms_fd >= 0) {
		s->ksyms = ksyms_read(s->kallsyms_fd);
		s->kallsyms_errno = errno;
		close(s->kallsyms_fd);
		s->kallsyms_fd = -1;
	}
	if (!s->ksyms)
		fprintf(stderr,
			"drsnoop: cannot read kernel symbols from "
			"'/proc/kallsyms': %s: kernel frames show "
			"addresses\n",
			s->kallsyms_errno == ENOENT ?
				"every address is 0 (run as root)" :
				strerror(s->kallsyms_errno));
}

/*
 * Tracing live, /proc/kallsyms is opened at once, while drsnoop still has
 * the privileges that show its addresses (see privs.h): the kernel
 * decides that when the file is opened. Reading it takes tens of
 * milliseconds, so that waits for the first stack, after the header.
 */
void stacks_set_live(struct dr_stacks *s, bool live)
{
	s->live = live;
	if (!live || !s->kernel || s->ksyms_tried || s->kallsyms_fd >= 0)
		return;
	s->kallsyms_fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (s->kallsyms_fd < 0)
		s->kallsyms_errno = errno;
}

/*
 * User frames are read from /proc/PID/maps and the files mapped there,
 * for any process that stalls: reading another user's (or a privileged
 * one's) takes CAP_SYS_PTRACE, and opening a file through map_files
 * CAP_CHECKPOINT_RESTORE.
 */
uint64_t stacks_keep_caps(const struct dr_stacks *s)
{
	if (!s->user || !s->live)
		return 0;
	return PRIVS_CAP(CAP_SYS_PTRACE) | PRIVS_CAP(CAP_CHECKPOINT_RESTORE);
}

/*
 * A frame of the tracer rather than of the stalled task: a BPF program,
 * the BPF side's tracepoint glue, ftrace's (where a stacktrace trigger or
 * trace-cmd record -T takes the stack), or the tracepoint's iterator,
 * which is on the stack only when several tracers share the tracepoint.
 */
static bool tracer_frame(const struct ksyms *k, uint64_t addr)
{
	static const char *const prefixes[] = { "__traceiter_", "__bpf_trace_",
						"bpf_trace_run",
						"trace_event_raw_event_" };
	struct ksym sym;
	uint64_t off;
	size_t i;

	if (ksyms_lookup(k, addr, &sym, &off))
		return false;
	if (sym.module && !strcmp(sym.module, "bpf"))
		return true;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sym.name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The stack from the tracepoint's caller: the tracer's frames dropped. */
static void kernel_frames(struct dr_stacks *s, const struct dr_event *e,
			  struct dr_frames *f)
{
	uint32_t n = e->kstack_nr < DR_STACK_MAX ? e->kstack_nr : DR_STACK_MAX;
	uint32_t skip = 0, i;

	if (!s->ksyms_tried)
		load_kallsyms(s);
	while (skip < n && tracer_frame(s->ksyms, e->kstack[skip]))
		skip++;
	f->nr_k = n - skip;
	for (i = 0; i < f->nr_k; i++)
		ksyms_format(s->ksyms, e->kstack[skip + i], f->k[i],
			     sizeof(f->k[i]));
}

static void user_frames(struct dr_stacks *s, const struct dr_event *e,
			struct dr_frames *f)
{
	uint32_t i;

	f->nr_u = e->ustack_nr < DR_STACK_MAX ? e->ustack_nr : DR_STACK_MAX;
	if (s->live && !s->usyms)
		s->usyms = usyms_new("/proc");
	if (s->usyms && dr_event_has(e, DR_HAS_PID)) {
		usyms_resolve(s->usyms, e->pid, e->ustack, f->nr_u, f->u);
		return;
	}
	for (i = 0; i < f->nr_u; i++)
		snprintf(f->u[i], sizeof(f->u[i]), "[unknown] 0x%llx",
			 (unsigned long long)e->ustack[i]);
}

const struct dr_frames *stacks_resolve(struct dr_stacks *s,
				       const struct dr_event *e)
{
	struct dr_frames *f;

	if (!s->kernel && !s->user)
		return NULL;
	if (!s->frames)
		s->frames = malloc(sizeof(*s->frames));
	f = s->frames;
	if (!f)
		return NULL;
	f->has_k = s->kernel && dr_event_has(e, DR_HAS_KSTACK);
	f->has_u = s->user && dr_event_has(e, DR_HAS_USTACK);
	f->nr_k = f->nr_u = 0;
	if (f->has_k)
		kernel_frames(s, e, f);
	if (f->has_u)
		user_frames(s, e, f);
	return f;
}

void stacks_fold_frame(const char *frame, char *out, size_t len)
{
	const char *plus = strstr(frame, "+0x");
	size_t n = plus ? (size_t)(plus - frame) : strlen(frame);
	size_t i;

	if (n >= len)
		n = len - 1;
	/* ';' separates frames in the folded format. */
	for (i = 0; i < n; i++)
		out[i] = frame[i] == ';' ? ':' : frame[i];
	out[n] = '\0';
}
