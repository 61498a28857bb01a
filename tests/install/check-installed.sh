#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The installed tree (meson install --destdir) holds nothing of the build
# machine, and works wherever it is moved to:
#  1. no installed file holds the build or source tree's path, $HOME, or
#     a directory of $PATH outside the system's (the trained dictionary
#     once carried its trainer's: tools/train-dict.sh);
#  2. moved to another prefix, goshimctl reads the rules file of the
#     moved tree (`doctor` names it), not the source tree's nor the
#     configured prefix's;
#  3. moved, libgoshim.so hands a static program over to the moved
#     tree's goshimctl (the helper).
# Run by meson test (suite install) with GOSHIM_BUILD_ROOT and
# GOSHIM_SOURCE_ROOT set.
set -euo pipefail
build=${GOSHIM_BUILD_ROOT:?run through meson test} src=${GOSHIM_SOURCE_ROOT:?}
tmp=$(mktemp -d /tmp/goshim-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/dest" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; exit 1; }
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root=$tmp/dest$prefix
[ -x "$root/bin/goshimctl" ] || { echo "no $root/bin/goshimctl"; exit 1; }

# 1. nothing of this machine
leaks=("$build" "$src")
[ "${HOME:-/}" != / ] && leaks+=("$HOME/")
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	case ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:" in
	*":$d:"*) ;;
	*) [ -n "$d" ] && leaks+=("$d") ;;
	esac
done
for s in "${leaks[@]}"; do
	files=$(grep -rlaF -- "$s" "$tmp/dest" || true)
	[ -z "$files" ] || bad "installed files hold $s: $(echo $files | sed "s|$tmp/dest||g")"
done

# 2. moved elsewhere: its own rules
moved=$tmp/elsewhere/goshim
mkdir -p "$moved"
cp -a "$root/." "$moved/"
want=$moved/share/goshim/goshim.rules
got=$(cd "$tmp" && env -u GOSHIM_RULES "$moved/bin/goshimctl" doctor --format=json |
	python3 -c 'import json,sys; print([c["detail"] for c in json.load(sys.stdin)["checks"] if c["check"]=="rules-file"][0])' ||
	true)
[ "$got" = "$want" ] || bad "the moved goshimctl reads the rules file '$got', not $want"
# 3. moved elsewhere: libgoshim.so finds the moved goshimctl
lib=$(find "$moved" -name libgoshim.so | head -n1)
cp "$build/tests/trace/tp-fail-static" "$tmp/static-fail"
err=$(cd "$tmp" && env -u GOSHIMCTL GOSHIM_DEBUG=1 GOSHIM_RING="$tmp/r.ring" LD_PRELOAD="$lib" \
	bash -c 'exec "$0"' "$tmp/static-fail" 2>&1 >/dev/null || true)
case $err in
*"handed over to the trace engine"*) ;;
*) bad "the moved libgoshim.so did not hand over to the moved goshimctl: $(echo "$err" | grep -i 'hand-over' | head -n3)" ;;
esac

# and its report reads the moved tree's rules
rc=0
out=$(cd "$tmp" && env -u GOSHIM_RULES "$moved/bin/goshimctl" report "$tmp/r.ring" 2>&1) || rc=$?
[ "$rc" -le 1 ] || bad "report in the moved tree exited $rc: $out"

[ "$fail" = 0 ] && echo "installed tree: no build-machine paths; moved to $moved it finds its rules and helper"
exit "$fail"
