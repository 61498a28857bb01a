#!/usr/bin/env bash
# Reading a big ring: `goshimctl decode` (text, symbols included), `decode
# --json`, `report` and `report --format=json` of one ring of RECORDS
# distinct failed opens (bench/storm.c: 4 threads under libgoshim.so, each
# record with a 3-frame backtrace in 2 modules, a ring of 256 MiB so that
# nothing wraps), in interleaved rounds; medians of the wall time and of
# the CPU time (user + system), each as a ratio to the text decode of the
# same goshimctl in the same run.  With a second goshimctl (one built from
# the commit before a change), both are timed in the same rounds.  The
# JSON bytes per record are counted once per goshimctl.
#
#   bash bench/decode.sh [BUILDDIR] [ROUNDS] [RECORDS] [BASELINE_GOSHIMCTL]
#
# Output goes to /dev/null: what is timed is reading, decoding and
# formatting.
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-5}
records=${3:-200000}
baseline=${4:-}

bench_build "$build"
cc -O2 -pthread -o "$build/bench-storm" bench/storm.c

out=$(mktemp -d /tmp/goshim-decode.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir "$out/miss"
echo "decode: a ring of $records failed opens ..." >&2
GOSHIM_RING="$out/ring" GOSHIM_RING_SIZE=256M GOSHIM_HANDOVER=0 \
	LD_PRELOAD="$PWD/$build/preload/libgoshim.so" \
	"$build/bench-storm" 4 $((records / 4)) "$out/miss" >/dev/null
{ "$build/ctl/goshimctl" decode --no-symbols "$out/ring" || true; } | head -1 >&2

python3 - "$out/ring" "$rounds" "$PWD/$build/ctl/goshimctl" $baseline <<'PY'
import os, resource, statistics, subprocess, sys, time
ring, rounds, ctls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = ['after', 'before'] if len(ctls) > 1 else ['goshimctl']
cmds = [('decode', ['decode']), ('decode --json', ['decode', '--json']),
        ('report', ['report']), ('report --format=json', ['report', '--format=json'])]
wall, cpu = {}, {}

def run(argv):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

for r in range(rounds):
    for name, ctl in zip(names, ctls):
        for label, args in cmds:
            w, c = run([ctl] + args + [ring])
            wall.setdefault((name, label), []).append(w)
            cpu.setdefault((name, label), []).append(c)
    print(f"round {r + 1}/{rounds}", file=sys.stderr)

for name, ctl in zip(names, ctls):
    out = subprocess.run([ctl, 'decode', '--json', ring], capture_output=True).stdout
    n = out.count(b'\n')
    print(f"{name}: {n} JSON lines, {len(out) / max(n, 1):.0f} bytes per line")
    base_w = statistics.median(wall[(name, 'decode')])
    base_c = statistics.median(cpu[(name, 'decode')])
    for label, _ in cmds:
        mw = statistics.median(wall[(name, label)])
        mc = statistics.median(cpu[(name, label)])
        print(f"  {label:22} wall {mw:6.2f} s ({mw / base_w:.2f}x)   "
              f"cpu {mc:6.2f} s ({mc / base_c:.2f}x)")
PY
