/* SPDX-License-Identifier: Apache-2.0 */
/* Loopback sockets for tests that must not touch the network. */
#ifndef GS_TL_NET_H
#define GS_TL_NET_H

/* A TCP port on 127.0.0.1: bound and listening, the socket in *fd, when
 * fd is not NULL; else closed again, so that nothing listens on it (a
 * connect is refused).  Fails the test when the socket calls fail. */
int tl_loopback_port(int *fd);

#endif
