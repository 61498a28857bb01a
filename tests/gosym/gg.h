/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the gosym tests: the Go toolchains, building Go programs with
 * one shared cache, running a command under the trace engine. */
#ifndef GG_H
#define GG_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tl_compat.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_run.h"

/* The toolchains the tests use. */
enum gg_go { GG_GO_OFFICIAL, GG_GO_DEBIAN, GG_GO_N };

/* Path of toolchain g's go command; fails the test (loudly) when absent. */
const char *gg_go(enum gg_go g);
/* "1.26" style label of the toolchain, for messages. */
const char *gg_go_name(enum gg_go g);

/* Export the Go environment: GOCACHE and GOPATH under the build dir (one
 * cache for every Go test), GOFLAGS=-mod=mod, GOTOOLCHAIN=local, no
 * network. */
void gg_go_env(void);

/* A Go program of tests/gosym/go built with toolchain g, cached in the
 * build dir: "inl" and "inl-s" (go build of go/inl, plain and -s -w),
 * "test" and "test-s" (go test -c of go/m, plain and -s -w, as go test
 * links).  Returns its path. */
const char *gg_bin(enum gg_go g, const char *kind);

/* The shell words that run a command under the trace engine writing the
 * ring `ring` (append the command).  The one place naming the driver. */
const char *gg_traced(const char *ring);

/* `goshimctl decode --json ring` output (malloc'd). */
char *gg_decode_json(const char *ring);

#endif
