#!/usr/bin/env bash
# The unmount race of Go's os/exec TestFindExecutableVsNoexec, stressed:
# RUNS times, a new process mounts a tmpfs, remounts it noexec, fails an
# exec and X_OK checks on it and unmounts it at once, all under one
# `goshimctl run` (tests/trace/tp_safety.c).  The unmount must never fail
# with EBUSY: the engine holds nothing in the tracee's filesystems once a
# call is answered, and the watcher's failures are recorded before an
# umount2 goes on.  Needs root (mount).  Prints the EBUSY count per engine.
#
#   sudo bash bench/umount-stress.sh [BUILDDIR] [RUNS]
. "$(dirname "$0")/lib.sh"
build=${1:-build}
runs=${2:-200}

bench_build "$build"
prog="$PWD/$build/tests/trace/tp-safety"
ctl="$PWD/$build/ctl/goshimctl"
ring=$(mktemp /tmp/goshim-umount.XXXXXX)
trap 'rm -f "$ring"' EXIT
fail=0
for ebpf in 1 0; do
	rm -f "$ring"
	busy=$(GOSHIM_TRACE_EBPF=$ebpf timeout 1800 "$ctl" run --ring "$ring" -- sh -c '
		busy=0
		for i in $(seq "$1"); do
			"$2" umount 1 >/dev/null
			case $? in 0) ;; 1) busy=$((busy + 1)) ;; *) echo "cannot mount" >&2; exit 2 ;; esac
		done
		echo "$busy"' sh "$runs" "$prog")
	echo "GOSHIM_TRACE_EBPF=$ebpf: EBUSY $busy of $runs unmounts"
	[ "$busy" = 0 ] || fail=1
done
exit $fail
