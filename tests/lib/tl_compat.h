/* SPDX-License-Identifier: Apache-2.0 */
/* The helper names the suites used before tests/lib, each the tests/lib
 * function that does the job now.  Included by the suites' old headers
 * (ctltest.h, ringtest.h, tt.h, gg.h, gt.h, sc.h, ringmake.h, harness.h,
 * tests/rec/util.h); new tests call tests/lib directly.  Goes away with
 * the last caller. */
#ifndef GS_TL_COMPAT_H
#define GS_TL_COMPAT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tl_env.h"
#include "tl_fs.h"
#include "tl_json.h"
#include "tl_rand.h"
#include "tl_read.h"
#include "tl_ring.h"
#include "tl_run.h"

/* paths, files, shell lines */
#define tt_build tl_build
#define sc_build tl_build
#define gg_build tl_build
#define gg_source tl_source
#define ct_path tl_path
#define ct_tmpdir() tl_tmpdir("ctl-test")
#define rt_tmpdir() tl_tmpdir("ring-test")
#define tt_tmpdir(tag) strdup(tl_tmpdir(tag))
#define gg_tmpdir(tag) strdup(tl_tmpdir(tag))
#define ct_rmtree tl_rmtree
#define rt_rmtree tl_rmtree
#define rt_slurp(path, len) ((uint8_t *)tl_slurp(path, len))
#define gt_slurp(path) tl_slurp(path, NULL)
#define rt_spit(path, buf, len) tl_spit(path, buf, len, 0600)
#define sc_write tl_write
#define tt_sh tl_sh
#define sc_sh tl_sh
#define gg_sh tl_sh
#define gg_out tl_sh_out
#define rt_as_nobody tl_as_nobody
#define RT_NOBODY TL_NOBODY
#define tt_ebpf_expected tl_ebpf_expected
#define rt_rand tl_rand

/* rings made and read */
#define ct_rec tl_payload
#define rm_rec tl_payload
#define ct_ring_new tl_ring_new
#define ct_rec_module tl_payload_module
#define TT_STR TL_STR
#define tt_rec tl_rec
#define fl_rec tl_rec
#define tt_ring tl_ring
#define tt_find tl_find
#define tt_count tl_count
#define tt_dump tl_dump
#define tt_free tl_free
#define rt_has_issue tl_has_issue
#define rt_field tl_field
#define rt_u32 tl_u32
#define rt_u64 tl_u64
#define rt_i32 tl_i32
#define rt_str tl_str
#define rt_count tl_nfields

/* goshimctl's JSON */
#define ct_json_lines tl_json_lines
#define ct_jstr tl_jstr
#define ct_jint tl_jint
#define sc_str tl_jstr0
#define rm_json tl_json
#define rm_patterns(root, buf, size) tl_patterns(root, NULL, buf, size)

#endif
