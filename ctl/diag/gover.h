/* SPDX-License-Identifier: Apache-2.0 */
/* Go version strings as cmd/go orders them (go/version): "1.21" (a
 * language version) < "1.21rc1" < "1.21.0" < "1.21.1"; a leading "go"
 * ("go1.26.8", a toolchain line's "go1.99.0") is ignored, and so is a
 * "-suffix" ("go1.22.0-custom"). */
#ifndef GS_DIAG_GOVER_H
#define GS_DIAG_GOVER_H

/* <0, 0, >0 as a is older than, the same as, newer than b; 0 also when
 * either is no Go version (check with gs_gover_valid). */
int gs_gover_cmp(const char *a, const char *b);

/* True when v reads as a Go version ("1.21", "go1.26.8", "1.22rc1"). */
int gs_gover_valid(const char *v);

#endif
