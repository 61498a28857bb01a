#!/usr/bin/env bash
# The accuracy table of docs/scenarios.md: every scenario test
# (tests/scenarios/, each a pattern reproduced for real and held to
# `goshimctl report`) run once per toolchain and engine, and one row per
# pattern: how many of its scenario tests passed in each column.
#
#   bash bench/accuracy.sh [BUILDDIR] [COLUMN...]      # root
#
# Columns (the scenario harness's knobs, tests/scenarios/sc.h):
#
#   126-run      Go 1.26 official (static go), goshimctl run, in-kernel watcher
#   126-notify   the same with GOSHIM_TRACE_EBPF=0 (every watched call a
#                notification: what a user without CAP_BPF gets)
#   119-run      Debian's Go 1.19 (GOSHIM_SC_GO), goshimctl run
#   119-notify   Debian's Go 1.19, GOSHIM_TRACE_EBPF=0
#   119-preload  Debian's Go 1.19 under LD_PRELOAD (GOSHIM_SC_ENGINE=preload:
#                the dynamic go hands itself over to the trace engine)
#
# The preload with the official Go is not a column: its go is static,
# LD_PRELOAD never loads (goshimctl run or the shims are the way there).
# A cell "p/n": p of the pattern's n scenario tests passed; the TAP
# output of every run stays in WORK (default /tmp/goshim-accuracy) with
# each failure's reason.  Scenarios that pick their engine or toolchain
# themselves (e.g. `*_preload`, `*_go119_*`) run as they are in every
# column.  One test executable at a time, one job, under nice.
# TABLE_ONLY=1: print the table of the runs already in WORK.  SUITES="tmpdir
# gocache ...": only those scenario executables (test-scen-NAME).
. "$(dirname "$0")/lib.sh"
build=${1:-build}
shift || true
cols=("$@")
[ ${#cols[@]} -gt 0 ] || cols=(126-run 126-notify 119-run 119-notify 119-preload)
[ "$(id -u)" -eq 0 ] || { echo "accuracy.sh: needs root (the scenarios do)" >&2; exit 2; }
bench_build "$build"
work=${WORK:-/tmp/goshim-accuracy}
mkdir -p "$work"
go119=/usr/lib/go-1.19/bin/go

# pattern | scenario tests (suite::name shell patterns, space-separated).
# A table test (one Criterion test run once per row) is one line with the
# patterns of its rows: Criterion's TAP does not say which row is which,
# a failing row's message does.
patterns=(
	"gocache-init-denied|gocache::root_owned_empty_cache_is_fatal_for_uid_65534"
	"gocache-readonly ×2, gocache-undefined (rows of gocache::broken)|gocache::broken"
	"gocache-foreign-owner|gocache::root_written_cache_is_a_silent_warning_for_uid_65534"
	"gocache-noexec|gocache::noexec_cache_breaks_cached_go_run"
	"gomodcache-denied|gocache::root_owned_module_cache_for_uid_65534"
	"gomodcache-file-readonly|modcache::*"
	"vendor-inconsistent|exec::vendor_mode_without_modules_txt"
	"tmpdir-noexec|tmpdir::noexec_*"
	"tmpdir-unusable|tmpdir::gotmpdir_missing"
	"disk-full ×2 (rows of tmpdir::disk_full)|tmpdir::disk_full"
	"elf-interpreter-missing, exec-format, exec-not-executable ×2 each (rows of exec::tool_fails: go test under the column's engine, sh under the preload)|exec::tool_fails"
	"elf-interpreter-missing (script)|execfmt::script_interpreter_missing"
	"exec-format (ELF layouts)|execfmt::big_endian_64 execfmt::little_endian_32 execfmt::truncated_header"
	"exec-text-busy|exec::text_file_busy"
	"exec-denied-lsm|lsm::landlock_exec_*"
	"lsm-denied|lsm::landlock_gocache_*"
	"cgo-compiler-missing|exec::cgo_without_c_compiler exec::cgo_compiler_missing_survived_by_go_list"
	"cgo-header-missing|cgodev::header_*"
	"cgo-library-missing|cgodev::library_*"
	"seccomp-memfd-denied, seccomp-legacy-profile ×3, seccomp-time64-denied (rows of seccomp::denied)|seccomp::denied"
	"seccomp-legacy-profile (clone3, a cgo binary)|seccomp::clone3_denied_then_flood"
	"race-shadow-mmap|limits::race_under_low_ulimit_v"
	"fd-limit|limits::tiny_nofile_hard_limit"
	"pids-limit|pids::*"
	"elf-version-missing|elfver::*"
	"(healthy runs: no finding)|clean::* evidence::* lsm::mode_0700_exec_is_not_lsm seccomp::cgo_go_test_cold_default_ring"
	"(failed runs no pattern explains: unexplained)|unexplained::*"
)

col_env() {
	case $1 in
	126-run) echo "" ;;
	126-notify) echo "GOSHIM_TRACE_EBPF=0" ;;
	119-run) echo "GOSHIM_SC_GO=$go119" ;;
	119-notify) echo "GOSHIM_SC_GO=$go119 GOSHIM_TRACE_EBPF=0" ;;
	119-preload) echo "GOSHIM_SC_GO=$go119 GOSHIM_SC_ENGINE=preload" ;;
	esac
}

