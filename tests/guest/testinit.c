/*
 * testinit: the test launcher, booted as rdinit=/bin/testinit inside the qemu guest.
 *
 * As PID 1 it loads the modules listed in /etc/uvminit/modules (and overlay.ko, for the
 * -w shapes), starts the
 * in-guest host (/bin/testhost) and waits until it listens, puts /proc and /sys back the
 * way the kernel left them, then execs /init with its own arguments: init is still
 * PID 1, the host is already serving ports 1 and 109. With testhost.off=1 on the kernel
 * command line it only execs /init (init then loads the modules itself); with
 * testhost.late=1 it starts the host but leaves the modules to /init (the host listens
 * once vsock is loaded); testinit.exec=PATH execs PATH instead of /init (the
 * benchmark's floor: the agent as PID 1 after the same launcher). testinit.host=uvmhost
 * starts the product instead of the test host: /bin/uvmhost serve --vsock any --log -
 * (host/uvmhost.c, static), its log lines on the console, its readiness read from
 * NOTIFY_SOCKET; only when no vsock transport but loopback is loaded.
 * testinit.host_cid=N: --vsock N instead of any (the CID filter's scenario).
 *
 * Every line it prints starts with "TESTINIT ". It never returns: when /init cannot be
 * exec'd it powers the guest off.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmdline.h"
#include "modules.h"
#include "readfile.h"
#include "say.h"

static void load_modules(void)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int rc;

	rc = read_whole_file(MODULES_LIST, &buf, &len);
	if (rc) {
		say("TESTINIT", "/etc/uvminit/modules: %s", strerror(-rc));
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		rc = module_load_file(line);
		if (rc && rc != -EEXIST)
			say("TESTINIT", "load %s: %s", line, strerror(-rc));
	}
	free(buf);
	/* Shipped for -w, loaded by init only on demand: the host scenarios test -w's
	 * command shapes, init-overlay (testhost.off=1) tests init's own loading. */
	rc = module_load_file("/lib/modules/overlay.ko");
	if (rc && rc != -EEXIST && rc != -ENOENT)
		say("TESTINIT", "load /lib/modules/overlay.ko: %s", strerror(-rc));
}

/* Starts /bin/testhost and waits for its ready byte (or its death). */
static void start_host(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		say("TESTINIT", "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		say("TESTINIT", "fork: %s", strerror(errno));
		goto out_close;
	}
	if (pid == 0) {
		char *argv[] = { "/bin/testhost", NULL };
		char *envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", NULL };

		if (dup2(p[1], 3) == 3) /* dup2 clears O_CLOEXEC on the copy */
			execve(argv[0], argv, envp);
		say("TESTINIT", "exec /bin/testhost: %s", strerror(errno));
		_exit(127);
	}
	close(p[1]);
	p[1] = -1;
	while (read(p[0], &c, 1) < 0 && errno == EINTR) {
	}
out_close:
	close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

/* The product's AF_VSOCK listeners are safe only over loopback: no transport to a real
 * host may be loaded (the test host checks the same for itself). */
static int loopback_only(void)
{
	static const char *const foreign[] = {
		"/sys/module/vmw_vsock_virtio_transport", "/sys/module/vhost_vsock",
		"/sys/module/vmw_vsock_vmci_transport", "/sys/module/hv_sock",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (!stat(foreign[i], &st)) {
			say("TESTINIT", "not starting uvmhost: %s is loaded", foreign[i]);
			return -EPERM;
		}
	return 0;
}

/* Starts /bin/uvmhost serve --vsock any --log - and waits (5 s at most) for its READY=1
 * on an abstract datagram socket, systemd's protocol. */
#define NOTIFY_NAME "uvminit-testinit-notify"
static void start_product(const char *cid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    sizeof(NOTIFY_NAME) - 1);
	struct pollfd p;
	char buf[32];
	pid_t pid;
	int fd;

	if (loopback_only())
		return;
	memcpy(sa.sun_path + 1, NOTIFY_NAME, sizeof(NOTIFY_NAME) - 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len)) {
		say("TESTINIT", "notify socket: %s", strerror(errno));
		goto out_close;
	}
	pid = fork();
	if (pid < 0) {
		say("TESTINIT", "fork: %s", strerror(errno));
		goto out_close;
	}
	if (pid == 0) {
		char *argv[] = { "/bin/uvmhost", "serve", "--vsock", (char *)cid, "--log", "-",
				 NULL };
		char *envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin",
				 "NOTIFY_SOCKET=@" NOTIFY_NAME, NULL };

		execve(argv[0], argv, envp);
		say("TESTINIT", "exec /bin/uvmhost: %s", strerror(errno));
		_exit(127);
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) == 1 && recv(fd, buf, sizeof(buf), 0) == 7 &&
	    !memcmp(buf, "READY=1", 7))
		say("TESTINIT", "uvmhost ready");
	else
		say("TESTINIT", "uvmhost not ready in 5 s");
out_close:
	if (fd >= 0)
		close(fd);
}

/* The kernel timestamps this line: the start of the program's boot as the benchmark,
 * the probe and init's console record count it. In the kernel's own words (its "Run ...
 * as init process" named testinit), so the last such line is the exec of what is under
 * test, with or without this launcher. */
static void mark_exec(const char *path)
{
	char line[96];
	int fd, n = snprintf(line, sizeof(line), "Run %s as init process (testinit)\n", path);

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0) {
		/* the probe then reports no span; nothing else depends on it */
	}
	close(fd);
}

int main(int argc, char **argv)
{
	static char path[64] = "/init";
	char *cmdline = NULL, word[4], host[16] = "", cid[16] = "any";
	size_t len;
	int off = 1, late = 0;

	(void)argc;
	if (getpid() != 1) {
		fprintf(stderr, "testinit: not PID 1, refusing (this runs inside the test VM only)\n");
		return 2;
	}
	if (mount("proc", "/proc", "proc", 0, NULL) ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL))
		say("TESTINIT", "mount: %s", strerror(errno));
	if (!read_whole_file("/proc/cmdline", &cmdline, &len)) {
		off = kcmd_get(cmdline, "testhost.off", word, sizeof(word)) > 0 &&
		      !strcmp(word, "1");
		late = kcmd_get(cmdline, "testhost.late", word, sizeof(word)) > 0 &&
		       !strcmp(word, "1");
		if (kcmd_get(cmdline, "testinit.host", host, sizeof(host)) <= 0)
			host[0] = '\0';
		if (kcmd_get(cmdline, "testinit.host_cid", cid, sizeof(cid)) <= 0)
			strcpy(cid, "any");
		/* the benchmark's floor: the agent exec'd here, as PID 1, instead of /init */
		if (kcmd_get(cmdline, "testinit.exec", path, sizeof(path)) <= 0 || path[0] != '/')
			strcpy(path, "/init");
		free(cmdline);
	}
	if (!off) {
		if (!late)
			load_modules();
		if (!strcmp(host, "uvmhost"))
			start_product(cid);
		else
			start_host();
	}
	umount2("/sys", MNT_DETACH);
	umount2("/proc", MNT_DETACH);
	argv[0] = path;
	mark_exec(path);
	execv(path, argv);
	say("TESTINIT", "exec %s: %s", path, strerror(errno));
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
