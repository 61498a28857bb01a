#!/usr/bin/env bash
# The part of a CI job's goshim set-up that does not depend on the CI
# system: install goshim (ci/install.sh), a fresh ring in a directory of
# the job's own, a run id, and the `go` shim.  Prints shell assignments
# for the caller to put into the job's environment:
#   GOSHIMCTL GOSHIM_LIB GOSHIM_RING GOSHIM_RUN GOSHIM_SHIMS
#
# GOSHIM_DIR: where the ring and the shims go (made 0700; default
# ${RUNNER_TEMP:-/tmp}/goshim).  GOSHIM_RING: the ring (default
# GOSHIM_DIR/goshim.ring); it is removed, so the job starts a fresh one.
# GOSHIM_CAPTURE: both (default), preload or shims; with preload alone no
# shim is made (GOSHIM_SHIMS empty).  The install is chosen by
# GOSHIM_INSTALL (see ci/install.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
eval "$(bash "$here/install.sh")"

dir=${GOSHIM_DIR:-${RUNNER_TEMP:-/tmp}/goshim}
mkdir -p "$dir"
chmod 0700 "$dir"
ring=${GOSHIM_RING:-$dir/goshim.ring}
rm -f "$ring"
run=$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')
shims=
case ${GOSHIM_CAPTURE:-both} in
both | shims)
	shims=$dir/bin
	"$GOSHIMCTL" shims "$shims" >&2 ;;
preload) ;;
*) echo "goshim: GOSHIM_CAPTURE: both, preload or shims, not '$GOSHIM_CAPTURE'" >&2; exit 2 ;;
esac
echo "goshim: $("$GOSHIMCTL" --version 2>/dev/null || echo goshimctl), ring $ring, run $run" >&2
printf 'GOSHIMCTL=%q\nGOSHIM_LIB=%q\nGOSHIM_RING=%q\nGOSHIM_RUN=%q\nGOSHIM_SHIMS=%q\n' \
	"$GOSHIMCTL" "$GOSHIM_LIB" "$ring" "$run" "$shims"
