// SPDX-License-Identifier: GPL-2.0
/*
 * plugin_drsnoop - a libtraceevent plugin that shows direct reclaim stalls
 * the way drsnoop does, inside 'trace-cmd report' and 'perf script'.
 *
 *   mm_vmscan_direct_reclaim_begin: COMM=dd TID=812 order=9 gfp_flags=...
 *   mm_vmscan_direct_reclaim_end:   COMM=dd TID=812 LAT(ms)=1.234 PAGES=512
 *                                   ORDER=9
 *   mm_vmscan_throttled:            COMM=dd TID=812 LAT(ms)=20.833
 *                                   REASON=writeback
 *
 * The begin line keeps libtraceevent's own print of order and gfp_flags
 * (the handler returns non-zero, so the event's print format follows).
 * The end line is the stall: the begin is remembered per thread with the
 * project's pairer (src/pair.c), and its end completes it.
 *
 * Two kinds of host load this plugin:
 *
 *  - libtraceevent itself (trace-cmd, KernelShark): every tep_* function
 *    is there and records carry timestamps, so end lines get a latency.
 *  - Debian's perf 6.1, which has its own copy of libtraceevent, exports
 *    only the few functions its plugins need and hands handlers records
 *    whose timestamp is 0. The functions it lacks are weak references
 *    here (NULL under perf), so the plugin still loads; it prints the
 *    fields and leaves out what it cannot know: the comm (perf prints it)
 *    and the latency.
 *
 * Pairing state is per tep, as the handlers' context. It is allocated on
 * the first event, not in the loader: the loader runs before the events
 * are parsed, and a handler registered for an event the tep never parses
 * stays queued where the unloader could not find its context to remove
 * it. Once the events exist, the unloader finds the context on them.
 *
 * Options (trace-cmd report -O drsnoop:NAME[=VALUE], listed by
 * 'trace-cmd list -O'):
 *   latency  show each stall's latency (default on)
 *   unit     latency unit: ms (default), us or ns
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "src/lib/pair.h"
#include "src/lib/util.h"

#define EXPORT	    __attribute__((visibility("default")))
#define SYSTEM	    "vmscan"
#define BEGIN_EV    "mm_vmscan_direct_reclaim_begin"
#define END_EV	    "mm_vmscan_direct_reclaim_end"
#define THROTTLE_EV "mm_vmscan_throttled"

/* Not exported by perf 6.1: NULL there, so test before each call. */
extern __typeof__(tep_find_event_by_name) tep_find_event_by_name
	__attribute__((weak));
extern __typeof__(tep_data_comm_from_pid) tep_data_comm_from_pid
	__attribute__((weak));

enum drsnoop_option {
	OPT_LATENCY,
	OPT_UNIT,
};

/*
 * libtraceevent keeps pointers to this array in its option registry and
 * writes the user's -O values into it, so it has to be static data; it is
 * not exported (an exported array would be applied twice). It holds the
 * user's settings only: pairing state lives in the tep's handlers.
 */
static struct tep_plugin_option drsnoop_options[] = {
	[OPT_LATENCY] = {
		.name = "latency",
		.plugin_alias = "drsnoop",
		.description = "show each stall's latency on its end line",
		.set = 1,
	},
	[OPT_UNIT] = {
		.name = "unit",
		.plugin_alias = "drsnoop",
		.description = "latency unit: ms (default), us or ns",
		.value = "ms",
	},
	{ .name = NULL },
};

struct lat_unit {
	const char *name;
	unsigned long long ns;
};

static const struct lat_unit lat_units[] = {
	{ "ms", 1000000 },
	{ "us", 1000 },
	{ "ns", 1 },
};

static int begin_handler(struct trace_seq *s, struct tep_record *record,
			 struct tep_event *event, void *context);
static int end_handler(struct trace_seq *s, struct tep_record *record,
		       struct tep_event *event, void *context);
static int throttle_handler(struct trace_seq *s, struct tep_record *record,
			    struct tep_event *event, void *context);

struct drsnoop_handler {
	const char *event;
	tep_event_handler_func func;
};

