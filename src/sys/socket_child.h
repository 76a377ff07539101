/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_SOCKET_CHILD_H
#define DRSNOOP_SOCKET_CHILD_H

#include <sys/types.h>

/*
 * A child process that drsnoop talks to over a socket pair of its own
 * (SOCK_SEQPACKET: one message per request or answer), descriptors
 * passed with SCM_RIGHTS: the /proc broker and the symbolizer.
 */

/*
 * Fork the child: 0 in the child, with its end of the socket in *sock;
 * the child's pid in drsnoop, with drsnoop's end; -1 with errno.
 */
pid_t socket_child_fork(int *sock);

/* Send the len bytes of buf, with descriptor fd unless it is -1. */
ssize_t socket_child_send(int sock, const void *buf, size_t len, int fd);

/*
 * Receive a message of up to len bytes into buf, and the descriptor that
 * came with it into *fd (-1 when none did).
 */
ssize_t socket_child_recv(int sock, void *buf, size_t len, int *fd);

#endif /* DRSNOOP_SOCKET_CHILD_H */
