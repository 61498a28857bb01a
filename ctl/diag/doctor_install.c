/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: this goshim itself — the rules file it reads (found relative to
 * goshimctl, selfpath.h) and whether its trace engine has the in-kernel
 * watcher (the meson option ebpf). */
#include "doctor.h"
#include "doctor_checks.h"
#include "goshim-config.h"

void gs_doctor_install(struct gs_doc *d)
{
	gs_doc_check(d, "rules-file", GS_CHK_OK, "%s", gs_rules_default_path());
#ifdef GOSHIM_EBPF_ABSENT
	gs_doc_check(d, "ebpf-built", GS_CHK_NOTE, "%s", GOSHIM_EBPF_ABSENT);
#else
	gs_doc_check(d, "ebpf-built", GS_CHK_OK, "in-kernel watcher built in (used as root, "
		     "or with CAP_BPF and CAP_PERFMON, on a kernel with BTF)");
#endif
}
