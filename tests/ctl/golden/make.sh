#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Rebuild the golden ring of tests/ctl/test_golden.c: ctl-tagger run under
# libgoshim.so and under `goshimctl run`, then its decode in text and JSON.
# Only for a deliberate change of the record format or of decode's output:
# the files are the proof that a refactoring left both unchanged.
#   sh tests/ctl/golden/make.sh BUILD_DIR
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
rm -f tags.ring
export PATH=/nonexistent-goshim-tags/bin:/nonexistent-goshim-tags/sbin
GOSHIM_RING_SIZE=64k GOSHIM_RING="$here/tags.ring" \
	LD_PRELOAD="$build/preload/libgoshim.so" "$build/tests/ctl/ctl-tagger" || true
GOSHIM_RING_SIZE=64k "$build/ctl/goshimctl" run --append --no-probe --ring "$here/tags.ring" -- \
	"$build/tests/ctl/ctl-tagger" || true
"$build/ctl/goshimctl" decode --type all --no-symbols tags.ring > tags.txt
"$build/ctl/goshimctl" decode --type all --no-symbols --json tags.ring > tags.jsonl
