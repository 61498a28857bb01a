#!/usr/bin/env bash
# Cross-process repeats: what failed calls cost the ring, before and after,
# with the default 4 MiB ring, on two workloads under `goshimctl run`:
#
#   cgo          a cold `go test` of a small cgo package under a seccomp
#                profile answering statx, faccessat2 and clone3 with EPERM
#                (tests/scenarios/test_seccomp.c, cgo_go_test_cold_default_ring):
#                every gcc, cc1, as and ld searches the same missing paths
#   packages     `go test ./go/packages` of golang.org/x/tools (VERSION),
#                build cache primed first, so that both runs do the same work
#
# For each goshimctl given (e.g. one built from the commit before the change
# and one after): records committed, routine-lane bytes (every byte the
# failed calls took, overwritten or not), records overwritten, repeats
# written by the engine, and the report's findings (ids), which must be the
# same.
#
#   bash bench/repeats.sh BEFORE/goshimctl AFTER/goshimctl [cgo|packages|all]
#
# Each goshimctl must be named goshimctl (any other name is a shim).
# Measured on the shared 2-vCPU VM, as root, Go 1.26 (docs/design.md):
#   cgo       before 4.66 MiB for 9,643 failed calls, 2,699 of 10,066 records
#             lost; repeats 3.19 MiB, 6,498 repeats, 423 lost; repeats and
#             the dictionary 2.61 MiB, 6,543 repeats, 0 lost; the report's
#             finding the same each time (error seccomp-legacy-profile)
#   packages  before 102.3 MiB for 140,329 failed calls (764 bytes each),
#             136,767 of 142,457 lost; after 63.1 MiB for 100,367 (659
#             bytes each), 34,924 repeats, 92,012 of 102,022 lost; no
#             finding either time (the runs did not do the same work)
#
# Env: GO (default /usr/local/go/bin/go), VERSION (x/tools, default
# v0.52.0; the module comes from the Go module proxy).  Needs root for the
# in-kernel watcher (else the engine notifies every call: slower, same
# records).
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,35p "$0"; exit 2; }
before=$1 after=$2 what=${3:-all}
go=${GO:-/usr/local/go/bin/go}
version=${VERSION:-v0.52.0}
work=$(mktemp -d /tmp/goshim-repeats.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
unset LD_PRELOAD GOSHIM_RING_SIZE
gcc -O2 -o "$work/seccomp-deny" bench/seccomp-deny.c -lseccomp || exit 1

# ring summary: committed, routine head, lost, findings
summary() { # LABEL RING CTL STATS
	python3 - "$1" "$2" "$4" <<'PY'
import struct, sys
label, ring, stats = sys.argv[1:4]
h = open(ring, 'rb').read(4096)
committed = struct.unpack_from('<Q', h, 320)[0]
routine = struct.unpack_from('<Q', h, 256)[0]
lane1c = struct.unpack_from('<Q', h, 640)[0]
lane2c = struct.unpack_from('<Q', h, 768)[0]
rep = [w.split('=')[1] for w in stats.split() if w.startswith('repeats=')]
print(f"{label}: committed {committed} (failed calls {committed - lane1c - lane2c}), "
      f"failed-call bytes {routine} ({routine / 2**20:.2f} MiB), "
      f"repeats {rep[0] if rep else 'n/a'}", end='')
PY
	"$3" decode "$2" | head -1 | sed 's/.*\(found [0-9]*, lost [0-9]*\( ([^)]*)\)*\).*/; \1/'
	"$3" report --json "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ids = sorted("%s:%s" % (f.get("severity"), f.get("pattern")) for f in d.get("findings", []))
print("  findings:", " ".join(ids) or "none", " unclassified:", len(d.get("unclassified", [])),
      " suppressed:", d.get("suppressed", {}).get("total"))'
}

cgo() {
	local ctl=$1 label=$2 m=$work/cgo-$2
	mkdir -p "$m"
	printf 'module c\n\ngo 1.21\n' >"$m/go.mod"
	printf 'package main\n\n// #include <stdlib.h>\n// static int two(void) { return abs(-2); }\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println("cgo says", C.two()) }\n' >"$m/main.go"
	printf 'package main\n\n// static int two2(void) { return 2; }\nimport "C"\n\nfunc C2() int { return int(C.two2()) }\n' >"$m/lib.go"
	printf 'package main\n\nimport "testing"\n\nfunc TestTwo(t *testing.T) {\n\tif C2() != 2 {\n\t\tt.Fatal("two")\n\t}\n}\n' >"$m/main_test.go"
	local stats
	stats=$(cd "$m" && GOCACHE=$m/gocache CGO_ENABLED=1 "$work/seccomp-deny" \
		statx,faccessat2,clone3 -- "$ctl" run --stats --ring "$m/ring" -- \
		"$go" test . 2>&1 >/dev/null | grep 'goshimctl: traced=')
	summary "cgo $label" "$m/ring" "$ctl" "$stats"
}

packages() {
	local ctl=$1 label=$2 src=$work/tools
	if [ ! -d "$src" ]; then
		local dir
		dir=$(cd "$work" && GOPATH=$work/gopath "$go" mod download -json \
			"golang.org/x/tools@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
		cp -r "$dir" "$src" && chmod -R u+w "$src"
		(cd "$src" && GOPATH=$work/gopath GOCACHE=$work/gocache "$go" test -count=1 \
			-run '^$' ./go/packages >/dev/null)
	fi
	local stats
	stats=$(cd "$src" && GOPATH=$work/gopath GOCACHE=$work/gocache "$ctl" run --stats \
		--ring "$work/pk-$label.ring" -- "$go" test -count=1 ./go/packages 2>&1 \
		>"$work/pk-$label.out" | grep 'goshimctl: traced=')
	echo "packages $label: go test said: $(tail -1 "$work/pk-$label.out")"
	summary "packages $label" "$work/pk-$label.ring" "$ctl" "$stats"
}

for w in cgo packages; do
	[ "$what" = all ] || [ "$what" = "$w" ] || continue
	"$w" "$before" before
	"$w" "$after" after
done
