// SPDX-License-Identifier: GPL-2.0
/* Backend choice: --backend=NAME, or the first live backend that opens. */
#include <stdio.h>
#include <string.h>
#include "backend.h"
#include "src/lib/util.h"

/* In order of preference for --backend=auto. */
static const struct dr_backend_ops *const live_backends[] = {
	&bpf_backend,
	&ftrace_backend,
};

#define NR_LIVE_BACKENDS ARRAY_SIZE(live_backends)

const struct dr_backend_ops *backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_LIVE_BACKENDS; i++)
		if (!strcmp(live_backends[i]->name, name))
			return live_backends[i];
	return NULL;
}

static struct dr_backend *open_one(const struct dr_backend_ops *ops,
				   const struct dr_options *o,
				   struct dr_sink *sink, char *why, size_t len)
{
	struct dr_backend *b;

	why[0] = '\0';
	b = ops->open(o, sink, why, len);
	if (b) {
		b->ops = ops;
		b->sink = sink;
	}
	return b;
}

/* A recording (-i) is read by the file backend, whatever --backend says. */
static struct dr_backend *open_file(const struct dr_options *o,
				    struct dr_sink *sink)
{
	struct dr_backend *b;
	char why[512];

	b = open_one(&file_backend, o, sink, why, sizeof(why));
	if (!b)
		fprintf(stderr, "drsnoop: cannot read '%s': %s\n", o->input,
			why);
	return b;
}

struct dr_backend *backend_open(const struct dr_options *o,
				struct dr_sink *sink)
{
	const struct dr_backend_ops *ops = backend_find(o->backend);
	struct dr_backend *b;
	char why[512];
	size_t i;

	if (o->input)
		return open_file(o, sink);
	if (ops) {
		b = open_one(ops, o, sink, why, sizeof(why));
		if (!b)
			fprintf(stderr,
				"drsnoop: cannot use the %s backend: %s\n",
				ops->name, why);
		return b;
	}
	for (i = 0; i < NR_LIVE_BACKENDS; i++) {
		ops = live_backends[i];
		b = open_one(ops, o, sink, why, sizeof(why));
		if (b)
			return b;
		if (i + 1 < NR_LIVE_BACKENDS)
			fprintf(stderr,
				"drsnoop: %s backend unavailable (%s), "
				"using the %s backend\n",
				ops->name, why, live_backends[i + 1]->name);
		else
			fprintf(stderr,
				"drsnoop: cannot use the %s backend: %s\n",
				ops->name, why);
	}
	return NULL;
}
