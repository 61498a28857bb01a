#!/usr/bin/env bash
# Train the zstd dictionary libgoshim.so and goshimctl share for record
# payloads (codec GOSHIM_CODEC_DICT).  Records are small (a few hundred
# bytes) and alike: without a dictionary every zstd frame starts cold.
#
# Runs failing workloads typical of a CI job under libgoshim.so with
# compression on, dumps the decoded payloads, trains a 16 KiB dictionary
# and prints the compressed sizes with and without it.
#
# The dictionary ships in every binary: it must hold nothing of the
# trainer's machine.  The workloads run in a clean environment (env -i,
# a fixed PATH, HOME and work directory under /tmp/goshim-train) from
# copies of the example binaries, the kernel release is replaced in the
# samples, and the result is refused when it holds the build or source
# tree's path, $HOME, the kernel release or a directory of $PATH outside
# the system's (tests/install/check-installed.sh checks the installed
# files the same way).
#
#   bash tools/train-dict.sh BUILDDIR OUT.dict DICT_ID
set -euo pipefail
build=$(cd "$1" && pwd) out=$(realpath "$2") id=$3
srcdir=$(cd "$(dirname "$0")/.." && pwd)
lib=/tmp/goshim-train/lib/libgoshim.so
work=/tmp/goshim-train
if [ -e "$work" ]; then
	echo "train-dict.sh: $work exists; remove it first" >&2
	exit 1
fi
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/samples" "$work/src" "$work/lib"
cp "$build/preload/libgoshim.so" "$lib"
ring=$work/train.ring
cd "$work" # the working directory is recorded too
sys_path=/usr/local/bin:/usr/bin:/bin
run() {
	env -i PATH=$sys_path HOME=$work LANG=C.UTF-8 \
		GOSHIM_RING=$ring GOSHIM_RING_SIZE=64M LD_PRELOAD=$lib "$@" >/dev/null 2>&1 || true
}

# the bundled example
ex=$work/ex; mkdir -p "$ex"; cp "$build/examples/musl-hello" "$build/examples/failing" "$ex/"
printf '#!/bin/sh\n' >"$ex/not-executable.sh"; : >"$ex/not-a-dir"
run "$ex/failing" "$ex"
# a C compiler probing include and library paths, a shell, make, python
printf '#include <stdio.h>\n#include <zlib.h>\nint main(void){return 0;}\n' >"$work/src/a.c"
run gcc -c -o "$work/src/a.o" "$work/src/a.c"
run gcc -o "$work/src/b" -x c - <<<'int main(void){return 0;}'
run sh -c 'command -v clang; ls /nonexistent; cat /etc/missing.conf'
run make -C "$work/src" no-such-target
run python3 -c 'import json, sqlite3, no_such_module'
# Debian's dynamically linked go, when installed
if [ -x /usr/lib/go-1.19/bin/go ]; then
	mkdir -p "$work/mod"
	printf 'module example.com/m\n\ngo 1.19\n' >"$work/mod/go.mod"
	printf 'package m\n\nfunc F() int { return 1 }\n' >"$work/mod/m.go"
	(cd "$work/mod" && run env GOCACHE=$work/cache GOFLAGS=-mod=mod \
		/usr/lib/go-1.19/bin/go build ./...)
fi

"$build/tools/dump-payloads" "$work/samples" "$ring"
# the machine's kernel release is recorded (uname): a Debian-like one of
# the same length instead (payload fields carry their length)
python3 - "$(uname -r)" "$work"/samples/*.bin <<'PY'
import sys
rel = sys.argv[1].encode()
n = len(rel)
fake = (b'6.1.0-' + b'9' * max(0, n - 12) + b'-amd64')[:n] if n >= 12 else b'6.1.0-amd64'[:n]
for f in sys.argv[2:]:
    data = open(f, 'rb').read()
    if rel in data:
        open(f, 'wb').write(data.replace(rel, fake))
PY
zstd -q --train "$work"/samples/*.bin --maxdict=16384 --dictID="$((id))" -o "$out"

# nothing of this machine in it
leaks=("$build" "$srcdir" "$HOME/" "$(uname -r)")
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	case ":$sys_path:/usr/local/sbin:/usr/sbin:/sbin:" in *":$d:"*) ;; *) leaks+=("$d") ;; esac
done
for s in "${leaks[@]}"; do
	if grep -qaF -- "$s" "$out"; then
		echo "train-dict.sh: $out holds $s; not used" >&2
		rm -f "$out"
		exit 1
	fi
done

raw=$(cat "$work"/samples/*.bin | wc -c)
plain=0 dict=0
for f in "$work"/samples/*.bin; do
	plain=$((plain + $(zstd -q -1 -c "$f" | wc -c)))
	dict=$((dict + $(zstd -q -1 -D "$out" -c "$f" | wc -c)))
done
n=$(ls "$work/samples" | wc -l)
echo "samples $n, raw $raw bytes, zstd -1 $plain bytes, zstd -1 with dictionary $dict bytes"
