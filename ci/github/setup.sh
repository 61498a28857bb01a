#!/usr/bin/env bash
# GitHub Actions: the action's set-up step (action.yml, step: setup).
# Installs goshim (ci/prepare.sh) and arranges capture for the job's LATER
# steps, the way the runner passes state between steps:
#   $GITHUB_ENV   LD_PRELOAD=libgoshim.so (capture=both|preload): every
#                 later step's shell is started with it, so the shell itself
#                 and every dynamic program record, and a Go or static
#                 program it starts is handed over to the trace engine;
#                 GOSHIM_RING and GOSHIM_RUN, so that every step records
#                 into one ring, as one run; GOSHIMCTL for the hand-over.
#   $GITHUB_PATH  the directory holding the `go` shim (capture=both|shims):
#                 a `go` started where LD_PRELOAD does not reach (a step
#                 that clears the environment, sudo, a container action)
#                 still runs under the engine.
# This step itself records nothing.  GOSHIM_RING_SIZE, when set, is passed
# on.  Outputs (GITHUB_OUTPUT): ring, run.
set -euo pipefail

: "${GITHUB_ENV:?not in a GitHub Actions step}"
here=$(cd "$(dirname "$0")" && pwd)
eval "$(bash "$here/../prepare.sh")"

{
	echo "GOSHIMCTL=$GOSHIMCTL"
	echo "GOSHIM_RING=$GOSHIM_RING"
	echo "GOSHIM_RUN=$GOSHIM_RUN"
	if [ -n "${GOSHIM_RING_SIZE:-}" ]; then
		echo "GOSHIM_RING_SIZE=$GOSHIM_RING_SIZE"
	fi
	case ${GOSHIM_CAPTURE:-both} in
	both | preload) echo "LD_PRELOAD=$GOSHIM_LIB${LD_PRELOAD:+:$LD_PRELOAD}" ;;
	esac
} >>"$GITHUB_ENV"
if [ -n "$GOSHIM_SHIMS" ]; then
	echo "$GOSHIM_SHIMS" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	printf 'ring=%s\nrun=%s\n' "$GOSHIM_RING" "$GOSHIM_RUN" >>"$GITHUB_OUTPUT"
fi
