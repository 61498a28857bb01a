/* SPDX-License-Identifier: Apache-2.0 */
/* The table of evpolicy.h; plain C, no libc: the preload reads it on its
 * cold path. */
#include "evpolicy.h"

#include <errno.h>
#include <stddef.h>

static const struct {
	int err;
	unsigned what;
} evp_rows[] = {
	{ ENOENT, 0 },
	{ ENOTDIR, 0 },
	{ ENAMETOOLONG, 0 },
	{ ELOOP, 0 },
	{ EEXIST, 0 },
	{ EACCES, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ EPERM, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ EROFS, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ ENOSPC, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ EDQUOT, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ ENOEXEC, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
	{ ETXTBSY, GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED },
};
#define EVP_OTHER (GS_EVP_STATFS | GS_EVP_CRED)

/* stat errors after which the walk goes on to the parent */
static const int evp_climb[] = { ENOENT, ENOTDIR, EACCES, ELOOP, ENAMETOOLONG };

unsigned gs_evp_of(int err, int exec)
{
	unsigned what = EVP_OTHER;

	for (size_t i = 0; i < sizeof(evp_rows) / sizeof(evp_rows[0]); i++) {
		if (evp_rows[i].err == err) {
			what = evp_rows[i].what;
			break;
		}
	}
	return exec ? what | GS_EVP_CRED : what;
}

int gs_evp_climbs(int err)
{
	for (size_t i = 0; i < sizeof(evp_climb) / sizeof(evp_climb[0]); i++) {
		if (evp_climb[i] == err) {
			return 1;
		}
	}
	return 0;
}

int gs_evp_parent(char *p)
{
	size_t n = 0, cut = 0;

	if (p[0] != '/') {
		return 0;
	}
	while (p[n]) {
		n++;
	}
	while (n > 1 && p[n - 1] == '/') {
		n--;
	}
	if (n <= 1) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '/') {
			cut = i;
		}
	}
	p[cut ? cut : 1] = 0;
	return 1;
}
