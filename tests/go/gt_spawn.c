/* SPDX-License-Identifier: Apache-2.0 */
/* gt-spawn PROG ARGS...: posix_spawnp PROG (searched on PATH), wait, and
 * exit with its code.  Run with LD_PRELOAD: the spawn wrapper hands over
 * when PROG is static. */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;
	int st, rc;

	if (argc < 2) {
		return 2;
	}
	rc = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
	if (rc != 0) {
		fprintf(stderr, "gt-spawn: %s: error %d\n", argv[1], rc);
		return 127;
	}
	if (waitpid(pid, &st, 0) != pid) {
		return 126;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
