/* SPDX-License-Identifier: Apache-2.0 */
/* The ring goshimctl uses when none is named: the one `goshimctl run`, the
 * masquerade and `report` without a RING all agree on. */
#ifndef GS_CTL_RINGPATH_H
#define GS_CTL_RINGPATH_H

#include <stddef.h>

/* Ring path from $GOSHIM_RING, else /tmp/goshim-<euid>.ring, in buf.  A
 * relative $GOSHIM_RING is made absolute against the working directory
 * and put back into the environment (the command inherits it). */
const char *gs_run_default_ring(char *buf, size_t cap);

#endif
