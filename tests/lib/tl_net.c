/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_net.h"

#include <criterion/criterion.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int tl_loopback_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(s >= 0 && bind(s, (struct sockaddr *)&a, n) == 0 &&
		  getsockname(s, (struct sockaddr *)&a, &n) == 0);
	if (fd) {
		cr_assert_eq(listen(s, 16), 0);
		*fd = s;
	} else {
		close(s);
	}
	return ntohs(a.sin_port);
}
