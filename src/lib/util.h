/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_UTIL_H
#define DRSNOOP_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr)-offsetof(type, member)))

#endif /* DRSNOOP_UTIL_H */
