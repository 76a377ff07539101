// SPDX-License-Identifier: GPL-2.0
/*
 * The two BPF objects, built with drsnoop and included in it gzip-
 * compressed, as the kernel includes its config (kernel/configs.c): 148
 * KiB of ELF become 20. Most runs load only the small object; the big one,
 * uncompressed among drsnoop's read-only data, was made resident by the
 * kernel's fault-around all the same. zlib is linked already, for libelf.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "bpf_objects.h"

#define EMBED(name, file)                                                      \
	__asm__(".pushsection .rodata, \"a\"\n"                                \
		".balign 8\n" #name "_start:\n"                                \
		".incbin \"" BPF_OBJECTS_DIR "/" file "\"\n" #name "_end:\n"   \
		".popsection\n");                                              \
	extern const unsigned char name##_start[], name##_end[];               \
	const struct bpf_object_gz name = { name##_start, name##_end }

EMBED(drsnoop_bpf_gz, "drsnoop.bpf.o.gz");
EMBED(drsnoop_fast_bpf_gz, "drsnoop_fast.bpf.o.gz");
EMBED(drsnoop_nobtf_bpf_gz, "drsnoop_nobtf.bpf.o.gz");

void *bpf_object_gz_inflate(const struct bpf_object_gz *gz, size_t *size)
{
	size_t len = gz->end - gz->start;
	z_stream s = { .next_in = (Bytef *)gz->start, .avail_in = len };
	uint32_t isize;
	void *buf;
	int ret;

	/* gzip's last four bytes: the size, little-endian (mod 2^32). */
	memcpy(&isize, gz->end - 4, sizeof(isize));
	isize = le32toh(isize);
	buf = malloc(isize);
	if (!buf)
		return NULL;
	/* 16 + MAX_WBITS: a gzip header and trailer, not zlib's. */
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	s.next_out = buf;
	s.avail_out = isize;
	ret = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	if (ret != Z_STREAM_END || s.total_out != isize) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	*size = isize;
	return buf;
}
