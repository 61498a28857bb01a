#!/usr/bin/env bash
# GitLab CI: goshim's report (after_script of ci/gitlab/goshim.gitlab-ci.yml,
# which runs whatever the script's outcome).  The text report in a
# collapsed section of the log; into $GOSHIM_DIR the JUnit report
# (artifacts:reports:junit: error findings are failed test cases in the
# pipeline's Tests tab and the merge request) and a Markdown summary.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GOSHIM_DIR=${GOSHIM_DIR:-${CI_PROJECT_DIR:-$PWD}/.goshim}
if [ -f "$GOSHIM_DIR/env" ]; then
	set -a
	. "$GOSHIM_DIR/env"
	set +a
fi
rm -f "$GOSHIM_DIR/goshim-junit.xml" "$GOSHIM_DIR/goshim-report.md"
export GOSHIM_LOG_BEGIN="\e[0Ksection_start:$(date +%s):goshim[collapsed=false]\r\e[0Kgoshim report"
export GOSHIM_LOG_END="\e[0Ksection_end:$(date +%s):goshim\r\e[0K"
exec bash "$here/../report.sh" junit:"$GOSHIM_DIR/goshim-junit.xml" \
	markdown:"$GOSHIM_DIR/goshim-report.md"
