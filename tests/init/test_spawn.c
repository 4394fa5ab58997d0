/* init/spawn.c: what a spawned program inherits (seen by build/probe, $PROBE), and
 * exec failures reported with their errno. Real fork and exec, nothing mocked. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "spawn.h"

extern char **environ;

static char out[16384];

/* Spawns argv with stdout on a pipe; returns what it printed and its status. */
static int run(char *const argv[], int *status)
{
	int p[2], saved;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	fflush(stdout);
	saved = dup(1);
	dup2(p[1], 1);
	close(p[1]);
	pid = spawn(argv, 0);
	dup2(saved, 1);
	close(saved);
	if (pid < 0) {
		close(p[0]);
		return pid;
	}
	while ((r = read(p[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
	return pid;
}

static int has_line(const char *line)
{
	size_t len = strlen(line);

	for (const char *p = out; (p = strstr(p, line)); p++)
		if ((p == out || p[-1] == '\n') && p[len] == '\n')
			return 1;
	return 0;
}

static void test_probe_inherits_a_clean_world(void **state)
{
	char *argv[] = { getenv("PROBE"), "--flag", "two words", NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, now;
	char **env_before;
	char line[64];
	sigset_t set, mask;
	int status, leak, pid;

	(void)state;
	assert_non_null(argv[0]);
	/* what init may hold that the agent must not get */
	leak = open("/dev/null", O_RDONLY); /* no CLOEXEC on purpose */
	assert_true(leak > 2);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGUSR1, &ign, NULL);
	setenv("LEAKED", "1", 1);
	env_before = environ;

	pid = run(argv, &status);
	/* the child shared our memory (vfork-style) but changed nothing of ours: not the
	 * environment, the signal dispositions, the mask, the session */
	assert_ptr_equal(environ, env_before);
	assert_string_equal(getenv("LEAKED"), "1");
	assert_int_equal(sigaction(SIGUSR1, NULL, &now), 0);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
	assert_true(sigismember(&mask, SIGTERM));
	assert_int_not_equal(getsid(0), pid);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(leak);
	assert_true(pid > 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(has_line("PROBE fds=0,1,2"));
	assert_true(has_line("PROBE sigblk=0000000000000000"));
	assert_true(has_line("PROBE sigign=0000000000000000"));
	assert_true(has_line("PROBE env=PATH=/sbin:/usr/sbin:/bin:/usr/bin")); /* hcsshim init's */
	assert_null(strstr(out, "LEAKED"));
	snprintf(line, sizeof(line), "PROBE sid=%d", pid);
	assert_true(has_line(line));
	assert_true(has_line("PROBE argv[2]=two words"));
}

static void test_missing_program(void **state)
{
	char *argv[] = { "/nonexistent/agent", NULL };
	int status;

	(void)state;
	assert_int_equal(run(argv, &status), -ENOENT);
	/* the failed child was reaped: no child is left */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_not_executable(void **state)
{
	char path[] = "/tmp/uvminit-noexec.XXXXXX";
	char *argv[] = { path, NULL };
	int status, fd;

	(void)state;
	fd = mkstemp(path); /* mode 0600: not executable */
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(run(argv, &status), -EACCES);
	unlink(path);
}

static void test_bare_name_searched_in_path(void **state)
{
	char *argv[] = { "true", NULL };
	int status;

	(void)state;
	assert_true(run(argv, &status) > 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_bare_name_missing(void **state)
{
	char *argv[] = { "uvminit-no-such-program", NULL };
	int status;

	(void)state;
	assert_int_equal(run(argv, &status), -ENOENT);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_inherits_a_clean_world),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_not_executable),
		cmocka_unit_test(test_bare_name_searched_in_path),
		cmocka_unit_test(test_bare_name_missing),
	};

	return cmocka_run_group_tests_name("init/spawn", tests, NULL, NULL);
}
