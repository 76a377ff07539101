/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_STACK_TABLE_H
#define DRSNOOP_STACK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/lib/event.h"

/*
 * Stall time by distinct stack: -s's top stacks (by their frames) and
 * --folded's lines (by task name and frames). A row keeps its own copy
 * of the frames, which die with the event that carried them.
 */
struct stack_row {
	uint64_t count;
	uint64_t total_ns;
	uint64_t max_ns;
	uint64_t hash;
	char comm[DR_COMM_LEN]; /* empty unless the table is by comm */
	uint32_t nr_k, nr_u;
	bool has_k, has_u;
	char *frames; /* nr_k kernel then nr_u user frames, each NUL-ended */
	size_t len;
};

struct stack_table {
	struct stack_row *rows;
	size_t nr;
	size_t *index; /* open addressing: 1 + rows index, 0 free */
	size_t cap; /* slots of index, a power of two */
};

/* A stack to count: its frames, innermost first. */
struct stack_key {
	const char *comm; /* NULL: not by comm */
	bool has_k, has_u;
	uint32_t nr_k, nr_u;
	const char *const *k;
	const char *const *u;
};

void stack_table_init(struct stack_table *t);
void stack_table_free(struct stack_table *t);

/* Add a stall of lat_ns to its stack's row. Returns 0 or -ENOMEM. */
int stack_table_add(struct stack_table *t, const struct stack_key *key,
		    uint64_t lat_ns);

/* The rows by total stall time, longest first; the index is dropped. */
void stack_table_sort(struct stack_table *t);

/* The i-th frame of a row: kernel frames first, then user frames. */
const char *stack_row_frame(const struct stack_row *r, uint32_t i);

#endif /* DRSNOOP_STACK_TABLE_H */
