#!/usr/bin/env bash
# A failure in a hot loop: SQLite looks for its -journal and -wal files
# before every transaction, and each look fails (newfstatat ENOENT), well
# over 100,000 times in the test suite of github.com/mattn/go-sqlite3.
# The test binary is built once (cgo, gcc) into a module cache under
# /tmp kept warm between runs, and the binary itself is timed, so that
# compiling does not dominate.  Modes interleaved round by round, medians
# and ratios against the bare run of the same round set, of the wall time
# and of the CPU time (user + system of the command and, under goshimctl,
# the engine: steadier than the wall time on a loaded machine, where the
# suite's own sleeps and lock waits stretch):
#
#   bare         the test binary as it is
#   run          goshimctl run -- binary            (as root: the in-kernel watcher)
#   run-notify   GOSHIM_TRACE_EBPF=0 goshimctl run  (root only: notifications only)
#   preload      LD_PRELOAD=libgoshim.so binary     (the cgo binary is dynamic:
#                                                    the hand-over to the engine)
#   notify-before, run-before   the same two with another goshimctl (BEFORE=path)
#
# Then, unless COUNT=0, one run per engine mode with an independent
# counter inside the tree (perf stat of the tracepoint
# syscalls:sys_exit_newfstatat, ret < 0 but the kernel's restart codes,
# for the test binary alone; no
# seccomp, no ptrace), in a ring big enough to keep every record: the sum
# of the counts of the binary's newfstatat records must equal it.
#
#   bash bench/sqlite.sh [BUILDDIR] [ROUNDS]     (ROUNDS 0: the count alone)
#
# Env: MODES (a subset of the modes above), BEFORE, SQLITE_DIR (default
# /tmp/goshim-sqlite), GO (default go on PATH), COUNT, CTL (the goshimctl of
# the run modes; default BUILDDIR's).
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-5}
dir=${SQLITE_DIR:-/tmp/goshim-sqlite}
go=${GO:-$(command -v go)}
ver=v1.14.53
bench_build "$build"
ctl=${CTL:-$PWD/$build/ctl/goshimctl}
lib=$PWD/$build/preload/libgoshim.so
bin=$dir/sqlite3.test

if [ ! -x "$bin" ]; then
	echo "building the go-sqlite3 $ver test binary into $dir (once; a few minutes)" >&2
	mkdir -p "$dir/m"
	(
		cd "$dir/m"
		export GOMODCACHE=$dir/modcache GOPATH=$dir/gopath GOCACHE=$dir/cache
		export GOFLAGS=-mod=mod GOTOOLCHAIN=local
		[ -f go.mod ] || printf 'module sqlitebench\n\ngo 1.21\n' >go.mod
		"$go" get "github.com/mattn/go-sqlite3@$ver"
		nice "$go" test -c -o "$bin" github.com/mattn/go-sqlite3
	)
fi

out=$(mktemp -d /tmp/goshim-bench-sqlite.XXXXXX)
trap 'rm -rf "$out"' EXIT
cd "$out"

# cmd := how mode runs a command (the words before it)
mode_cmd() {
	case $1 in
	bare) cmd=() ;;
	run) cmd=("$ctl" run --ring "$out/ring" --) ;;
	run-notify) cmd=(env GOSHIM_TRACE_EBPF=0 "$ctl" run --ring "$out/ring" --) ;;
	run-before) cmd=("$BEFORE" run --ring "$out/ring" --) ;;
	notify-before) cmd=(env GOSHIM_TRACE_EBPF=0 "$BEFORE" run --ring "$out/ring" --) ;;
	preload) cmd=(env GOSHIM_RING="$out/ring" LD_PRELOAD="$lib") ;;
	esac
}

modes="bare run"
[ "$(id -u)" -eq 0 ] && modes="bare run run-notify"
modes=${MODES:-$modes}
[ -n "${BEFORE:-}" ] && [ -z "${MODES:-}" ] && modes+=" run-before notify-before"

echo "go-sqlite3 $ver test binary $bin; $rounds interleaved rounds; modes: $modes" >&2
for r in $(seq "$rounds"); do
	for mode in $modes; do
		rm -f "$out/ring"
		st=0
		mode_cmd "$mode"
		/usr/bin/time -f "%e %U %S" -o "$out/t" "${cmd[@]}" "$bin" -test.count=1 \
			>"$out/log" 2>&1 || st=$?
		[ "$st" -eq 0 ] || { echo "$mode: exit $st: $(tail -3 "$out/log")" >&2; }
		read -r wall user sys < <(tail -1 "$out/t")
		echo "sqlite $mode $wall $user $sys" >>"$out/times"
	done
done

[ "$rounds" -gt 0 ] && python3 - "$out/times" <<'PY'
import statistics, sys
wall, cpu = {}, {}
for line in open(sys.argv[1]):
    w, m, e, u, s = line.split()
    wall.setdefault(m, []).append(float(e))
    cpu.setdefault(m, []).append(float(u) + float(s))
print(f"{'mode':13} {'wall s':>7} {'ratio':>6}  {'cpu s':>7} {'ratio':>6}  wall runs")
bw, bc = statistics.median(wall['bare']), statistics.median(cpu['bare'])
for m in wall:
    w, c = statistics.median(wall[m]), statistics.median(cpu[m])
    print(f"{m:13} {w:7.1f} {w / bw:6.3f}  {c:7.1f} {c / bc:6.3f}  "
          + " ".join(f"{v:.1f}" for v in wall[m]))
PY

[ "${COUNT:-1}" = 0 ] && exit 0
# The exact count: the binary's failed newfstatat calls, counted by perf
# (its own calls are not: it counts the command it starts) and by goshim.
for mode in $modes; do
	case $mode in bare|preload|*-before) continue ;; esac
	rm -f "$out/ring" "$out/perf"
	mode_cmd "$mode"
	# -512..-516 (ERESTARTSYS & co.) never reach the program: a call
	# interrupted by a signal while it waits for the engine comes round
	GOSHIM_RING_SIZE=256M "${cmd[@]}" perf stat -x, -o "$out/perf" \
		-e syscalls:sys_exit_newfstatat --filter 'ret < 0 && (ret < -516 || ret > -512)' \
		-e syscalls:sys_exit_newfstatat --filter 'ret >= -516 && ret <= -512' \
		-- "$bin" -test.count=1 >"$out/log" 2>&1 || true
	want=$(awk -F, '/sys_exit_newfstatat/ { print $1; exit }' "$out/perf")
	echo "perf: $(awk -F, '/sys_exit_newfstatat/ { n++ } n == 2 { print $1; exit }' \
		"$out/perf") newfstatat calls interrupted and restarted"
	"$ctl" decode --json "$out/ring" >"$out/json" 2>/dev/null || true
	python3 - "$out/json" "$bin" "$mode" "$want" <<'PY'
import json, sys
path, exe, mode, want = sys.argv[1:5]
got = recs = lost = 0
for line in open(path):
    r = json.loads(line)
    if r.get("type") == "event" and r.get("syscall") == "newfstatat" and r.get("exe") == exe:
        got += r.get("count", 1)
        recs += 1
print(f"count {mode}: perf {want} failed newfstatat, goshim {got} in {recs} records: "
      + ("exact" if str(got) == want else "MISMATCH"))
PY
	"$ctl" decode "$out/ring" 2>/dev/null | sed -n 1p || true
done
