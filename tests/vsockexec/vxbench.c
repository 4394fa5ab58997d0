/* Relay throughput against handing the socket to the program, in the same run, over
 * vsockexec's AF_UNIX test build.
 *
 *   vxbench VSOCKEXEC [MIB [RUNS [WRITE]]]
 *                      default 1024 MiB per run, 5 runs per mode, WRITE-byte writes
 *                      (default 4096)
 *   vxbench writer BYTES WRITE
 *                      the program: BYTES to stdout in WRITE-byte writes, its CPU to
 *                      stderr
 *
 * Four modes, interleaved: direct (vsockexec hands the program the socket as
 * connected), relay (-r), bare (no vsockexec: the cheapest relay a pipe allows, a
 * blocking splice(2) loop from a pipe of the relay's size to the socket, so the cost of
 * the pipe itself can be told from that of the relay's logic) and nohold (-r -w 0: a
 * relay that never holds the writer back); the reader reads flat out. Prints BENCH
 * lines named with the write size: medians of the runs; each ratio is the median of
 * the per-round ratios to direct (rounds interleave the modes, so a round's ratio is
 * taken under one machine load), which is not the ratio of the medians printed beside
 * it; NOTE lines say so in the output. CPU of a mode is vsockexec's (or the splicer's) own, its
 * rusage with the writer's subtracted, per GiB; cpu_all is that of all three
 * processes (writer, vsockexec, reader) per GiB. relay_lost counts bytes the relay
 * dropped (only if this reader fell below 1 MiB per 50 ms, as on a loaded machine: the
 * relay then stops holding the writer back); nohold_lost_share is the share of the
 * bytes nohold dropped. Throughput counts the bytes that arrived. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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

#include "relay.h"

#define PORT 20
#define RUNS_MAX 100

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

/* This process's CPU seconds so far. */
static double self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
}

#define WRITE_MAX (1 << 20)

static int writer(unsigned long long n, size_t chunk)
{
	static char b[WRITE_MAX];

	memset(b, 'x', sizeof(b));
	while (n) {
		size_t k = n < chunk ? (size_t)n : chunk;
		ssize_t w = write(1, b, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 1;
		n -= (unsigned long long)w;
	}
	fprintf(stderr, "%.6f\n", self_cpu());
	return 0;
}

struct result {
	double mibs, cpu; /* cpu: vsockexec's own seconds */
	double total;     /* seconds of CPU of all three: writer, vsockexec, this reader */
	unsigned long long lost;
};

enum mode { DIRECT, RELAY, BARE, NOHOLD, NMODES };
static const char *const mode_name[NMODES] = { "direct", "relay", "bare", "nohold" };

/* Bare mode, in the child: the writer on a pipe, the bytes spliced to the socket by a
 * blocking loop with none of the relay's bookkeeping. Exits with the writer's status. */
static void pipe_splicer(const struct sockaddr_un *sa, const char *self, const char *nbytes,
			 const char *chunk)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), p[2], st;
	ssize_t n;
	pid_t w;

	if (s < 0 || connect(s, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    pipe2(p, O_CLOEXEC) < 0 || fcntl(p[1], F_SETPIPE_SZ, RELAY_PIPE_SIZE) < 0)
		_exit(126);
	w = fork();
	if (w == 0) {
		dup2(p[1], 1);
		execl(self, self, "writer", nbytes, chunk, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = splice(p[0], NULL, s, NULL, 1u << 20, SPLICE_F_MOVE)) > 0)
		;
	if (n < 0 || w < 0 || waitpid(w, &st, 0) != w || !WIFEXITED(st))
		_exit(126);
	_exit(WEXITSTATUS(st));
}

static struct result one_run(const char *vx, const char *self, const char *dir, enum mode m,
			     unsigned long long bytes, const char *chunk)
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

	snprintf(path, sizeof(path), "%s/v_%d", dir, PORT);
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
		if (m == BARE)
			pipe_splicer(&sa, self, nbytes, chunk);
		if (m == RELAY)
			execl(vx, vx, "-r", "-o", "20", self, "writer", nbytes, chunk, (char *)NULL);
		if (m == NOHOLD)
			execl(vx, vx, "-r", "-w", "0", "-o", "20", self, "writer", nbytes, chunk,
			      (char *)NULL);
		else
			execl(vx, vx, "-o", "20", self, "writer", nbytes, chunk, (char *)NULL);
		_exit(127);
	}
	close(e[1]);
	/* vsockexec may die before it connects: never wait for it blindly */
	for (;;) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0)
			break;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			fprintf(stderr, "vxbench: %s run: vsockexec exited (status %#x) before it "
				"connected\n", mode_name[m], st);
			exit(1);
		}
	}
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
	/* the relay may drop (and say so) if this reader fell behind: count it */
	r.lost = got < bytes ? bytes - got : 0;
	r.mibs = (double)got / (1024.0 * 1024.0) / (t1 - t0);
	r.total = tv_s(ru.ru_utime) + tv_s(ru.ru_stime); /* vsockexec and the writer */
	r.cpu = r.total - strtod(wcpu, NULL);
	r.total += reader_cpu;
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

