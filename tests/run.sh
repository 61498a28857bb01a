#!/usr/bin/env bash
# Run goshim's full test suite: install what is missing, build, meson test.
# Many scenario tests need root (mounts, other uids, seccomp): run as root;
# without it they are reported as SKIPPED with the reason, never passed.
#
#   bash tests/run.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

bash .ci/install-deps
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build"
meson test -C "$build" --print-errorlogs --num-processes 2
