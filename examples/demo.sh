#!/usr/bin/env bash
# goshim's main job on the bundled example: install what is missing, build,
# run examples/failing.c under libgoshim.so, decode the ring it left and
# explain the failures.
#
#   bash examples/demo.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

bash .ci/install-deps
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build" >/dev/null

work=$(mktemp -d /tmp/goshim-demo.XXXXXX)
cp "$build/examples/musl-hello" "$work/"
printf '#!/bin/sh\necho hello\n' >"$work/not-executable.sh"
chmod 0644 "$work/not-executable.sh"
: >"$work/not-a-dir"
ring="$work/example.ring"

echo "== running examples/failing under libgoshim.so (ring: $ring)"
GOSHIM_RING="$ring" LD_PRELOAD="$PWD/$build/preload/libgoshim.so" \
	"$build/examples/failing" "$work"

echo
echo "== goshimctl decode $ring"
"$build/ctl/goshimctl" decode "$ring"

echo
echo "== goshimctl report $ring"
# exit status 1 means: error findings (the example's failures are real)
rc=0
"$build/ctl/goshimctl" report "$ring" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
