/* Relay throughput against handing the socket to the program, in the same run, over
 * vsockexec's AF_UNIX test build.
 *
 *   vxbench VSOCKEXEC [MIB [RUNS]]   default 1024 MiB per run, 5 runs per mode
 *   vxbench writer BYTES             the program: BYTES to stdout, its CPU to stderr
 *
 * Prints BENCH lines: medians of the runs, modes interleaved. Relay CPU is vsockexec's
 * own (its rusage with the writer's subtracted), per GiB relayed; lost counts bytes the
 * relay dropped (only if this reader stalled for over 100 ms: a loaded machine). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT 20

static double tv_s(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int writer(unsigned long long n)
{
	static char b[128 * 1024];
	struct rusage ru;

	memset(b, 'x', sizeof(b));
	while (n) {
		size_t k = n < sizeof(b) ? (size_t)n : sizeof(b);
		ssize_t w = write(1, b, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 1;
		n -= (unsigned long long)w;
	}
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "%.6f\n", tv_s(ru.ru_utime) + tv_s(ru.ru_stime));
	return 0;
}

struct result {
	double mibs, cpu; /* cpu: vsockexec's own seconds */
	unsigned long long lost;
};

static struct result one_run(const char *vx, const char *self, const char *dir, int relay,
			     unsigned long long bytes)
{
	static char buf[256 * 1024];
	char path[PATH_MAX], nbytes[32], wcpu[64] = "0";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned long long got = 0;
	struct result r = { 0, 0, 0 };
	int lfd, c, e[2], st;
	struct rusage ru;
	double t0, t1;
	ssize_t n;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%d", dir, PORT);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	snprintf(nbytes, sizeof(nbytes), "%llu", bytes);
	unlink(path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0 ||
	    pipe2(e, O_CLOEXEC) < 0) {
		perror("vxbench: setup");
		exit(2);
	}
	t0 = now_s();
	pid = fork();
	if (pid == 0) {
		dup2(e[1], 2);
		if (relay)
			execl(vx, vx, "-r", "-o", "20", self, "writer", nbytes, (char *)NULL);
		else
			execl(vx, vx, "-o", "20", self, "writer", nbytes, (char *)NULL);
		_exit(127);
	}
	close(e[1]);
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0)
		got += (unsigned long long)n;
	if (n < 0)
		perror("vxbench: read");
	t1 = now_s();
	n = read(e[0], wcpu, sizeof(wcpu) - 1);
	wcpu[n > 0 ? n : 0] = 0;
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "vxbench: %s run failed: status %#x\n", relay ? "relay" : "direct", st);
		exit(1);
	}
	/* the relay may drop (and say so) if this reader stalled over 100 ms: count it */
	r.lost = got < bytes ? bytes - got : 0;
	r.mibs = (double)got / (1024.0 * 1024.0) / (t1 - t0);
	r.cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime) - strtod(wcpu, NULL);
	close(c);
	close(lfd);
	close(e[0]);
	unlink(path);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], dir[] = "/tmp/vxbench.XXXXXX";
	double relay[32], direct[32], cpu[32], gib;
	unsigned long long lost = 0;
	unsigned long long mib = 1024;
	int runs = 5, i;

	if (argc == 3 && !strcmp(argv[1], "writer"))
		return writer(strtoull(argv[2], NULL, 10));
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: vxbench VSOCKEXEC [MIB [RUNS]]\n");
		return 2;
	}
	if (argc > 2)
		mib = strtoull(argv[2], NULL, 10);
	if (argc > 3)
		runs = atoi(argv[3]);
	if (runs < 1 || runs > 32 || mib < 1 || !realpath("/proc/self/exe", self) || !mkdtemp(dir)) {
		fprintf(stderr, "vxbench: bad arguments or setup\n");
		return 2;
	}
	setenv("UVMINIT_TEST_SOCKDIR", dir, 1);
	signal(SIGPIPE, SIG_IGN);
	gib = (double)mib / 1024.0;
	for (i = 0; i < runs; i++) {
		struct result d = one_run(argv[1], self, dir, 0, mib << 20);
		struct result r = one_run(argv[1], self, dir, 1, mib << 20);

		direct[i] = d.mibs;
		relay[i] = r.mibs;
		cpu[i] = r.cpu / gib;
		lost += r.lost + d.lost;
		fprintf(stderr, "run %d: direct %.0f MiB/s, relay %.0f MiB/s, relay cpu %.3f s/GiB, "
			"lost %llu bytes\n", i + 1, d.mibs, r.mibs, cpu[i], r.lost);
	}
	rmdir(dir);
	{
		double rm = median(relay, runs), dm = median(direct, runs);

		printf("BENCH vsockexec_relay_throughput %.0f MiB/s\n", rm);
		printf("BENCH vsockexec_direct_throughput %.0f MiB/s\n", dm);
		printf("BENCH vsockexec_relay_ratio %.2f ratio\n", rm / dm);
		printf("BENCH vsockexec_relay_cpu %.3f s/GiB\n", median(cpu, runs));
		printf("BENCH vsockexec_relay_lost %llu bytes\n", lost);
	}
	return 0;
}
