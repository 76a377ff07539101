// SPDX-License-Identifier: GPL-2.0
/* Stall time per distinct stack, for -s's top stacks and --folded. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stack_table.h"

void stack_table_init(struct stack_table *t)
{
	*t = (struct stack_table){ 0 };
}

void stack_table_free(struct stack_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->rows[i].frames);
	free(t->rows);
	free(t->index);
	*t = (struct stack_table){ 0 };
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

/* The key's frames as one block, each frame NUL-ended; NULL: ENOMEM. */
static char *pack(const struct stack_key *key, size_t *len)
{
	uint32_t i, n = key->nr_k + key->nr_u;
	size_t size = 0, l;
	char *buf, *p;

	for (i = 0; i < n; i++)
		size += strlen(i < key->nr_k ? key->k[i] :
					       key->u[i - key->nr_k]) +
			1;
	buf = malloc(size ? size : 1);
	if (!buf)
		return NULL;
	for (i = 0, p = buf; i < n; i++, p += l) {
		const char *f =
			i < key->nr_k ? key->k[i] : key->u[i - key->nr_k];

		l = strlen(f) + 1;
		memcpy(p, f, l);
	}
	*len = size;
	return buf;
}

static bool same(const struct stack_row *r, const struct stack_row *k)
{
	return r->hash == k->hash && r->len == k->len && r->nr_k == k->nr_k &&
	       r->nr_u == k->nr_u && r->has_k == k->has_k &&
	       r->has_u == k->has_u && !strcmp(r->comm, k->comm) &&
	       !memcmp(r->frames, k->frames, k->len);
}

static size_t *slot_of(struct stack_table *t, const struct stack_row *k)
{
	size_t mask = t->cap - 1, i = k->hash & mask;

	while (t->index[i] && !same(&t->rows[t->index[i] - 1], k))
		i = (i + 1) & mask;
	return &t->index[i];
}

static int grow(struct stack_table *t)
{
	size_t cap = t->cap ? 2 * t->cap : 64, i, *index;
	struct stack_row *rows = realloc(t->rows, cap / 2 * sizeof(*rows));

	if (rows)
		t->rows = rows;
	index = calloc(cap, sizeof(*index));
	if (!rows || !index) {
		free(index);
		return -ENOMEM;
	}
	free(t->index);
	t->index = index;
	t->cap = cap;
	for (i = 0; i < t->nr; i++)
		*slot_of(t, &t->rows[i]) = i + 1;
	return 0;
}

int stack_table_add(struct stack_table *t, const struct stack_key *key,
		    uint64_t lat_ns)
{
	struct stack_row k = { .nr_k = key->nr_k,
			       .nr_u = key->nr_u,
			       .has_k = key->has_k,
			       .has_u = key->has_u };
	struct stack_row *r;
	size_t *slot;

	if (key->comm)
		strncpy(k.comm, key->comm, DR_COMM_LEN - 1);
	k.frames = pack(key, &k.len);
	if (!k.frames || (2 * (t->nr + 1) > t->cap && grow(t))) {
		free(k.frames);
		return -ENOMEM;
	}
	k.hash = fnv(fnv(14695981039346656037ULL, k.comm, sizeof(k.comm)),
		     k.frames, k.len) ^
		 k.nr_k;
	slot = slot_of(t, &k);
	if (*slot) {
		free(k.frames);
	} else {
		t->rows[t->nr++] = k;
		*slot = t->nr;
	}
	r = &t->rows[*slot - 1];
	r->count++;
	r->total_ns += lat_ns;
	if (lat_ns > r->max_ns)
		r->max_ns = lat_ns;
	return 0;
}

static int by_total(const void *a, const void *b)
{
	const struct stack_row *x = a, *y = b;
	int c;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	c = strcmp(x->comm, y->comm);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->frames, y->frames, x->len);
}

void stack_table_sort(struct stack_table *t)
{
	free(t->index);
	t->index = NULL;
	t->cap = 0;
	if (t->nr)
		qsort(t->rows, t->nr, sizeof(*t->rows), by_total);
}

const char *stack_row_frame(const struct stack_row *r, uint32_t i)
{
	const char *p = r->frames;

	while (i--)
		p += strlen(p) + 1;
	return p;
}
