# GitLab CI: goshim's set-up, SOURCED by the job's shell (before_script of
# ci/gitlab/goshim.gitlab-ci.yml):  . ci/gitlab/setup.sh
#
# GitLab runs before_script and script in one shell, so what this exports
# reaches the job's later commands -- but the shell itself was started
# without LD_PRELOAD and can never load it.  Hence:
#   PATH        the directory of the `go` shim goes first: every `go` the
#               script runs, the official static one too, runs under the
#               trace engine;
#   LD_PRELOAD  libgoshim.so for the programs the shell starts from now on:
#               dynamic programs record, and a Go or static program THEY
#               start is handed over.  A static program the job's shell
#               execs itself, other than go, is not recorded.
#   GOSHIM_RING, GOSHIM_RUN, GOSHIMCTL: one ring, one run.
# after_script runs in a new shell without these exports: they are saved in
# $GOSHIM_DIR/env for ci/gitlab/report.sh.
__goshim_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GOSHIM_DIR=${GOSHIM_DIR:-${CI_PROJECT_DIR:-$PWD}/.goshim}
export GOSHIM_DIR
if __goshim_vars=$(bash "$__goshim_here/../prepare.sh"); then
	eval "$__goshim_vars"
	export GOSHIMCTL GOSHIM_RING GOSHIM_RUN
	if [ -n "$GOSHIM_SHIMS" ]; then
		export PATH="$GOSHIM_SHIMS:$PATH"
	fi
	case ${GOSHIM_CAPTURE:-both} in
	both | preload) export LD_PRELOAD="$GOSHIM_LIB${LD_PRELOAD:+:$LD_PRELOAD}" ;;
	esac
	printf 'GOSHIMCTL=%q\nGOSHIM_RING=%q\nGOSHIM_RUN=%q\n' \
		"$GOSHIMCTL" "$GOSHIM_RING" "$GOSHIM_RUN" >"$GOSHIM_DIR/env"
else
	echo "goshim: set-up failed: this job runs without goshim" >&2
fi
unset __goshim_here __goshim_vars
