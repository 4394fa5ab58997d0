/* The PID 1 path. Two phases, said out loud:
 * - setup (everything before the agent's exec) may fail fast: a fatal error is logged
 *   and the guest powers off;
 * - once the agent runs, PID 1 never exits: it reaps, and turns the agent's end or a
 *   stop signal into a power-off. Exiting would panic the kernel. */
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "bootcon.h"
#include "bootrec.h"
#include "cgroup.h"
#include "clock.h"
#include "entropy.h"
#include "escape.h"
#include "fs.h"
#include "job.h"
#include "log.h"
#include "modules.h"
#include "net.h"
#include "pid1.h"
#include "plan.h"
#include "readfile.h"
#include "rawsys.h"
#include "spawn.h"

/* A job's child (the module loader, lo) reports within this, or the boot goes on
 * without it (a module init or a link change stuck in the kernel must not keep the
 * agent from starting). */
#define JOB_WAIT_MS 5000

/* The boot path allocates nothing in the usual case (each first malloc, free and the
 * page faults behind them cost more guest instructions than a mount): the kernel
 * command line and the module list are read into scratch in turn (the plan keeps
 * copies of what it needs, in plan_mem), the boot record is built in rec_buf. One
 * outgrown, its step falls back to the heap. Static: only the pages touched count. */
static char scratch[64 * 1024];
static char rec_buf[8 * 1024];
static char plan_mem[16 * 1024] __attribute__((aligned(16)));

/* fds 0-2 open before anything else is: the console, else /dev/null. Not CLOEXEC:
 * they are what the agent inherits. With neither node (no /dev yet), an O_PATH
 * placeholder holds the slot, so no fd of init's lands on 0-2; the call after
 * devtmpfs is mounted replaces it. Returns 1 when all three were open already. */
static int ensure_stdio(void)
{
	int all = 1;

	for (int fd = 0; fd < 3; fd++) {
		int fl = fcntl(fd, F_GETFL), nfd;

		if (fl >= 0 && !(fl & O_PATH))
			continue;
		all = 0;
		nfd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (nfd < 0)
			nfd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nfd < 0 && fl < 0)
			nfd = open("/", O_PATH | O_CLOEXEC);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
	return all;
}

/* soft 1024, hard 1M; without CAP_SYS_RESOURCE (a container) the hard limit stays */
static void set_nofile(void)
{
	struct rlimit lim = { 1024, 1024 * 1024 };

	if (!setrlimit(RLIMIT_NOFILE, &lim) || getrlimit(RLIMIT_NOFILE, &lim))
		return;
	lim.rlim_cur = lim.rlim_max < 1024 ? lim.rlim_max : 1024;
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
		log_warn("setrlimit(RLIMIT_NOFILE): %m");
}

static __attribute__((noreturn)) void die(int sfd)
{
	log_err("boot failed; powering off");
	pid1_end_rest(sfd, PID1_REST_GRACE_MS);
	pid1_poweroff();
}

static void plan_from_cmdline(struct plan *plan, int argc, char **argv)
{
	struct plan_input in = { .argc = argc - 1, .argv = argv + 1, .mem = plan_mem,
				 .mem_size = sizeof(plan_mem) };
	char *cmdline = NULL;
	size_t len = 0;
	int rc;

	rc = read_file_buf("/proc/cmdline", scratch, sizeof(scratch), &cmdline, &len);
	if (rc) {
		errno = -rc;
		log_warn("/proc/cmdline: %m; no kernel parameters");
	}
	in.cmdline = cmdline ? cmdline : "";
	in.cmdline_len = len;
	rc = plan_build(plan, &in);
	if (cmdline != scratch)
		free(cmdline);
	if (rc) {
		errno = -rc;
		log_err("launch plan: %m");
		return;
	}
	for (size_t i = 0; i < plan->nerrors; i++) {
		char line[512]; /* a log line's most; one line, escaped as in the boot record */

		escape_value(line, sizeof(line), plan->errors[i]);
		log_warn("%s", line);
	}
}

static void record_plan(struct bootrec *rec, const struct plan *plan)
{
	bootrec_str(rec, "mode", plan_mode_name(plan->mode));
	for (size_t i = 0; i < plan->argc; i++)
		bootrec_str(rec, "argv", plan->argv[i]);
	for (size_t i = 0; i < plan->nerrors; i++)
		bootrec_str(rec, "error", plan->errors[i]);
}

