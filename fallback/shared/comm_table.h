/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_COMM_TABLE_H
#define DRSNOOP_COMM_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "src/lib/event.h"

/* Thread id to comm, as a COMM record or saved_cmdlines said. */
struct comm_table {
	struct comm_slot *slots;
	uint32_t mask;
	uint32_t used;
};

int comm_table_set(struct comm_table *t, uint32_t tid, const char *comm);
const char *comm_table_get(const struct comm_table *t, uint32_t tid);
void comm_table_free(struct comm_table *t);

#endif /* DRSNOOP_COMM_TABLE_H */
