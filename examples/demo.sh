#!/usr/bin/env bash
# goshim's main job on the bundled example: install what is missing, build,
# run examples/failing.c under libgoshim.so, decode the ring it left and
# explain the failures (examples/explain.sh).
#
#   bash examples/demo.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

bash .ci/install-deps
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build" >/dev/null

bash examples/explain.sh "$build"