for col in "${cols[@]}"; do
	[ -z "${TABLE_ONLY:-}" ] || break
	case $col in 119-*) [ -x "$go119" ] || { echo "no $go119: $col not run" >&2; continue; } ;; esac
	for exe in "$build"/tests/scenarios/test-scen-*; do
		[ -f "$exe" ] && [ -x "$exe" ] || continue
		if [ -n "${SUITES:-}" ] && [[ " $SUITES " != *" ${exe##*/test-scen-} "* ]]; then
			continue
		fi
		echo "accuracy: $col $(basename "$exe")" >&2
		env GOSHIMCTL="$PWD/$build/ctl/goshimctl" GOSHIM_PRELOAD="$PWD/$build/preload/libgoshim.so" \
			GOSHIM_BUILD_ROOT="$PWD/$build" GOSHIM_SOURCE_ROOT="$PWD" \
			GOSHIM_RULES="$PWD/data/rules/goshim.rules" $(col_env "$col") \
			nice "$exe" -j1 --tap="$work/$col.$(basename "$exe").tap" >/dev/null 2>&1 || true
	done
done

# cell COL GLOBS: passed/total of the tests matching any glob
cell() {
	local col=$1 pass=0 total=0 name st g
	shift
	compgen -G "$work/$col.test-scen-*.tap" >/dev/null || { echo "not run"; return; }
	while read -r st name; do
		for g in "$@"; do
			# shellcheck disable=SC2053
			if [[ $name == $g ]]; then
				total=$((total + 1))
				[ "$st" = ok ] && pass=$((pass + 1))
				break
			fi
		done
	done < <(cat "$work/$col".test-scen-*.tap |
		sed -nE 's/^(ok|not ok)( [0-9]+)? - ([a-z0-9_]+::[a-z0-9_]+).*/\1 \3/p' |
		sed 's/^not ok/fail/')
	if [ "$total" -gt 0 ]; then
		echo "$pass/$total"
		return
	fi
	# none: the executable of the tests was not run in this column
	for g in "$@"; do
		[ -s "$work/$col.test-scen-${g%%::*}.tap" ] && { echo "—"; return; }
	done
	echo "not run"
}

printf '| pattern |'
printf ' %s |' "${cols[@]}"
printf '\n|---|'
printf -- '---|%.0s' "${cols[@]}"
printf '\n'
for row in "${patterns[@]}"; do
	id=${row%%|*}
	read -ra globs <<<"${row#*|}"
	printf '| %s |' "$id"
	for col in "${cols[@]}"; do
		printf ' %s |' "$(cell "$col" "${globs[@]}")"
	done
	printf '\n'
done
