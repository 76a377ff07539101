// SPDX-License-Identifier: GPL-2.0
/*
 * Thread id to comm, a hash table: the perf.data reader's, from its COMM
 * records; the ftrace backend's, from saved_cmdlines.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "comm_table.h"

struct comm_slot {
	uint32_t tid;
	bool used;
	char comm[DR_COMM_LEN];
};

static uint32_t slot_of(uint32_t mask, uint32_t tid)
{
	return (tid * 2654435761u) & mask;
}

static struct comm_slot *slot_for(struct comm_slot *slots, uint32_t mask,
				  uint32_t tid)
{
	uint32_t i = slot_of(mask, tid);

	while (slots[i].used && slots[i].tid != tid)
		i = (i + 1) & mask;
	return &slots[i];
}

static int grow(struct comm_table *t)
{
	uint32_t n = t->slots ? t->mask + 1 : 0, cap = n ? 2 * n : 256, i;
	struct comm_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (t->slots[i].used)
			*slot_for(slots, cap - 1, t->slots[i].tid) =
				t->slots[i];
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

int comm_table_set(struct comm_table *t, uint32_t tid, const char *comm)
{
	struct comm_slot *s;
	int err;

	if (!t->slots || 2 * (t->used + 1) > t->mask + 1) {
		err = grow(t);
		if (err)
			return err;
	}
	s = slot_for(t->slots, t->mask, tid);
	if (!s->used) {
		s->used = true;
		s->tid = tid;
		t->used++;
	}
	strncpy(s->comm, comm, sizeof(s->comm) - 1);
	s->comm[sizeof(s->comm) - 1] = '\0';
	return 0;
}

const char *comm_table_get(const struct comm_table *t, uint32_t tid)
{
	struct comm_slot *s;

	if (!t->slots)
		return NULL;
	s = slot_for(t->slots, t->mask, tid);
	return s->used ? s->comm : NULL;
}

void comm_table_free(struct comm_table *t)
{
	free(t->slots);
	*t = (struct comm_table){ 0 };
}
