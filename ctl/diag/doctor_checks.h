/* SPDX-License-Identifier: Apache-2.0 */
/* The checks goshimctl doctor runs (doctor.c), one file each, reporting
 * through doctor.h. */
#ifndef GS_DIAG_DOCTOR_CHECKS_H
#define GS_DIAG_DOCTOR_CHECKS_H

#include "doctor.h"

void gs_doctor_goenv(struct gs_doc *d);   /* `go env`, with a timeout */
void gs_doctor_paths(struct gs_doc *d);   /* GOCACHE, GOMODCACHE, $WORK  */
void gs_doctor_seccomp(struct gs_doc *d); /* probes in forked children  */
void gs_doctor_exec(struct gs_doc *d);    /* ELF interpreter of go, $CC  */
void gs_doctor_limits(struct gs_doc *d);  /* RLIMIT_AS, NOFILE, disk    */
void gs_doctor_install(struct gs_doc *d); /* rules file, eBPF built     */
void gs_doctor_engine(struct gs_doc *d);  /* goshim's own prerequisites:
                                           * seccomp notify, eBPF, ptrace,
                                           * no_new_privs                */
void gs_doctor_net(struct gs_doc *d);     /* GOPROXY, GOSUMDB reachable */
void gs_doctor_race(struct gs_doc *d);    /* vm.mmap_rnd_bits for -race */

#endif
