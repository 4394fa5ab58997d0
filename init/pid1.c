#include "pid1.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

void pid1_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGPWR);
}

/* stopping: PID 1 sent the agent SIGTERM. Its death by that signal (or the 128+15 of
 * a wrapper whose program died so, vsockexec -r) is then what was asked for: info. */
static void log_exit(const char *who, pid_t pid, int status, int stopping)
{
	int asked = stopping && ((WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) ||
				 (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM));

	if (WIFEXITED(status))
		log_msg(WEXITSTATUS(status) && !asked ? LOG_WARN : LOG_INFO,
			"%s (pid %d) exited with status %d", who, (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_msg(asked ? LOG_INFO : LOG_WARN, "%s (pid %d) killed by signal %d (%s)", who,
			(int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
}

/* Reaps every child that has exited. Returns 1 when none is left (ECHILD). */
static int reap(pid_t *agent, pid_t *shell, int stopping)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return errno == ECHILD;
		if (pid == 0)
			return 0;
		if (agent && pid == *agent) {
			log_exit("agent", pid, status, stopping);
			*agent = -1;
		} else if (shell && pid == *shell) {
			log_exit("debug shell", pid, status, 0);
			*shell = 0;
		}
	}
}

/* Waits for the next record on fd for at most timeout_ms (-1: forever).
 * Returns its signal number, 0 on timeout. */
static int next_signal(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct signalfd_siginfo si;

	for (;;) {
		int n = poll(&pfd, 1, timeout_ms);
		ssize_t r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* timeout, or a broken fd: treat as nothing more to wait for */
		r = read(fd, &si, sizeof(si));
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r != sizeof(si))
			return 0;
		return (int)si.ssi_signo;
	}
}

/* Reaps until no child is left or the deadline passes. Returns 1 when none is left. */
static int reap_until(int fd, int64_t deadline)
{
	while (!reap(NULL, NULL, 0)) {
		if (!clock_left_ms(deadline))
			return 0;
		next_signal(fd, clock_left_ms(deadline));
	}
	return 1;
}

void pid1_yield(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t deadline = clock_ms() + ms;

	while (poll(&pfd, 1, clock_left_ms(deadline)) < 0 && errno == EINTR) {
	}
}

void pid1_end_rest(int fd, int rest_grace_ms)
{
	if (reap(NULL, NULL, 0))
		return;
	kill(-1, SIGTERM);
	if (reap_until(fd, clock_ms() + rest_grace_ms))
		return;
	log_warn("processes left after %d ms; killing them", rest_grace_ms);
	kill(-1, SIGKILL);
	reap_until(fd, clock_ms() + rest_grace_ms);
}

void pid1_run(int fd, pid_t agent, pid_t shell, int agent_grace_ms)
{
	int64_t deadline = -1;

	if (agent <= 0)
		agent = -1;
	while (agent > 0) {
		int sig = next_signal(fd, clock_left_ms(deadline));

		if ((sig == SIGINT || sig == SIGTERM || sig == SIGPWR) && deadline < 0) {
			log_info("%s: stopping the agent (grace %d ms)", strsignal(sig),
				 agent_grace_ms);
			kill(agent, SIGTERM);
			deadline = clock_ms() + agent_grace_ms;
		}
		reap(&agent, &shell, deadline >= 0);
		if (agent > 0 && deadline >= 0 && !clock_left_ms(deadline)) {
			log_warn("agent (pid %d) still running after %d ms; killing it", (int)agent,
				 agent_grace_ms);
			kill(agent, SIGKILL);
			/* it may not die (D state): the rest of the shutdown is bounded anyway */
			break;
		}
	}
	pid1_end_rest(fd, PID1_REST_GRACE_MS);
}

void pid1_poweroff(void)
{
	log_info("powering off");
	sync();
	for (;;) {
		if (reboot(RB_POWER_OFF) < 0)
			log_err("reboot(RB_POWER_OFF): %m");
		pause();
	}
}
