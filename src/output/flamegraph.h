/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FLAMEGRAPH_H
#define DRSNOOP_FLAMEGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "src/symbols/stack_table.h"

/*
 * Stall time by stack as a flame graph: the rows of --folded's table
 * (task name, user frames, kernel frames, outermost first) merged into a
 * tree whose root is the total. Stacks under 1/FLAME_MIN_SHARE of the
 * total fold into one "other" frame, so that the SVG stays small and
 * every frame drawn is wide enough to see.
 */
#define FLAME_MIN_SHARE 1000

enum flame_type {
	FLAME_ROOT,
	FLAME_COMM,
	FLAME_USER,
	FLAME_KERNEL,
	FLAME_OTHER,
};

struct flame_node {
	const char *name; /* the table's: valid while it is */
	uint64_t ns;
	enum flame_type type;
	struct flame_node *children; /* by name */
	struct flame_node *next;
};

struct flamegraph {
	struct flame_node root;
	size_t other_stacks; /* folded into "other" */
	unsigned int depth; /* of the deepest frame; the root's is 0 */
};

/* The tree of t's rows. Returns 0 or -ENOMEM (g is then empty). */
int flamegraph_build(struct flamegraph *g, const struct stack_table *t);
void flamegraph_free(struct flamegraph *g);

/*
 * The interactive SVG: click a frame to zoom, search to highlight and
 * sum. standalone: a file of its own, with the XML declaration and a
 * search button (prompt()); else to be inlined in --report's HTML, whose
 * search box calls drsnoopFlameSearch().
 */
void flamegraph_write(const struct flamegraph *g, FILE *f, bool standalone);

#endif /* DRSNOOP_FLAMEGRAPH_H */