static int modules_step(void *list)
{
	return modules_load(list);
}

/* lo's netlink socket, left open by the step (its close is 1-3 ms of kernel work under
 * TCG): lo_close runs in the child after its report, or after the agent's exec when the
 * step ran in place. The child shares PID 1's memory (JOB_SHARED): only the child
 * touches this then. */
static int lo_sock = -1;

static int lo_step(void *unused)
{
	(void)unused;
	return net_lo_up(&lo_sock);
}

static int lo_close(void *unused)
{
	(void)unused;
	if (lo_sock >= 0) /* raw: it may run in a child sharing PID 1's memory */
		raw_syscall(SYS_close, lo_sock, 0, 0, 0, 0, 0);
	lo_sock = -1;
	return 0;
}

/* Records a finished phase. */
static void record_phase(struct bootrec *rec, int64_t t0, struct phase *ph)
{
	phase_end(ph);
	bootrec_phase(rec, t0, ph);
}

/* Loads the listed modules that are not loaded yet: in a child beside PID 1's next
 * steps when there is a second CPU, else in place. Returns 1 when a load was started,
 * 0 when every listed module is there already (then nothing else is done). */
static int modules_begin(struct bootrec *rec, int64_t t0, struct job *mods, int async)
{
	struct phase ph;
	int present, listed;

	phase_begin(&ph, "modules_scan");
	listed = modules_scan_buf(MODULES_LIST, scratch, sizeof(scratch), &present);
	record_phase(rec, t0, &ph);
	bootrec_num(rec, "modules_listed", listed);
	bootrec_num(rec, "modules_present", present);
	if (present >= listed) {
		bootrec_num(rec, "modules_loaded", 0);
		bootrec_num(rec, "modules_child", 0);
		return 0;
	}
	job_start(mods, "modules", modules_step, NULL, (void *)MODULES_LIST,
		  async ? JOB_CHILD : JOB_IN_PLACE);
	return 1;
}

static void modules_end(struct bootrec *rec, int64_t t0, struct job *mods)
{
	int nmod = job_finish(mods, -1, JOB_WAIT_MS);

	if (nmod < 0) {
		log_warn("modules: no result from the loader within %d ms; going on",
			 JOB_WAIT_MS);
		nmod = 0;
	}
	bootrec_num(rec, "modules_loaded", nmod);
	bootrec_num(rec, "modules_child", mods->pid > 0);
	bootrec_phase(rec, t0, &mods->phase);
}

static void cgroup_step(struct bootrec *rec, int64_t t0, enum plan_cgroup v)
{
	struct phase ph;

	phase_begin(&ph, "cgroup");
	bootrec_str(rec, "cgroup", cgroup_result_name(cgroup_setup(v)));
	record_phase(rec, t0, &ph);
}

/* The boot, as a critical path on PID 1 with the slow kernel work beside it:
 *   PID 1:  start | mounts | plan | modules scan | entropy connect | cgroup | entropy read
 *   child:   lo up (netlink; ~30 ms of kernel CPU under TCG) ..........................|join
 * The host answers while PID 1 sets up cgroups. Modules that /sys/module lacks load in
 * a second child beside the cgroup step, and the entropy connect waits for them. With
 * one CPU every step runs in place, lo first. Everything the agent is promised is done
 * before its exec. */
