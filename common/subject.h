/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshimctl is never a subject.  Its executable exports one data symbol of
 * this name (-Wl,--export-dynamic-symbol); libgoshim.so's constructor looks
 * it up once in the program's own exports and, when the program defines it,
 * records nothing in that process (nor hands it over).  What goshimctl
 * executes loads libgoshim.so afresh and is recorded as usual.
 */
#ifndef GS_SUBJECT_H
#define GS_SUBJECT_H

#define GOSHIM_NOT_A_SUBJECT "goshim_not_a_subject"

#endif
