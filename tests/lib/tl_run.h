/* SPDX-License-Identifier: Apache-2.0 */
/* Running programs from a test: shell lines, a command with its output
 * captured, a function as another user.  A program that cannot be
 * started fails the test; what it does is the test's to judge. */
#ifndef GS_TL_RUN_H
#define GS_TL_RUN_H

#include <stddef.h>

/* The unprivileged uid/gid tests switch to ("nobody"). */
#define TL_NOBODY 65534

/* Run a shell line (system(3)); fails the test unless it exits 0. */
void tl_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell line and return its stdout (malloc'd, NUL-ended); *status
 * gets the wait status. */
char *tl_sh_out(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One command. */
struct tl_cmd {
	const char *const *argv; /* argv[0]: a path, or a name looked up in PATH */
	const char *stdin_data;  /* fed on stdin (NULL: stdin inherited)        */
	int uid;                 /* >= 0: real, effective and saved uid and gid,
	                          * no supplementary groups; -1: unchanged       */
	void (*pre)(void);       /* called in the child just before exec       */
	unsigned limit_s;        /* > 0: SIGALRM after that long (kept by exec) */
	int capture;             /* stdout and stderr into tl_res.out/err       */
};

struct tl_res {
	int wstatus;   /* the wait status                            */
	int code;      /* exit code, or 128 + signal                 */
	char *out;     /* with capture: stdout, malloc'd, NUL-ended  */
	char *err;     /* with capture: stderr                       */
};

/* Run c, wait for it; fails the test when it cannot be started (exit 127
 * from the child) or cannot switch to c->uid (126).  Returns res->code. */
int tl_spawn(const struct tl_cmd *c, struct tl_res *res);
void tl_res_free(struct tl_res *res);

/* av := $GOSHIM_BUILD_ROOT/ctl/goshimctl run --ring ring -- argv...,
 * NULL-terminated, at most cap entries in all (argv is cut to fit): the
 * one place naming the trace engine's command line. */
void tl_traced_argv(const char **av, size_t cap, const char *ring, const char *const argv[]);

/* 1 when goshimctl run should use the in-kernel watcher here: as root,
 * unless GOSHIM_TRACE_EBPF=0 (the -notify variants of the suites). */
int tl_ebpf_expected(void);

/* Run fn(arg) as uid/gid TL_NOBODY in a child; returns its exit status
 * (100: the ids could not be changed). */
int tl_as_nobody(int (*fn)(const char *), const char *arg);

#endif
