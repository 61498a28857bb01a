/* SPDX-License-Identifier: Apache-2.0 */
/* A setuid, setgid or file-capability program exec'd under no_new_privs
 * runs without that privilege, as the invoking user.  goshim sets
 * no_new_privs itself where it loads its filter without CAP_SYS_ADMIN (a
 * user other than root; root in a container): when such a program of the
 * tree then fails, the report points at it (a rule of
 * data/rules/goshim.rules) by this NOTE, written at the exec. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "tr.h"

void tr_setid_exec(pid_t pid)
{
	char status[4096], exe[4096], p[64], what[64] = "";
	struct stat st;
	long nnp, euid, egid;

	if (tr_proc_read(pid, "status", status, sizeof(status)) <= 0 ||
	    (nnp = tr_status_field(status, "\nNoNewPrivs:", 0)) != 1) {
		return;
	}
	snprintf(p, sizeof(p), "/proc/%d/exe", (int)pid);
	if (stat(p, &st) < 0 || tr_proc_link(pid, "exe", exe, sizeof(exe)) < 0) {
		return;
	}
	/* "Uid:\treal\teffective...": the effective ids after the exec */
	const char *u = strstr(status, "\nUid:"), *g = strstr(status, "\nGid:");

	if (!u || !g || sscanf(u, "\nUid:%*d%ld", &euid) != 1 ||
	    sscanf(g, "\nGid:%*d%ld", &egid) != 1) {
		return;
	}
	if ((st.st_mode & S_ISUID) && (long)st.st_uid != euid) {
		snprintf(what, sizeof(what), "setuid uid %ld", (long)st.st_uid);
	} else if ((st.st_mode & S_ISGID) && (long)st.st_gid != egid) {
		snprintf(what, sizeof(what), "setgid gid %ld", (long)st.st_gid);
	} else if (euid != 0 && getxattr(p, "security.capability", NULL, 0) > 0) {
		snprintf(what, sizeof(what), "file capabilities");
	}
	if (what[0]) {
		tr_note(pid, "setid-without-privilege: %s (%s) runs without that privilege, as "
			"uid %ld: no_new_privs is set in this process", exe, what, euid);
	}
}
