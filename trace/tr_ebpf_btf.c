/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel types of the in-kernel watcher (bpf/tr_ebpf.bpf.c), kept per
 * kernel: the program reads three fields of the kernel's structures
 * (task_struct's tgid and signal, signal_struct's live), whose offsets
 * differ from one kernel build to the next.  libbpf finds them (CO-RE) in
 * the kernel's BTF, 5.5 MB read from /sys/kernel/btf/vmlinux and parsed:
 * ~30 ms of CPU at every start.  The first run on a kernel writes a
 * minimal BTF of just those fields (a few hundred bytes) into the default
 * ring's directory (common/ringhome.h: ours, 0700); later runs hand it to
 * libbpf instead (btf_custom_path).
 *
 * The file is named by the running kernel: a hash of its ELF notes
 * (/sys/kernel/notes: the build id), its release and version, the size
 * of its BTF, and the fields; another kernel looks for another file.  It
 * is used only when it is a regular file owned by the effective uid,
 * writable by no one else, found without following a symbolic link in a
 * directory that is ours and closed to others; libbpf reads it through
 * the descriptor that was checked (/proc/self/fd/N).  Otherwise it is
 * made again (written aside, renamed over the name), and when that fails
 * the kernel's BTF serves as before.  A file the program does not load
 * with, while it loads without it, is removed by the engine
 * (tr_ebpf_btf_drop). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "ringhome.h"
#include "tr.h"
#include "tr_ebpf_btf.h"

#define EB_BTF_MAX (64u << 10) /* a minimal BTF is far smaller */

/* The fields the program reads, by struct: name, and the field. */
static const struct {
	const char *type, *field;
} eb_fields[] = {
	{ "task_struct", "tgid" },
	{ "task_struct", "signal" },
	{ "signal_struct", "live" },
};

static uint64_t eb_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ull;
	}
	return h;
}

/* The running kernel's name for the file (and the fields': a program
 * that reads others finds another file): 0, or -errno. */
static int eb_key(char *name, size_t cap)
{
	unsigned char notes[4096];
	struct utsname u;
	struct stat st;
	uint64_t h = 0xcbf29ce484222325ull;
	int fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, notes, sizeof(notes)) : -1;

	if (fd >= 0) {
		close(fd);
	}
	if (n <= 0 || uname(&u) < 0 || stat("/sys/kernel/btf/vmlinux", &st) < 0) {
		return -ENOENT;
	}
	h = eb_fnv(h, notes, (size_t)n);
	h = eb_fnv(h, u.release, strlen(u.release) + 1);
	h = eb_fnv(h, u.version, strlen(u.version) + 1);
	h = eb_fnv(h, &st.st_size, sizeof(st.st_size));
	for (size_t i = 0; i < sizeof(eb_fields) / sizeof(eb_fields[0]); i++) {
		h = eb_fnv(h, eb_fields[i].type, strlen(eb_fields[i].type) + 1);
		h = eb_fnv(h, eb_fields[i].field, strlen(eb_fields[i].field) + 1);
	}
	snprintf(name, cap, "kernel-%016llx.btf", (unsigned long long)h);
	return 0;
}

/* The directory, opened: ours, a directory (no symbolic link followed)
 * closed to others; -errno otherwise. */
static int eb_dir(char *dir, size_t cap)
{
	struct gs_ringhome h;
	struct stat st;

	gs_ringhome(&h, getenv("XDG_RUNTIME_DIR"), getenv("HOME"), (unsigned)geteuid(), 1);
	if (!h.path[0]) {
		return -ENOENT;
	}
	snprintf(dir, cap, "%s", dirname(h.path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* name in dfd, when it may be trusted: its descriptor, else -errno. */
static int eb_trusted(int dfd, const char *name)
{
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size <= 0 || st.st_size > EB_BTF_MAX) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* Field name of the struct t of b: its member, or NULL. */
static const struct btf_member *eb_member(const struct btf *b, const struct btf_type *t,
					  const char *name)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(b, m->name_off), name) == 0) {
			return m;
		}
	}
	return NULL;
}

/* The struct named name in vm, or NULL. */
static const struct btf_type *eb_struct(const struct btf *vm, const char *name)
{
	int id = btf__find_by_name_kind(vm, name, BTF_KIND_STRUCT);

	return id > 0 ? btf__type_by_id(vm, (unsigned)id) : NULL;
}

/* The bit offset of member m of the struct t. */
static unsigned eb_bitoff(const struct btf_type *t, const struct btf_member *m)
{
	return btf_member_bit_offset(t, (unsigned)(m - btf_members(t)));
}

