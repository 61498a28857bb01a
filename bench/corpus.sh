#!/usr/bin/env bash
# The false-positive corpus: the test suites of real third-party Go
# modules, fetched at pinned versions through the module proxy, run bare
# and under goshim.  For every module and way of running it, the per-test
# results (go test -json: pass, fail, skip of every test and package) must
# equal the bare run's, and `goshimctl report` must have no error finding,
# nothing unclassified and nothing unexplained.
#
#   bash bench/corpus.sh [BUILDDIR] [MODULE-SUBSTRING...]
#
# Ways of running (root; a module whose go.mod allows Go 1.19 also gets
# the two with Debian's dynamically linked go):
#
#   bare         go test -json ...               official Go (/usr/local/go)
#   run          goshimctl run -- go test ...    trace engine, in-kernel watcher
#   run-notify   GOSHIM_TRACE_EBPF=0 goshimctl run -- go test ...
#   bare-119     /usr/lib/go-1.19/bin/go test ...
#   preload-119  LD_PRELOAD=libgoshim.so /usr/lib/go-1.19/bin/go test ...
#   nobody-bare  as uid 65534 (setpriv): go test ...      (modules marked u)
#   nobody-run   as uid 65534: goshimctl run -- go test ... (notification
#                mode: no eBPF without privileges)
#
# Modules are fetched once (GOPROXY as configured; the measured runs use
# GOPROXY=off and a module cache filled beforehand) into WORK
# (default /tmp/goshim-corpus, kept between runs).  One module at a time,
# under nice: the machine may be shared.  Prints one table row per module
# and way; exit 1 when any row differs from bare or has a finding.
#
# Env: WORK, MODES (subset of the ways above), KEEP=1 (keep rings).
. "$(dirname "$0")/lib.sh"
build=${1:-build}
shift || true
filters=("$@")
bench_build "$build"
ctl=$PWD/$build/ctl/goshimctl
lib=$PWD/$build/preload/libgoshim.so
go126=/usr/local/go/bin/go
go119=/usr/lib/go-1.19/bin/go
work=${WORK:-/tmp/goshim-corpus}
mkdir -p "$work"
chmod 0755 "$work"

# module@version | packages | go test flags | u: also as uid 65534 | kind
corpus=(
	"github.com/google/uuid@v1.6.0|./...||u|small"
	"github.com/pkg/errors@v0.9.1|./...||u|small"
	"github.com/BurntSushi/toml@v1.6.0|.||u|small, parser"
	"github.com/spf13/afero@v1.15.0|.||u|file-heavy"
	"github.com/spf13/cobra@v1.10.2|.||u|subprocess, file modes"
	"github.com/gorilla/websocket@v1.5.3|.|-short||network on loopback"
	"github.com/golang/snappy@v1.0.0|.|-short||CPU-heavy"
	"github.com/mattn/go-sqlite3@v1.14.53|.|-short||cgo"
	"golang.org/x/tools@v0.52.0|./go/packages|-short||subprocess-heavy (go list)"
)

selected() {
	[ ${#filters[@]} -eq 0 ] && return 0
	local f
	for f in "${filters[@]}"; do
		[[ $1 == *"$f"* ]] && return 0
	done
	return 1
}

# per uid: a GOCACHE and a HOME; one read-only module cache filled by root
export GOMODCACHE=$work/modcache GOTOOLCHAIN=local GOFLAGS= GOTELEMETRY=off
mkdir -p "$work/root/home" "$work/root/cache" "$work/root/cache119" \
	"$work/nobody/home" "$work/nobody/cache"
chown -R 65534:65534 "$work/nobody"

# fetch MOD@VER into $work/src/MOD (a writable copy: the path ends in the
# module path, as in GOPATH, which some tests expect of their stack
# traces) and its dependencies
fetch() {
	local mv=$1 src=$2 dir
	[ -d "$src" ] && return 0
	dir=$(cd "$work" && "$go126" mod download -json "$mv" | jq -r .Dir)
	mkdir -p "$(dirname "$src")"
	cp -r "$dir" "$src.tmp"
	chmod -R u+w "$src.tmp"
	if [ ! -f "$src.tmp/go.mod" ]; then
		(cd "$src.tmp" && "$go126" mod init "${mv%@*}" >/dev/null 2>&1 &&
			"$go126" mod edit -go=1.13)
	fi
	(cd "$src.tmp" && cp go.mod go.mod.orig && "$go126" mod download)
	mv "$src.tmp" "$src"
}

# the go line of go.mod allows Go 1.19
go119_ok() {
	local v
	v=$(awk '$1 == "go" { print $2; exit }' "$1/go.mod")
	[ -z "$v" ] && return 0
	[ "$(printf '%s\n1.19\n' "$v" | sort -V | tail -1)" = 1.19 ]
}

# run_mode MODE DIR PKGS FLAGS OUT: go test -json into OUT.json, ring OUT.ring
run_mode() {
	local mode=$1 dir=$2 pkgs=$3 flags=$4 out=$5 go=$go126 who=root
	local -a pre=() eng=()
	case $mode in
	*-119) go=$go119 ;;
	esac
	case $mode in
	nobody-*) who=nobody; pre=(setpriv --reuid=65534 --regid=65534 --clear-groups) ;;
	esac
	case $mode in
	run|nobody-run) eng=("$ctl" run --ring "$out.ring" --) ;;
	run-notify) eng=(env GOSHIM_TRACE_EBPF=0 "$ctl" run --ring "$out.ring" --) ;;
	preload-119) eng=(env GOSHIM_RING="$out.ring" LD_PRELOAD="$lib") ;;
	esac
	local cache=$work/$who/cache
	[ "$go" = "$go119" ] && cache=$work/$who/cache119
	local s e rc=0 proxy=off flagsenv=
	# go >= 1.21 writes a go line into a go.mod that has none
	cp "$dir/go.mod.orig" "$dir/go.mod"
	# the warm-up may fetch and complete go.sum; the measured runs are
	# read-only (-mod=mod breaks tests that use go.work: x/tools)
	if [ -n "${MODES_WARM:-}" ]; then
		proxy=$("$go126" env GOPROXY)
		flagsenv=-mod=mod
		eng=()
	fi
	s=$(date +%s%N)
	(cd "$dir" && HOME=$work/$who/home GOCACHE=$cache GOPROXY=$proxy GOFLAGS=$flagsenv TMPDIR=/tmp \
		nice "${pre[@]}" "${eng[@]}" "$go" test -count=1 -json $flags $pkgs \
		>"$out.json" 2>"$out.err") || rc=$?
	e=$(date +%s%N)
	echo "$rc $(( (e - s) / 1000000 ))"
}

