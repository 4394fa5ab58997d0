/* Relay throughput against handing the socket to the program, in the same run, over
 * vsockexec's AF_UNIX test build.
 *
 *   vxbench VSOCKEXEC [MIB [RUNS]]   default 1024 MiB per run, 5 runs per mode
 *   vxbench writer BYTES [SNDBUF]    the program: BYTES to stdout (first setting its
 *                                    SO_SNDBUF if given), its CPU to stderr
 *
 * Three modes, interleaved: direct (vsockexec hands the program the socket, as
 * connected), direct with the 1 MiB send buffer the relay uses (the program sets it on
 * its stdout), and relay (-r). Prints BENCH lines: medians of the runs; the ratios are
 * medians of the per-round ratios. Relay CPU is vsockexec's own (its rusage with the
 * writer's subtracted), per GiB relayed; lost counts bytes the relay dropped (only if
 * this reader stalled for over 100 ms: a loaded machine). */
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

static int writer(unsigned long long n, int sndbuf)
{
	static char b[128 * 1024];
	struct rusage ru;

	memset(b, 'x', sizeof(b));
	if (sndbuf && setsockopt(1, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0) {
		perror("vxbench: SO_SNDBUF");
		return 1;
	}
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
	double total;     /* seconds of CPU of all three: writer, vsockexec, this reader */
	unsigned long long lost;
};

static double self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
}

enum mode { DIRECT, DIRECT_1MIB, RELAY, NMODES };
static const char *const mode_name[NMODES] = { "direct", "direct (1 MiB buffer)", "relay" };

static struct result one_run(const char *vx, const char *self, const char *dir, enum mode m,
			     unsigned long long bytes)
{
	static char buf[256 * 1024];
	char path[PATH_MAX], nbytes[32], wcpu[64] = "0";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned long long got = 0;
	struct result r = { 0, 0, 0, 0 };
	double reader_cpu;
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
	reader_cpu = self_cpu();
	t0 = now_s();
	pid = fork();
	if (pid == 0) {
		dup2(e[1], 2);
		if (m == RELAY)
			execl(vx, vx, "-r", "-o", "20", self, "writer", nbytes, (char *)NULL);
		else
			execl(vx, vx, "-o", "20", self, "writer", nbytes,
			      m == DIRECT_1MIB ? "1048576" : "0", (char *)NULL);
		_exit(127);
	}
	close(e[1]);
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0)
		got += (unsigned long long)n;
	if (n < 0)
		perror("vxbench: read");
	t1 = now_s();
	reader_cpu = self_cpu() - reader_cpu;
	n = read(e[0], wcpu, sizeof(wcpu) - 1);
	wcpu[n > 0 ? n : 0] = 0;
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "vxbench: %s run failed: status %#x\n", mode_name[m], st);
		exit(1);
	}
	/* the relay may drop (and say so) if this reader stalled over 100 ms: count it */
	r.lost = got < bytes ? bytes - got : 0;
	r.mibs = (double)got / (1024.0 * 1024.0) / (t1 - t0);
	r.cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime) - strtod(wcpu, NULL);
	r.total = tv_s(ru.ru_utime) + tv_s(ru.ru_stime) + reader_cpu;
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
	double mibs[NMODES][32], total[NMODES][32], ratio[2][32], cpu[32], gib;
	unsigned long long lost = 0;
	unsigned long long mib = 1024;
	int runs = 5, i;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "writer"))
		return writer(strtoull(argv[2], NULL, 10), argc == 4 ? atoi(argv[3]) : 0);
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
		struct result r[NMODES];
		int m;

		for (m = 0; m < NMODES; m++) {
			r[m] = one_run(argv[1], self, dir, (enum mode)m, mib << 20);
			mibs[m][i] = r[m].mibs;
			total[m][i] = r[m].total / gib;
			lost += r[m].lost;
		}
		ratio[0][i] = r[RELAY].mibs / r[DIRECT].mibs;
		ratio[1][i] = r[RELAY].mibs / r[DIRECT_1MIB].mibs;
		cpu[i] = r[RELAY].cpu / gib;
		fprintf(stderr, "run %d: direct %.0f MiB/s, direct (1 MiB buffer) %.0f MiB/s, relay %.0f "
			"MiB/s, relay cpu %.3f s/GiB, lost %llu bytes\n", i + 1, r[DIRECT].mibs,
			r[DIRECT_1MIB].mibs, r[RELAY].mibs, cpu[i], r[RELAY].lost);
	}
	rmdir(dir);
	printf("BENCH vsockexec_relay_throughput %.0f MiB/s\n", median(mibs[RELAY], runs));
	printf("BENCH vsockexec_direct_throughput %.0f MiB/s\n", median(mibs[DIRECT], runs));
	printf("BENCH vsockexec_direct_1mib_throughput %.0f MiB/s\n", median(mibs[DIRECT_1MIB], runs));
	printf("BENCH vsockexec_relay_ratio %.2f ratio\n", median(ratio[0], runs));
	printf("BENCH vsockexec_relay_ratio_1mib %.2f ratio\n", median(ratio[1], runs));
	printf("BENCH vsockexec_relay_cpu %.3f s/GiB\n", median(cpu, runs));
	printf("BENCH vsockexec_relay_lost %llu bytes\n", lost);
	/* all CPU spent per GiB, the three processes together: on 2 CPUs, the relay's
	 * extra share bounds its ratio whatever the scheduling */
	printf("BENCH vsockexec_direct_cpu_all %.3f s/GiB\n", median(total[DIRECT], runs));
	printf("BENCH vsockexec_direct_1mib_cpu_all %.3f s/GiB\n", median(total[DIRECT_1MIB], runs));
	printf("BENCH vsockexec_relay_cpu_all %.3f s/GiB\n", median(total[RELAY], runs));
	return 0;
}