void boot(int argc, char **argv)
{
	int64_t t0, agent_us = 0;
	int async, loading;
	struct plan plan = { 0 };
	struct bootrec rec;
	struct entropy_result ent;
	struct entropy entropy;
	struct job lo, mods;
	struct phase ph;
	pid_t agent, shell = 0;
	sigset_t set;
	int sfd, rc, stdio_ok;

	phase_begin(&ph, "start");
	t0 = ph.start_us;
	bootrec_init(&rec, rec_buf, sizeof(rec_buf));
	async = cpus_usable() > 1;
	stdio_ok = ensure_stdio();
	/* lo first: the longest step starts on the second CPU before anything else (its
	 * child takes an empty signal mask of its own; on one CPU it runs here, first) */
	job_start(&lo, "lo", lo_step, lo_close, NULL, async ? JOB_SHARED : JOB_IN_PLACE);
	pid1_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		/* without it PID 1 could neither reap nor hear SIGTERM */
		log_err("signalfd: %m");
		die(-1);
	}
	set_nofile();
	/* ctrl-alt-del arrives as SIGINT instead of an immediate reboot */
	reboot(RB_DISABLE_CAD);
	/* lines go to /dev/kmsg from here on, opened at the first one (the initrd's node
	 * until devtmpfs is mounted); a child opens its own when it logs */
	log_open();
	bootrec_num(&rec, "t0_mono_us", t0);
	record_phase(&rec, t0, &ph);

	phase_begin(&ph, "mounts");
	if (fs_mount_base())
		die(sfd);
	if (!stdio_ok)
		ensure_stdio();
	log_open();
	record_phase(&rec, t0, &ph);

	phase_begin(&ph, "plan");
	plan_from_cmdline(&plan, argc, argv);
	if (!plan.argv)
		die(sfd);
	record_plan(&rec, &plan);
	if (plan.overlay && fs_mount_overlays())
		die(sfd);
	record_phase(&rec, t0, &ph);

	/* the modules first: a vsock connect without vsock would make the kernel run
	 * modprobe for nothing (request_module, 16 ms under TCG). With vsock there, the
	 * host answers while PID 1 sets up cgroups; else the loader runs beside them and
	 * the connect comes after it. */
	loading = modules_begin(&rec, t0, &mods, async);
	phase_begin(&ph, "entropy");
	if (!loading)
		entropy_begin(&entropy, plan.entropy_port, plan.entropy_timeout_ms);
	cgroup_step(&rec, t0, plan.cgroup);
	if (loading) {
		modules_end(&rec, t0, &mods);
		entropy_begin(&entropy, plan.entropy_port, plan.entropy_timeout_ms);
	}
	entropy_finish(&entropy, &ent);
	bootrec_num(&rec, "entropy_port", plan.entropy_port);
	bootrec_num(&rec, "entropy_bytes", ent.bytes);
	bootrec_str(&rec, "entropy_result", ent.result);
	record_phase(&rec, t0, &ph);

	phase_begin(&ph, "lo_wait");
	rc = job_finish(&lo, -ECHILD, JOB_WAIT_MS);
	bootrec_str(&rec, "lo", rc ? "failed" : "up");
	bootrec_phase(&rec, t0, &lo.phase);
	record_phase(&rec, t0, &ph);
	if (rc == -ECHILD) /* the child's report never came: net_link_up never says it */
		log_warn("lo: no result within %d ms; going on", JOB_WAIT_MS);
	else if (rc) {
		errno = -rc;
		log_warn("lo: %m");
	}

	bootrec_num(&rec, "t_total_us", clock_us() - t0);
	rc = bootrec_save(&rec, BOOTREC_PATH);
	if (rc) {
		errno = -rc;
		log_warn("%s: %m", BOOTREC_PATH);
	}

	agent = spawn(plan.argv, 0);
	if (plan.bootrec_console)
		agent_us = clock_us();
	if (agent < 0) {
		entropy_log_info(&ent);
		errno = -agent;
		log_err("exec %s: %m", plan.argv[0]);
		die(sfd);
	}
	/* no "started" line: on one CPU its ~1 ms on the serial console would delay the
	 * agent's first steps; the boot record has the argv, the exit line the pid */
	if (plan.debug_shell) {
		char *sh_argv[] = { (char *)plan.debug_shell, NULL };

		shell = spawn(sh_argv, SPAWN_CTTY);
		if (shell < 0) {
			errno = -shell;
			log_warn("debug shell %s: %m", plan.debug_shell);
			shell = 0;
		}
	}
	/* the agent exec'd (vfork: PID 1 is back once it ran); the boot's first line and
	 * first printf, and lo's socket close when it ran here, wait until the agent had
	 * the CPU (or died) */
	pid1_yield(sfd, PID1_YIELD_MS);
	entropy_log_info(&ent);
	job_after(&lo);
	if (plan.bootrec_console)
		bootcon_write(&rec, t0, agent_us);
	bootrec_free(&rec);
	/* from here on, PID 1 never exits */
	pid1_run(sfd, agent, shell, PID1_AGENT_GRACE_MS);
	pid1_poweroff();
}