/* A whole decimal number, all of s. Returns 0, or -1 if s is not one. */
static int number(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return s[0] >= '0' && s[0] <= '9' && !*end && !errno ? 0 : -1;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], dir[] = "/tmp/vxbench.XXXXXX", chunk_arg[32];
	char uds[64];
	static double mibs[NMODES][RUNS_MAX], total[NMODES][RUNS_MAX], ratio[NMODES][RUNS_MAX],
		cpu[NMODES][RUNS_MAX];
	unsigned long long lost[NMODES] = { 0 }, mib = 1024, chunk = 4096, nruns = 5;
	double gib;
	int runs = 5, i;

	if (argc == 4 && !strcmp(argv[1], "writer"))
		return writer(strtoull(argv[2], NULL, 10), strtoul(argv[3], NULL, 10));
	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: vxbench VSOCKEXEC [MIB [RUNS [WRITE]]]\n");
		return 2;
	}
	if ((argc > 2 && number(argv[2], &mib)) || (argc > 3 && number(argv[3], &nruns)) ||
	    (argc > 4 && number(argv[4], &chunk)) || nruns < 1 || nruns > RUNS_MAX) {
		fprintf(stderr, "vxbench: MIB, RUNS (1..%d) and WRITE are positive numbers\n",
			RUNS_MAX);
		return 2;
	}
	runs = (int)nruns;
	if (mib < 1 || chunk < 1 || chunk > WRITE_MAX ||
	    !realpath("/proc/self/exe", self) || !mkdtemp(dir)) {
		fprintf(stderr, "vxbench: bad arguments or setup\n");
		return 2;
	}
	snprintf(uds, sizeof(uds), "%s/v", dir);
	setenv("UVMINIT_TEST_UDS", uds, 1);
	signal(SIGPIPE, SIG_IGN);
	gib = (double)mib / 1024.0;
	snprintf(chunk_arg, sizeof(chunk_arg), "%llu", chunk);
	for (i = 0; i < runs; i++) {
		struct result r[NMODES];
		int m;

		for (m = 0; m < NMODES; m++) {
			r[m] = one_run(argv[1], self, dir, (enum mode)m, mib << 20, chunk_arg);
			mibs[m][i] = r[m].mibs;
			total[m][i] = r[m].total / gib;
			lost[m] += r[m].lost;
		}
		for (m = RELAY; m < NMODES; m++) {
			ratio[m][i] = r[m].mibs / r[DIRECT].mibs;
			cpu[m][i] = r[m].cpu / gib;
		}
		fprintf(stderr, "run %d, %llu-byte writes: direct %.0f MiB/s, relay %.0f MiB/s "
			"(cpu %.3f s/GiB, lost %llu bytes), bare %.0f MiB/s (cpu %.3f s/GiB), "
			"nohold %.0f MiB/s (lost %llu bytes)\n",
			i + 1, chunk, r[DIRECT].mibs, r[RELAY].mibs, cpu[RELAY][i], r[RELAY].lost,
			r[BARE].mibs, cpu[BARE][i], r[NOHOLD].mibs, r[NOHOLD].lost);
	}
	rmdir(dir);
	/* what the names mean, once per write size (make bench lists NOTE lines) */
	printf("NOTE vsockexec_*_ratio: the median over rounds of the mode's throughput / "
	       "direct's in the same round (not the ratio of the medians shown)\n");
	printf("NOTE vsockexec bare: no vsockexec, a blocking splice(2) loop from a pipe to the "
	       "socket: the cheapest pipe relay\n");
	printf("NOTE vsockexec nohold: vsockexec -r -w 0, the relay that never holds the "
	       "program back (drops the oldest bytes instead)\n");
	printf("NOTE vsockexec *_cpu: vsockexec's (or bare's splicer's) own CPU per GiB; "
	       "*_cpu_all: writer + vsockexec + reader per GiB\n");
	printf("BENCH vsockexec_w%llu_relay_throughput %.0f MiB/s\n", chunk, median(mibs[RELAY], runs));
	printf("BENCH vsockexec_w%llu_direct_throughput %.0f MiB/s\n", chunk, median(mibs[DIRECT], runs));
	printf("BENCH vsockexec_w%llu_relay_ratio %.2f ratio\n", chunk, median(ratio[RELAY], runs));
	printf("BENCH vsockexec_w%llu_relay_cpu %.3f s/GiB\n", chunk, median(cpu[RELAY], runs));
	printf("BENCH vsockexec_w%llu_direct_cpu_all %.3f s/GiB\n", chunk, median(total[DIRECT], runs));
	printf("BENCH vsockexec_w%llu_relay_cpu_all %.3f s/GiB\n", chunk, median(total[RELAY], runs));
	printf("BENCH vsockexec_w%llu_relay_lost %llu bytes\n", chunk, lost[RELAY]);
	printf("BENCH vsockexec_w%llu_bare_throughput %.0f MiB/s\n", chunk, median(mibs[BARE], runs));
	printf("BENCH vsockexec_w%llu_bare_ratio %.2f ratio\n", chunk, median(ratio[BARE], runs));
	printf("BENCH vsockexec_w%llu_bare_cpu %.3f s/GiB\n", chunk, median(cpu[BARE], runs));
	printf("BENCH vsockexec_w%llu_bare_cpu_all %.3f s/GiB\n", chunk, median(total[BARE], runs));
	printf("BENCH vsockexec_w%llu_nohold_throughput %.0f MiB/s\n", chunk,
	       median(mibs[NOHOLD], runs));
	printf("BENCH vsockexec_w%llu_nohold_ratio %.2f ratio\n", chunk, median(ratio[NOHOLD], runs));
	printf("BENCH vsockexec_w%llu_nohold_lost_share %.3f ratio\n", chunk,
	       (double)lost[NOHOLD] / (double)(runs * (mib << 20)));
	if (lost[DIRECT] || lost[BARE])
		fprintf(stderr, "vxbench: direct or bare mode lost bytes: a bug\n");
	return lost[DIRECT] || lost[BARE];
}
