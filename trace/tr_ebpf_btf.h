/* SPDX-License-Identifier: Apache-2.0 */
/* The in-kernel watcher's kernel types, kept per kernel (tr_ebpf_btf.c). */
#ifndef GS_TR_EBPF_BTF_H
#define GS_TR_EBPF_BTF_H

#include <stddef.h>

/* The minimal BTF of the running kernel for the program's CO-RE
 * relocations, made from the kernel's BTF when there is none that may be
 * trusted: its descriptor (close it once the program is loaded), path set
 * to a name libbpf can open it by (/proc/self/fd/N); -errno when there is
 * none (the kernel's BTF serves). */
int tr_ebpf_btf_open(char *path, size_t cap);

/* The file of the last tr_ebpf_btf_open did not load: remove it (the next
 * run makes it again). */
void tr_ebpf_btf_drop(void);

#endif
