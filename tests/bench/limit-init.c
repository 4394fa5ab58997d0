/*
 * The limit init: the benchmark's yardstick, never shipped. It does the work a uvminit
 * boot promises before the agent's exec and nothing else, one step after another, with
 * the cheapest call for each and no error handling:
 *   - the mounts (proc, sys, devtmpfs, devpts, shm, run, tmp) and cgroup2;
 *   - lo up (one SIOCSIFFLAGS);
 *   - 512 bytes read from the host's vsock port 1 (CID 2), credited by RNDADDENTROPY;
 *   - the agent (init's arguments after any "-e PORT") in a child, PID 1 reaping
 *     until the agent is gone, then powering off.
 * Only ever booted by scripts/bench-boot.
 */
#include <fcntl.h>
#include <linux/random.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOSUID_NODEV (MS_NOSUID | MS_NODEV)

static void mounts(void)
{
	mount("proc", "/proc", "proc", NOSUID_NODEV | MS_NOEXEC, NULL);
	mount("sysfs", "/sys", "sysfs", NOSUID_NODEV | MS_NOEXEC, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL);
	mkdir("/dev/pts", 0755);
	mkdir("/dev/shm", 01777);
	mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, NULL);
	mount("shm", "/dev/shm", "tmpfs", NOSUID_NODEV, NULL);
	mount("run", "/run", "tmpfs", NOSUID_NODEV, "mode=0755");
	mount("tmp", "/tmp", "tmpfs", NOSUID_NODEV, NULL);
	mount("cgroup2", "/sys/fs/cgroup", "cgroup2", NOSUID_NODEV | MS_NOEXEC, NULL);
}

static void lo_up(void)
{
	struct ifreq req = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ioctl(s, SIOCGIFFLAGS, &req);
	req.ifr_flags |= IFF_UP;
	ioctl(s, SIOCSIFFLAGS, &req);
	close(s);
}

static void entropy(unsigned int port)
{
	struct sockaddr_vm host = { .svm_family = AF_VSOCK, .svm_cid = 2, .svm_port = port };
	struct {
		struct rand_pool_info info;
		unsigned char buf[512];
	} seed;
	int s = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0), got = 0, n, r;

	if (connect(s, (struct sockaddr *)&host, sizeof(host)) == 0) {
		while (got < 512 && (n = read(s, seed.buf + got, 512 - got)) > 0)
			got += n;
		seed.info.entropy_count = got * 8;
		seed.info.buf_size = got;
		r = open("/dev/random", O_WRONLY | O_CLOEXEC);
		ioctl(r, RNDADDENTROPY, &seed);
		close(r);
	}
	close(s);
}

int main(int argc, char **argv)
{
	char **cmd = argv + 1;
	unsigned int port = 0;
	pid_t agent = -1;

	(void)argc;
	mounts();
	lo_up();
	while (cmd[0] && cmd[1] && strcmp(cmd[0], "-e") == 0) {
		port = 0;
		for (const char *p = cmd[1]; *p >= '0' && *p <= '9'; p++)
			port = port * 10 + (unsigned int)(*p - '0');
		cmd += 2;
	}
	if (port)
		entropy(port);
	if (cmd[0] && (agent = fork()) == 0) {
		setsid();
		execv(cmd[0], cmd);
		_exit(127);
	}
	/* the agent's end powers off; anything else PID 1 inherited is only reaped */
	while (agent > 0 && waitpid(-1, NULL, 0) != agent)
		;
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return 0;
}
