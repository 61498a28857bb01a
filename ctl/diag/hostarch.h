/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF e_machine a host runs natively, from its uname -m. */
#ifndef GS_DIAG_HOSTARCH_H
#define GS_DIAG_HOSTARCH_H

#include "elfread.h" /* gs_machine_em: the one machine table */

/* EM_* of the host that made a record: from a process record's T_UNAME
 * ("sysname release machine", may be NULL), else from the ring header's
 * machine (may be NULL or ""), else -1. */
int gs_host_em(const char *uname, const char *ring_machine);

#endif
