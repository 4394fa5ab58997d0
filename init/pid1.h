/* Life as PID 1 once the agent runs: a signalfd loop that reaps every child and turns
 * the agent's exit, or SIGINT/SIGTERM/SIGPWR, into an orderly power-off. */
#ifndef UVMINIT_PID1_H
#define UVMINIT_PID1_H

#include <signal.h>
#include <sys/types.h>

#define PID1_AGENT_GRACE_MS 10000 /* SIGTERM to the agent, then this long at most */
#define PID1_REST_GRACE_MS 1000   /* SIGTERM to the rest, then this long, then SIGKILL */

/* The signals PID 1 handles through its signalfd; blocked from the first instruction. */
void pid1_sigset(sigset_t *set);

/* How long PID 1 stays off the CPU once the agent is exec'd, before its own tidy-up
 * (a log line, a socket close): on one CPU, anything PID 1 did at once would come
 * before the agent's first instructions. */
#define PID1_YIELD_MS 10

/* Sleeps until fd has a record (the agent may have died already) or ms have passed,
 * consuming nothing: pid1_run reads what came. */
void pid1_yield(int fd, int ms);

/* Runs the loop on fd (a signalfd of pid1_sigset, or anything that yields
 * struct signalfd_siginfo records) until the system must go down; returns then, with
 * every remaining process ended and reaped. agent and shell may be 0 (none).
 * agent_grace_ms: how long the agent has after SIGTERM (PID1_AGENT_GRACE_MS). */
void pid1_run(int fd, pid_t agent, pid_t shell, int agent_grace_ms);
/* Ends every other process: SIGTERM, rest_grace_ms (PID1_REST_GRACE_MS) for them to
 * go, SIGKILL, reaping throughout. */
void pid1_end_rest(int fd, int rest_grace_ms);
/* sync + power off. If the kernel refuses, waits forever: PID 1 never exits. */
__attribute__((noreturn)) void pid1_poweroff(void);

#endif