/* The minimal BTF of eb_fields[] from vm, the kernel's: int, signal_struct
 * (live: a struct of int counter), task_struct (tgid: int, signal: a
 * pointer to signal_struct), each at the kernel's offset and size. */
static struct btf *eb_minimal(const struct btf *vm)
{
	const struct btf_type *ts = eb_struct(vm, "task_struct"),
			      *ss = eb_struct(vm, "signal_struct");
	const struct btf_member *m[3];

	for (size_t i = 0; i < sizeof(eb_fields) / sizeof(eb_fields[0]); i++) {
		const struct btf_type *t = strcmp(eb_fields[i].type, "task_struct") ? ss : ts;

		if (!t || !(m[i] = eb_member(vm, t, eb_fields[i].field))) {
			return NULL;
		}
	}
	/* live is an atomic_t: a typedef of a struct { int counter; } */
	int live_id = btf__resolve_type(vm, m[2]->type);
	const struct btf_type *live = live_id > 0 ? btf__type_by_id(vm, (unsigned)live_id) : NULL;
	const struct btf_member *counter = live && btf_is_struct(live) ?
		eb_member(vm, live, "counter") : NULL;
	struct btf *b = counter ? btf__new_empty() : NULL;

	if (!b) {
		return NULL;
	}
	int i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int atomic = btf__add_struct(b, NULL, live->size);
	int ok = atomic > 0 && !btf__add_field(b, "counter", i32, eb_bitoff(live, counter), 0);
	int sig = btf__add_struct(b, "signal_struct", ss->size);

	ok = ok && sig > 0 && !btf__add_field(b, "live", atomic, eb_bitoff(ss, m[2]), 0);
	int sigp = btf__add_ptr(b, sig);
	int task = btf__add_struct(b, "task_struct", ts->size);

	ok = ok && sigp > 0 && task > 0 && !btf__add_field(b, "tgid", i32, eb_bitoff(ts, m[0]), 0) &&
	     !btf__add_field(b, "signal", sigp, eb_bitoff(ts, m[1]), 0);
	if (!ok) {
		btf__free(b);
		return NULL;
	}
	return b;
}

/* Write the minimal BTF of this kernel as name in dfd: aside, then renamed
 * over whatever had the name (a file not trusted, a symbolic link itself). */
static int eb_make(int dfd, const char *name)
{
	/* parsed from sysfs by name: libbpf's own search for it begins with a
	 * faccessat2, which older container profiles deny (EPERM) */
	struct btf *vm = btf__parse_raw("/sys/kernel/btf/vmlinux"), *b = vm ? eb_minimal(vm) : NULL;
	char tmp[96];
	uint32_t size = 0;
	const void *raw = b ? btf__raw_data(b, &size) : NULL;
	int rc = -ENOENT;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	int fd = raw ? openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
		     : -1;

	if (fd >= 0) {
		rc = write(fd, raw, size) == (ssize_t)size ? 0 : -EIO;
		close(fd);
		if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0) {
			rc = -errno;
		}
		if (rc < 0) {
			unlinkat(dfd, tmp, 0);
		}
	} else if (raw) {
		rc = -errno;
	}
	btf__free(b);
	btf__free(vm);
	return rc;
}

static char eb_path[GS_RINGHOME_MAX + 64]; /* the file, for -v and the drop */

int tr_ebpf_btf_open(char *path, size_t cap)
{
	char name[64], dir[GS_RINGHOME_MAX];
	int dfd, fd;

	eb_path[0] = 0;
	if (eb_key(name, sizeof(name)) < 0 || (dfd = eb_dir(dir, sizeof(dir))) < 0) {
		tr_dbg("in-kernel watcher: no directory of ours for the kernel's types\n");
		return -ENOENT;
	}
	snprintf(eb_path, sizeof(eb_path), "%s/%s", dir, name);
	fd = eb_trusted(dfd, name);
	if (fd >= 0) {
		tr_dbg("in-kernel watcher: kernel types from %s\n", eb_path);
	} else {
		const char *was = fd == -ENOENT ? "none yet" : "the one there not trusted";
		int rc = eb_make(dfd, name);

		fd = rc == 0 ? eb_trusted(dfd, name) : rc;
		tr_dbg("in-kernel watcher: kernel types %s %s (%s)\n",
		       fd >= 0 ? "written to" : "could not be written to", eb_path, was);
	}
	close(dfd);
	if (fd < 0) {
		eb_path[0] = 0;
		return fd;
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

void tr_ebpf_btf_drop(void)
{
	if (eb_path[0]) {
		tr_dbg("in-kernel watcher: %s did not serve; removed\n", eb_path);
		unlink(eb_path);
		eb_path[0] = 0;
	}
}