static const struct drsnoop_handler handlers[] = {
	{ BEGIN_EV, begin_handler },
	{ END_EV, end_handler },
	{ THROTTLE_EV, throttle_handler },
};

/* An unknown unit falls back to the first, the default. */
static const struct lat_unit *lat_unit(void)
{
	const char *name = drsnoop_options[OPT_UNIT].value;
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(lat_units); i++)
		if (!strcmp(name, lat_units[i].name))
			return &lat_units[i];
	return &lat_units[0];
}

/*
 * The context a handler of ours was given on the event, or NULL when the
 * event was never parsed, the host cannot look it up (perf), or another
 * plugin's handler replaced ours.
 */
static void *registered_context(struct tep_handle *tep,
				const struct drsnoop_handler *h)
{
	struct tep_event *event;

	if (!tep_find_event_by_name)
		return NULL;
	event = tep_find_event_by_name(tep, SYSTEM, h->event);
	if (!event || event->handler != h->func)
		return NULL;
	return event->context;
}

/*
 * The tep's pairer, allocated on first use and handed to both handlers
 * by registering them again on the events (which replaces the context).
 * NULL where the host cannot keep state (perf), or out of memory: the
 * lines then have no latency.
 */
static struct dr_pairer *pairer_of(struct tep_event *event, void *context)
{
	struct dr_pairer *p = context;
	size_t i;

	if (p || !tep_find_event_by_name)
		return p;
	p = malloc(sizeof(*p));
	if (!p)
		return NULL;
	if (pairer_init(p)) {
		free(p);
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(handlers); i++)
		if (tep_find_event_by_name(event->tep, SYSTEM,
					   handlers[i].event))
			tep_register_event_handler(event->tep, -1, SYSTEM,
						   handlers[i].event,
						   handlers[i].func, p);
	return p;
}

/*
 * A field's value, read only if the record holds all of it: records come
 * from trace-cmd's and perf's files, which can be hostile, and
 * libtraceevent reads a field at its format's offset whatever the
 * record's size. With s, a missing or cut field is said there. It uses
 * only what perf exports too.
 */
static int field_val(struct trace_seq *s, struct tep_event *event,
		     struct tep_record *record, const char *name,
		     unsigned long long *val)
{
	struct tep_format_field *field = tep_find_any_field(event, name);

	if (field && record->size >= 0 && field->offset >= 0 &&
	    field->size >= 0 &&
	    (unsigned int)field->offset + field->size <=
		    (unsigned int)record->size &&
	    !tep_read_number_field(field, record->data, val))
		return 0;
	if (s)
		trace_seq_printf(s, "<CANT FIND FIELD %s>", name);
	return -1;
}

/* common_pid is the thread id. */
static int read_tid(struct trace_seq *s, struct tep_event *event,
		    struct tep_record *record, int *tid)
{
	unsigned long long val;

	if (field_val(s, event, record, "common_pid", &val)) {
		trace_seq_putc(s, ' ');
		return -1;
	}
	*tid = (int)val;
	return 0;
}

static void print_task(struct trace_seq *s, struct tep_event *event, int tid)
{
	if (tep_data_comm_from_pid)
		trace_seq_printf(s, "COMM=%s ",
				 tep_data_comm_from_pid(event->tep, tid));
	trace_seq_printf(s, "TID=%d", tid);
}

static void print_latency(struct trace_seq *s, unsigned long long lat_ns)
{
	const struct lat_unit *u = lat_unit();

	if (u->ns == 1)
		trace_seq_printf(s, " LAT(%s)=%llu", u->name, lat_ns);
	else
		trace_seq_printf(s, " LAT(%s)=%.3f", u->name,
				 (double)lat_ns / u->ns);
}

/*
 * After lost events a pending begin may have lost its end: forget them
 * all rather than pair one with a later end and invent a latency.
 */
static void forget_on_loss(struct dr_pairer *p, struct tep_record *record)
{
	if (p && record->missed_events)
		pairer_reset(p);
}

static int begin_handler(struct trace_seq *s, struct tep_record *record,
			 struct tep_event *event, void *context)
{
	struct dr_pairer *p = pairer_of(event, context);
	struct dr_begin b = { .ts_ns = record->ts, .kind = DR_KIND_DIRECT };
	unsigned long long order;
	int tid;

