/* SPDX-License-Identifier: Apache-2.0 */
/* The ring goshimctl uses when none is named: the one `goshimctl run`, the
 * masquerade, `report` and libgoshim.so all agree on. */
#ifndef GS_CTL_RINGPATH_H
#define GS_CTL_RINGPATH_H

/* The ring from $GOSHIM_RING, else the default ring of the effective uid
 * (common/ringhome.h: $XDG_RUNTIME_DIR/goshim.ring, /tmp/goshim-EUID/
 * goshim.ring, or ~/.cache/goshim/goshim.ring when /tmp/goshim-EUID is
 * not ours).  A relative $GOSHIM_RING is made absolute against the working
 * directory and put back into the environment (the command inherits it).
 * create: make the default ring's directory (the writers; report only
 * looks).  When the usual directory cannot be used, one line on stderr,
 * prefixed by who, says whose it is and where the ring is instead.
 * Static storage; NULL when no place is ours (said on stderr).  *dflt
 * (may be NULL) is set to 1 for the default ring, 0 for $GOSHIM_RING. */
const char *gs_run_default_ring(const char *who, int create, int *dflt);

#endif
