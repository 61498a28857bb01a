/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the tests with the real Go toolchains (suite 'go'). */
#ifndef GT_H
#define GT_H

#include <sys/types.h>

#include "tt.h"

/* The official toolchain (static `go`) and Debian's golang-go (dynamic). */
#define GT_GO_OFFICIAL "/usr/local/go/bin/go"
#define GT_GO_DEBIAN   "/usr/lib/go-1.19/bin/go"

/* Fail the test loudly unless root and go (the binary) are there. */
void gt_need(const char *go);

/* A fresh work dir with a tiny module in <dir>/mod (one passing test),
 * and the Go environment set for this process: the suite's shared
 * GOCACHE, GOPATH in the dir, GOFLAGS=-mod=mod, GOPROXY=off,
 * GOTOOLCHAIN=local, CGO_ENABLED=0.  Returns the dir (malloc'd). */
char *gt_workdir(const char *tag);

/* In a child: a private mount namespace with a noexec tmpfs at <dir>/mnt,
 * TMPDIR=<dir>/mnt, cwd <dir>/mod, stdout+stderr to <dir>/out.txt, extra
 * environment (NULL-terminated "K=V" list, may be NULL), then execvp argv.
 * Returns the wait status; *pid gets the child's pid (the program's). */
int gt_run_noexec(const char *dir, char *const argv[], char *const env[], pid_t *pid);

/* The EVENT execve of go-build/.../NAME.test = EACCES in the ring, checked:
 * under <dir>/mnt, ST_NOEXEC and a noexec mount as evidence, frames and
 * modules; function names (os/exec, cmd/go) in the decoded text.  Returns
 * how many such events (records x count) the ring holds. */
unsigned gt_check_noexec_exec(const char *dir, const char *ring, const char *exe);

/* Build tests/go/prog into <dir>/prog with the official go; its path. */
const char *gt_build_prog(const char *dir);

#endif