	if (read_tid(s, event, record, &tid))
		return 1;
	print_task(s, event, tid);
	trace_seq_putc(s, ' ');
	forget_on_loss(p, record);
	if (!p || !record->ts ||
	    field_val(NULL, event, record, "order", &order))
		return 1;
	b.tid = tid;
	b.order = (int)order;
	pairer_begin(p, &b);
	/* Non-zero: the event's own print of order and gfp_flags follows. */
	return 1;
}

static int end_handler(struct trace_seq *s, struct tep_record *record,
		       struct tep_event *event, void *context)
{
	struct dr_pairer *p = pairer_of(event, context);
	unsigned long long pages;
	struct dr_event e;
	bool paired;
	int tid;

	if (read_tid(s, event, record, &tid) ||
	    field_val(s, event, record, "nr_reclaimed", &pages))
		return 1;
	forget_on_loss(p, record);
	paired = p && record->ts && pairer_end(p, record->ts, tid, pages, &e);
	print_task(s, event, tid);
	if (paired && drsnoop_options[OPT_LATENCY].set)
		print_latency(s, e.lat_ns);
	trace_seq_printf(s, " PAGES=%llu", pages);
	if (paired && dr_event_has(&e, DR_HAS_ORDER))
		trace_seq_printf(s, " ORDER=%d", e.order);
	return 0;
}

/*
 * The reason bits of mm_vmscan_throttled as drsnoop's REASON column names
 * them (src/sys/throttle_reason.c, which the plugin's layer cannot
 * include): the kernel's VMSCAN_THROTTLE_* bits, the same since 5.16.
 */
static const char *const throttle_reasons[] = {
	"writeback",
	"isolated",
	"noprogress",
	"congested",
};

static void print_reasons(struct trace_seq *s, unsigned long long reason)
{
	const char *sep = "";
	size_t i;

	trace_seq_puts(s, " REASON=");
	if (!reason)
		trace_seq_puts(s, "none");
	for (i = 0; i < ARRAY_SIZE(throttle_reasons); i++)
		if (reason & (1ULL << i)) {
			trace_seq_printf(s, "%s%s", sep, throttle_reasons[i]);
			sep = "|";
		}
	reason &= ~((1ULL << ARRAY_SIZE(throttle_reasons)) - 1);
	if (reason)
		trace_seq_printf(s, "%s0x%llx", sep, reason);
}

/*
 * A throttle, complete in itself, as drsnoop --throttle shows it: its
 * sleep (usec_delayed) as the latency, in the option's unit, and its
 * reasons as the REASON column names them ("writeback|congested").
 */
static int throttle_handler(struct trace_seq *s, struct tep_record *record,
			    struct tep_event *event, void *context)
{
	unsigned long long delayed, reason;
	int tid, usec;

	if (read_tid(s, event, record, &tid) ||
	    field_val(s, event, record, "usec_delayed", &delayed) ||
	    field_val(s, event, record, "reason", &reason))
		return 1;
	print_task(s, event, tid);
	usec = (int)delayed;
	if (drsnoop_options[OPT_LATENCY].set)
		print_latency(s,
			      usec > 0 ? (unsigned long long)usec * 1000 : 0);
	print_reasons(s, (uint32_t)reason);
	return 0;
}

EXPORT int TEP_PLUGIN_LOADER(struct tep_handle *tep)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++)
		tep_register_event_handler(tep, -1, SYSTEM, handlers[i].event,
					   handlers[i].func, NULL);
	tep_plugin_add_options("drsnoop", drsnoop_options);
	return 0;
}

EXPORT void TEP_PLUGIN_UNLOADER(struct tep_handle *tep)
{
	struct dr_pairer *p = NULL, *ctx;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		ctx = registered_context(tep, &handlers[i]);
		tep_unregister_event_handler(tep, -1, SYSTEM, handlers[i].event,
					     handlers[i].func, ctx);
		if (ctx)
			p = ctx;
	}
	tep_plugin_remove_options(drsnoop_options);
	if (p) {
		pairer_free(p);
		free(p);
	}
}
