/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl-static: getpwuid without NSS (linked with --wrap=getpwuid,
 * ctl/meson.build).  glibc's own would load the NSS modules of the glibc
 * it was built with, which an image with another libc or none does not
 * have (or has in another version, in the same process as this static
 * glibc).  goshimctl names users in messages only: /etc/passwd is read
 * as it is, with fgetpwent (a parser, no NSS). */
#include <pwd.h>
#include <stdio.h>
#include <sys/types.h>

struct passwd *__wrap_getpwuid(uid_t uid);

struct passwd *__wrap_getpwuid(uid_t uid)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw = NULL;

	if (!f) {
		return NULL;
	}
	while ((pw = fgetpwent(f)) != NULL && pw->pw_uid != uid) {
	}
	fclose(f);
	return pw;
}
