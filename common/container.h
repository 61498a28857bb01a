/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Does a process run in a container?  The evidence (GOSHIM_T_CONTAINER,
 * include/goshim/record.h) is read once per process, when its PROCESS
 * record is written, by both engines, and live by doctor; the verdict is
 * made from it by the reader, in one place (gs_container_is).
 */
#ifndef GS_CONTAINER_H
#define GS_CONTAINER_H

#include <stddef.h>

#include "goshim/record.h"

/* Read the evidence about a process: proc is its /proc directory
 * ("/proc/self", "/proc/1234"), root the prefix of its root directory as
 * the reader sees it ("" for the caller's own, "/proc/1234/root"), env
 * the value of its $container variable (NULL when unset), status the
 * text of its /proc status when the caller has it (NULL: read here; it
 * may lie in buf).  buf[0..cap) is scratch (512 bytes or more).  Raw system calls only, no libc, no
 * allocation, errno untouched: async-signal-safe, for the preload's
 * recorder too.  Anything unreadable leaves its bit clear. */
void gs_container_read(struct goshim_t_container *c, const char *proc, const char *root,
		       const char *env, const char *status, char *buf, size_t cap);

/* The verdict: 1 when the evidence says "container" — a container
 * engine's own mark (/run/.containerenv, $container, a container
 * manager's cgroup; /.dockerenv only with a namespace of its own or
 * without CAP_SYS_ADMIN, or when the namespaces could not be read: the
 * file stays in a VM made from a container image), or a pid namespace
 * of its own without
 * CAP_SYS_ADMIN in the bounding set (what every container engine and
 * sandbox gives, and a host process never has) — else 0. */
int gs_container_is(const struct goshim_t_container *c);

/* The engine to name in a remedy: c->engine when it names podman or
 * docker ("podman"/"docker"), else "docker" (the commands given are the
 * same for both). */
const char *gs_container_cli(const struct goshim_t_container *c);

#endif