mode_dir() {
	case $1 in
	nobody-*) echo "$work/nobody/src/${mv%@*}" ;;
	*) echo "$src" ;;
	esac
}

# the verdicts of a go test -json stream: "package test action", sorted;
# long digit runs in subtest names (temp directories) made N
verdicts() {
	jq -r 'select(.Action == "pass" or .Action == "fail" or .Action == "skip")
		| "\(.Package) \(.Test // "-") \(.Action)"' "$1" 2>/dev/null |
		sed -E 's/[0-9]{6,}/N/g' | sort
}

# count ACTION FILE: tests (not packages) with that verdict ('' any)
count() {
	grep -v ' - ' "$2" | grep -c " ${1:-[a-z]*}\$" || true
}

out=$work/out
mkdir -p "$out"
chown 65534:65534 "$out"
bad=0
printf '%-30s %-12s %4s %6s %5s %5s %5s %5s %4s %4s %4s %6s\n' module mode exit tests pass fail skip diff err unc unx time
for entry in "${corpus[@]}"; do
	IFS='|' read -r mv pkgs flags users kind <<<"$entry"
	selected "$mv" || continue
	name=${mv%@*}; name=${name##*/}
	src=$work/src/${mv%@*}
	fetch "$mv" "$src"
	modes="bare run run-notify"
	if [ -x "$go119" ] && go119_ok "$src"; then
		modes+=" bare-119 preload-119"
	fi
	if [ "$users" = u ]; then
		modes+=" nobody-bare nobody-run"
	fi
	modes=${MODES:-$modes}
	# warm the build caches of each toolchain and uid, not measured
	for mode in $modes; do
		case $mode in bare|bare-119|nobody-bare) ;; *) continue ;; esac
		if [ "$mode" = nobody-bare ]; then # a copy of its own, with root's go.sum
			rm -rf "$work/nobody/src/${mv%@*}"
			mkdir -p "$work/nobody/src/${mv%@*}"
			cp -r "$src/." "$work/nobody/src/${mv%@*}"
			chown -R 65534:65534 "$work/nobody/src"
		fi
		MODES_WARM=1 run_mode "$mode" "$(mode_dir "$mode")" "$pkgs" "$flags -run ^\$" \
			"$out/$name.warm" >/dev/null
	done
	for mode in $modes; do
		o=$out/$name.$mode
		rm -f "$o.ring"
		read -r rc ms < <(run_mode "$mode" "$(mode_dir "$mode")" "$pkgs" "$flags" "$o")
		verdicts "$o.json" >"$o.v"
		base=$out/$name.bare.v
		case $mode in
		*-119) base=$out/$name.bare-119.v ;;
		nobody-*) base=$out/$name.nobody-bare.v ;;
		esac
		diff=0
		[ "$o.v" = "$base" ] || diff=$(diff "$base" "$o.v" | grep -c '^[<>]' || true)
		err=- unc=- unx=-
		if [ -f "$o.ring" ]; then
			"$ctl" report --json "$o.ring" >"$o.report.json" 2>/dev/null || true
			err=$(jq '[.findings[] | select(.severity == "error")] | length' "$o.report.json")
			unc=$(jq '.unclassified | length' "$o.report.json")
			unx=$(jq '.unexplained | length' "$o.report.json")
			"$ctl" report "$o.ring" >"$o.report.txt" 2>&1 || true
		fi
		printf '%-30s %-12s %4s %6s %5s %5s %5s %5s %4s %4s %4s %5.1fs\n' "${mv#*/}" "$mode" "$rc" \
			"$(count '' "$o.v")" "$(count pass "$o.v")" "$(count fail "$o.v")" \
			"$(count skip "$o.v")" "$diff" "$err" "$unc" "$unx" \
			"$(echo "scale=1; $ms / 1000" | bc)"
		# a failing run must be named: unexplained when the bare run failed
		# too (a module's own failing test), else nothing at all
		want_unx=0
		[ "$(head -c1 "$base.rc" 2>/dev/null || echo 0)" = 0 ] || want_unx=1
		[ "$o.v" = "$base" ] && echo "$rc" >"$base.rc"
		if [ "$diff" != 0 ] || { [ "$err" != - ] && { [ $((err + unc)) -ne 0 ] ||
			{ [ "$want_unx" = 0 ] && [ "$unx" != 0 ]; } ||
			{ [ "$want_unx" = 1 ] && [ "$unx" = 0 ]; }; }; }; then
			bad=1
			echo "  ^ differs from bare, or a finding (see $o.report.txt)"
		fi
		[ -n "${KEEP:-}" ] || [ "$bad" = 1 ] || rm -f "$o.ring"
	done
done
exit "$bad"
