// SPDX-License-Identifier: GPL-2.0
/* ftrace's stack events, decoded and matched to the begins they follow. */
#include <stdlib.h>
#include <string.h>
#include "ftrace_stack.h"
#include "number_field.h"
#include "src/sys/tracelibs.h"

/* More buffers than this are not matched (no file has so many CPUs). */
#define MAX_BUFFERS 65536

static const char *const stack_events[PAIR_NR_STACKS] = {
	[PAIR_KSTACK] = "kernel_stack",
	[PAIR_USTACK] = "user_stack",
};

/* A field the decoder can read: a number, or an array of numbers. */
static struct tep_format_field *find_number_field(struct tep_event *ev,
						  const char *name, bool array)
{
	struct tep_format_field *f = sym_tep_find_any_field(ev, name);

	return f && number_field_valid(f, array) ? f : NULL;
}

bool ftrace_stack_fields_init(struct ftrace_stack_fields *sf,
			      struct tep_handle *tep)
{
	struct tep_event *ev;
	int kind;

	*sf = (struct ftrace_stack_fields){ .tep = tep };
	for (kind = 0; kind < PAIR_NR_STACKS; kind++) {
		sf->id[kind] = -1;
		ev = sym_tep_find_event_by_name(tep, "ftrace",
						stack_events[kind]);
		if (!ev)
			continue;
		if (!sf->type)
			sf->type = find_number_field(ev, "common_type", false);
		sf->pid[kind] = find_number_field(ev, "common_pid", false);
		sf->caller[kind] = find_number_field(ev, "caller", true);
		if (kind == PAIR_KSTACK)
			sf->size = find_number_field(ev, "size", false);
		if (sf->pid[kind] && sf->caller[kind] &&
		    (kind != PAIR_KSTACK || sf->size))
			sf->id[kind] = ev->id;
	}
	return sf->id[PAIR_KSTACK] >= 0 || sf->id[PAIR_USTACK] >= 0;
}

static int event_kind(const struct ftrace_stack_fields *sf, const void *data,
		      uint32_t size)
{
	int id, kind;

	if (!sf->type || !number_field_fits(sf->type, size))
		return -1;
	id = (int)number_field_read(sf->type, data);
	for (kind = 0; kind < PAIR_NR_STACKS; kind++)
		if (sf->id[kind] >= 0 && id == sf->id[kind])
			return kind;
	return -1;
}

/*
 * kernel_stack's caller[] is as long as its size field says (the format
 * shows 8, the record holds more), user_stack's is fixed and ends at the
 * first 0; older kernels ended both with ULONG_MAX. Frames past what the
 * record holds, or past DR_STACK_MAX, are not read.
 */
bool ftrace_stack_decode(const struct ftrace_stack_fields *sf, const void *data,
			 uint32_t size, struct ftrace_stack *s)
{
	const struct tep_format_field *f;
	int kind = event_kind(sf, data, size);
	uint64_t max, nr, i, addr, end_mark;
	uint32_t each;

	if (kind < 0 || !number_field_fits(sf->pid[kind], size))
		return false;
	f = sf->caller[kind];
	each = f->elementsize;
	if ((uint32_t)f->offset > size)
		return false;
	max = (size - f->offset) / each;
	if (kind == PAIR_KSTACK) {
		if (!number_field_fits(sf->size, size))
			return false;
		nr = number_field_read(sf->size, data);
		max = nr < max ? nr : max;
	} else if (max > (uint64_t)f->size / each) {
		max = f->size / each;
	}
	end_mark = each == 8 ? UINT64_MAX : (1ULL << (8 * each)) - 1;
	s->kind = kind;
	s->tid = number_field_read(sf->pid[kind], data);
	s->nr = 0;
	for (i = 0; i < max && s->nr < DR_STACK_MAX; i++) {
		addr = sym_tep_read_number(
			sf->tep, (const char *)data + f->offset + i * each,
			each);
		if (!addr || addr == end_mark)
			break;
		s->addrs[s->nr++] = addr;
	}
	return true;
}

static struct stack_follow *buffer(struct stack_matcher *m, uint32_t key)
{
	struct stack_follow *bufs;
	uint32_t n;

	if (key < m->nr)
		return &m->bufs[key];
	if (key >= MAX_BUFFERS)
		return NULL;
	n = key + 1 > 2 * m->nr ? key + 1 : 2 * m->nr;
	bufs = realloc(m->bufs, n * sizeof(*bufs));
	if (!bufs)
		return NULL;
	memset(bufs + m->nr, 0, (n - m->nr) * sizeof(*bufs));
	m->bufs = bufs;
	m->nr = n;
	return &m->bufs[key];
}

bool stack_matcher_next(struct stack_matcher *m, uint32_t key,
			enum stack_rec_type type, uint32_t tid, uint64_t ts,
			uint64_t *begin_ts)
{
	struct stack_follow *b = buffer(m, key);

	if (!b)
		return false;
	switch (type) {
	case STACK_REC_BEGIN:
		*b = (struct stack_follow){ .begin_ts = ts,
					    .tid = tid,
					    .open = true };
		return false;
	case STACK_REC_STACK:
		/* Another task's stack ends the run of the begin's. */
		if (b->open && b->tid == tid) {
			*begin_ts = b->begin_ts;
			return true;
		}
		break;
	case STACK_REC_OTHER:
		break;
	}
	b->open = false;
	return false;
}

void stack_matcher_free(struct stack_matcher *m)
{
	free(m->bufs);
	*m = (struct stack_matcher){ 0 };
}
