/* SPDX-License-Identifier: Apache-2.0 */
/* Opening a ring for decode and report: the file is somebody's, maybe not
 * the invoking user's. */
#ifndef GS_CTL_RINGOPEN_H
#define GS_CTL_RINGOPEN_H

#include <stddef.h>

#include "ring_read.h"

/* Open path without blocking (common/ring_file.h: a FIFO, a device or a
 * directory is refused with a sentence naming what it is), and read it
 * into r (set r->dict_lookup before).  0, or -1 with err holding "PATH: why".
 *
 * When the file belongs to a user other than the effective one, owner
 * gets a warning sentence (else it is empty): such a ring's records are
 * whatever that user chose to write, and a ring at somebody else's
 * default path also means that user's own programs recorded nothing.
 *
 * The file is read as it is, at once: waiting for the trace engines still
 * writing it (engines.h) is the command's decision, made before. */
int gs_ctl_ring_load(struct gs_ring_reader *r, const char *path, char *err, size_t errlen,
		     char *owner, size_t ownerlen);

#endif
