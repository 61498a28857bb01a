/* SPDX-License-Identifier: Apache-2.0 */
/* Go's directories as cmd/go resolves them from an environment, with its
 * defaults when a variable is unset or empty:
 *
 *   GOCACHE     $GOCACHE, else $XDG_CACHE_HOME/go-build, else
 *               $HOME/.cache/go-build; undefined when none is set
 *   GOPATH      $GOPATH (first entry), else $HOME/go
 *   GOMODCACHE  $GOMODCACHE, else $GOPATH/pkg/mod
 *   WORK        where $WORK (go-buildNNN) is created: $GOTMPDIR, else
 *               $TMPDIR, else /tmp
 *
 * Any other name is the variable itself. */
#ifndef GS_DIAG_GOENV_H
#define GS_DIAG_GOENV_H

/* Look a variable up in some environment: its value, or NULL when unset. */
typedef const char *(*gs_getenv_fn)(void *ctx, const char *name);

/* The value of `name` (GOCACHE, GOPATH, GOMODCACHE, WORK or any plain
 * variable) as Go would use it, as a malloc'd string, or NULL when it is
 * undefined (GOCACHE without GOCACHE, XDG_CACHE_HOME and HOME; GOPATH
 * without GOPATH and HOME; a plain variable that is unset). */
char *gs_go_dir(const char *name, gs_getenv_fn get, void *ctx);

/* True when `name` is one of the derived names above. */
int gs_go_dir_known(const char *name);

/* gs_getenv_fn over the current process (getenv). */
const char *gs_getenv_self(void *ctx, const char *name);

#endif
