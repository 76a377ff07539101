// SPDX-License-Identifier: GPL-2.0
/*
 * The perf.data reader's primitives, which its other files build on and
 * which call none of them: the reason for a failure, sections checked
 * against the file, bounded reads, and where a feature's section is.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "perfdata_reader.h"

int perfdata_fail(struct file_reader *r, const char *fmt, unsigned long long n)
{
	snprintf(r->why, r->why_len, fmt, n);
	return -1;
}

bool perfdata_within(const struct file_reader *r, const struct perf_section *s)
{
	uint64_t size = r->st.st_size;

	return s->offset <= size && s->size <= size - s->offset;
}

int perfdata_read_at(struct file_reader *r, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pread(r->in.fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return perfdata_fail(r, "read error at offset %llu",
					     off);
		if (n == 0)
			return perfdata_fail(r, "truncated at offset %llu",
					     off);
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

int perfdata_feature(struct file_reader *r, const uint8_t *hdr, int bit,
		     struct perf_section *sec)
{
	struct perf_section data, at;
	uint64_t below = 0, i;

	if (bit < 0 || bit >= 256 ||
	    !(get_u64(hdr + 72 + 8 * (bit / 64)) & (1ULL << (bit % 64))))
		return -1;
	for (i = 0; i < (uint64_t)bit; i++)
		below += (get_u64(hdr + 72 + 8 * (i / 64)) >> (i % 64)) & 1;
	memcpy(&data, hdr + 40, sizeof(data));
	at.offset = data.offset + data.size + below * sizeof(at);
	at.size = sizeof(at);
	if (at.offset < data.offset || !perfdata_within(r, &at) ||
	    perfdata_read_at(r, sec, sizeof(*sec), at.offset))
		return -1;
	return perfdata_within(r, sec) ? 0 : -1;
}
