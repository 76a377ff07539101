// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the libtraceevent plugin on hostile records. The
 * vmscan formats of a real kernel (tests/fixtures/formats) are parsed by
 * libtraceevent, the plugin is loaded into that tep as trace-cmd loads
 * it, and each input is a run of records handed to the handler that the
 * plugin registered on their event: per record a header (which event,
 * whether events were lost before it, its time, its length) and then
 * that many bytes, copied to end right before a page that cannot be read:
 * libtraceevent, which reads the fields, is not built with the
 * sanitizers, so only a fault shows a read past the record. The handler is
 * called as tep_print_event() calls it, not through tep_print_event(), which
 * itself reads the record's type and, after a handler that returns non-zero,
 * the event's fields, whatever the record's size: libtraceevent's reads,
 * not the plugin's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <event-parse.h>
#include <trace-seq.h>
#include <tracefs.h>

/* plugin/plugin_drsnoop.c, linked in. */
int TEP_PLUGIN_LOADER(struct tep_handle *tep);

static const char *const events[] = {
	"mm_vmscan_direct_reclaim_begin",
	"mm_vmscan_direct_reclaim_end",
	"mm_vmscan_throttled",
};

struct record_head {
	uint8_t event;
	uint8_t missed;
	uint16_t len;
	uint32_t ts;
};

static struct tep_handle *tep;
static struct tep_event *by_index[3];
/* Room for the longest record, then the guard page. */
static uint8_t *room_end;

static int map_room(void)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t room = (UINT16_MAX / page + 1) * page;
	uint8_t *p = mmap(NULL, room + page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + room, page, PROT_NONE))
		return -1;
	room_end = p + room;
	return 0;
}

/*
 * Once, before the first input: the formats parsed, the plugin loaded
 * (it is linked in). Parsing every format takes seconds under ASan on a
 * loaded machine, which must not count against the first input's timeout.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	tep = tracefs_local_events(FUZZ_FORMATS);
	if (!tep || map_room())
		abort();
	TEP_PLUGIN_LOADER(tep);
	for (i = 0; i < 3; i++) {
		by_index[i] = tep_find_event_by_name(tep, "vmscan", events[i]);
		if (!by_index[i])
			abort();
	}
	return 0;
}

static void print_record(const struct record_head *h, const uint8_t *data)
{
	struct tep_event *event = by_index[h->event % 3];
	uint8_t *copy = room_end - h->len;
	struct tep_record record = {
		.ts = h->ts,
		.size = h->len,
		.data = copy,
		.missed_events = h->missed & 1,
	};
	struct trace_seq s;

	memcpy(copy, data, h->len);
	trace_seq_init(&s);
	if (event->handler)
		event->handler(&s, &record, event, event->context);
	trace_seq_destroy(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_head h;

	while (size >= sizeof(h)) {
		memcpy(&h, data, sizeof(h));
		data += sizeof(h);
		size -= sizeof(h);
		if (h.len > size)
			h.len = size;
		print_record(&h, data);
		data += h.len;
		size -= h.len;
	}
	return 0;
}
