/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_BPF_OBJECTS_H
#define DRSNOOP_BPF_OBJECTS_H

#include <stddef.h>

/* A BPF object built into drsnoop, gzip-compressed (see bpf_objects.c). */
struct bpf_object_gz {
	const unsigned char *start;
	const unsigned char *end;
};

/* The objects of bpf/NAME.bpf.c, by NAME. */
extern const struct bpf_object_gz drsnoop_bpf_gz;
extern const struct bpf_object_gz drsnoop_fast_bpf_gz;
extern const struct bpf_object_gz drsnoop_nobtf_bpf_gz;

/* The object's ELF bytes, in a buffer to free(); NULL with errno set. */
void *bpf_object_gz_inflate(const struct bpf_object_gz *gz, size_t *size);

#endif /* DRSNOOP_BPF_OBJECTS_H */
