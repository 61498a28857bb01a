/* SPDX-License-Identifier: Apache-2.0 */
#include "selfpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory of the running binary into buf; 0, or -1. */
static int sp_self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= len - 1) {
		return -1;
	}
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash) {
		return -1;
	}
	*slash = 0;
	return 0;
}

const char *gs_self_find(char *buf, size_t len, const char *env,
			 const char *const *rels, const char *fallback)
{
	const char *v = env ? getenv(env) : NULL;
	char dir[4096];

	if (v && *v) {
		snprintf(buf, len, "%s", v);
		return buf;
	}
	if (sp_self_dir(dir, sizeof(dir)) == 0) {
		for (size_t i = 0; rels[i]; i++) {
			char *real;

			if (rels[i][0] && (size_t)snprintf(buf, len, "%s/%s", dir, rels[i]) < len &&
			    access(buf, R_OK) == 0) {
				if ((real = realpath(buf, NULL)) != NULL) {
					snprintf(buf, len, "%s", real); /* no "bin/../" in messages */
					free(real);
				}
				return buf;
			}
		}
	}
	snprintf(buf, len, "%s", fallback);
	return buf;
}
