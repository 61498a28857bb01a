#!/usr/bin/env bash
# The bundled example without installing or building (examples/demo.sh
# does both first): run BUILDDIR's examples/failing under libgoshim.so in
# the conditions of a failing CI job, decode the ring it leaves and explain
# it with goshimctl report.  Every failure the example makes is named by
# report: exit status 1 (error findings), nothing unclassified.
#
#   bash examples/explain.sh [BUILDDIR]
#
# Env: DEMO_WORK, a directory for the helper files and the ring
# (default: a new one under /tmp); DEMO_QUIET=1 prints only the report.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
build=$(cd "$build" && pwd)

work=${DEMO_WORK:-$(mktemp -d /tmp/goshim-demo.XXXXXX)}
mkdir -p "$work"
cp "$build/examples/musl-hello" "$work/"
printf '#!/bin/sh\necho hello\n' >"$work/not-executable.sh"
chmod 0644 "$work/not-executable.sh"
: >"$work/not-a-dir"
ring="$work/example.ring"
rm -f "$ring"

# the job's environment: a C compiler that is not installed, and a build
# cache below a regular file (a HOME or XDG_CACHE_HOME that is a file)
say() { [ -n "${DEMO_QUIET:-}" ] || echo "$@"; }
say "== running examples/failing under libgoshim.so (ring: $ring)"
say "   CC=goshim-example-cc GOCACHE=$work/not-a-dir/go-build"
CC=goshim-example-cc GOCACHE="$work/not-a-dir/go-build" \
	GOSHIM_RING="$ring" LD_PRELOAD="$build/preload/libgoshim.so" \
	"$build/examples/failing" "$work" >"$work/failing.out"
[ -n "${DEMO_QUIET:-}" ] || cat "$work/failing.out"

if [ -z "${DEMO_QUIET:-}" ]; then
	echo
	echo "== goshimctl decode $ring"
	"$build/ctl/goshimctl" decode "$ring"
	echo
	echo "== goshimctl report $ring"
fi
# exit status 1 means: error findings (the example's failures are real)
rc=0
"$build/ctl/goshimctl" report "$ring" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
