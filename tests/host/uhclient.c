/* uhclient: the guest's side for tests/host/uvmhost.sh and the move test, over AF_UNIX
 * (a hybrid-vsock socket PATH_P). usage:
 *   uhclient read PATH [WAIT_MS]     connect, wait, read to EOF: prints the byte count
 *   uhclient send PATH               connect, stdin to the socket, close
 *   uhclient pair PATH N             two connections at once, each writing N lines of
 *                                    'a's (b's) in pieces that alternate between them
 *   uhclient flood PATH N LEN        N lines of LEN bytes: prints the seconds it took
 *   uhclient notify PATH WAIT_MS     bind a datagram socket at PATH, print the first
 *                                    datagram that comes within WAIT_MS
 *   uhclient agent                   the move test's agent (below): stdin commands,
 *                                    numbered lines on stdout
 * Exit 0, 1 on a failure (one line), 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "parse.h"
#include "tests/writeall.h"

static int dial(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "uhclient: %s: path too long\n", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "uhclient: socket: %s\n", strerror(errno));
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "uhclient: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR) {
	}
}

static int number(const char *s, uint32_t max, uint32_t *out)
{
	if (parse_u32(s, 0, max, out)) {
		fprintf(stderr, "uhclient: %s: not a number\n", s);
		return -1;
	}
	return 0;
}

static int cmd_read(int argc, char **argv)
{
	uint32_t wait = 0;
	unsigned long long total = 0;
	char buf[65536];
	ssize_t n;
	int fd;

	if (argc > 3 && number(argv[3], 600000, &wait))
		return 2;
	fd = dial(argv[2]);
	if (fd < 0)
		return 1;
	sleep_ms(wait);
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		total += n > 0 ? (unsigned long long)n : 0;
	close(fd);
	printf("%llu\n", total);
	return 0;
}

static int cmd_send(char **argv)
{
	char buf[65536];
	ssize_t n;
	int fd = dial(argv[2]);

	if (fd < 0)
		return 1;
	while ((n = read(0, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && write_all(fd, buf, (size_t)n))
			return fprintf(stderr, "uhclient: send: %s\n", strerror(errno)), 1;
	close(fd);
	return 0;
}

/* Each line is 8 bytes of its letter, sent as two pieces of 4 (the second with the
 * newline), the two connections' pieces alternating: a host that mixed connections
 * within a line would write "aaaabbbb". */
static int cmd_pair(char **argv)
{
	uint32_t n;
	int a, b;

	if (number(argv[3], 1000000, &n))
		return 2;
	a = dial(argv[2]);
	b = dial(argv[2]);
	if (a < 0 || b < 0)
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		if (write_all(a, "aaaa", 4) || write_all(b, "bbbb", 4) ||
		    write_all(a, "aaaa\n", 5) || write_all(b, "bbbb\n", 5))
			return fprintf(stderr, "uhclient: pair: %s\n", strerror(errno)), 1;
		if (i % 64 == 0)
			sleep_ms(1); /* let the host read the pieces apart */
	}
	close(a);
	close(b);
	return 0;
}

static int cmd_flood(char **argv)
{
	uint32_t n, len;
	int64_t t0;
	char *line;
	int fd, rc = 0;

	if (number(argv[3], 100000000, &n) || number(argv[4], 1u << 20, &len) || !len)
		return 2;
	line = malloc(len);
	if (!line)
		return 1;
	memset(line, 'x', len - 1);
	line[len - 1] = '\n';
	fd = dial(argv[2]);
	if (fd < 0) {
		free(line);
		return 1;
	}
	t0 = clock_us();
	for (uint32_t i = 0; i < n && !rc; i++)
		rc = write_all(fd, line, len);
	if (rc)
		fprintf(stderr, "uhclient: flood: %s\n", strerror(-rc));
	else
		printf("%.3f\n", (double)(clock_us() - t0) / 1e6);
	close(fd);
	free(line);
	return rc ? 1 : 0;
}

/* The agent of the move test: reads "N MS" commands from stdin, writes the next N lines
 * ("seq=%08u" padded with x to AGENT_LINE bytes) to stdout MS ms apart, then reports
 * "wrote=LAST max_write_ms=M" on stderr (M: the longest single write so far). */
#define AGENT_LINE 64

static int cmd_agent(void)
{
	char cmd[64], line[AGENT_LINE + 1];
	uint32_t seq = 0;
	int64_t worst = 0;

	memset(line, 'x', AGENT_LINE - 1);
	line[AGENT_LINE - 1] = '\n';
	while (fgets(cmd, sizeof(cmd), stdin)) {
		char *sp = strchr(cmd, ' '), *nl = strchr(cmd, '\n');
		uint32_t n, interval;

		if (!sp || !nl)
			return fprintf(stderr, "uhclient: agent: bad command\n"), 2;
		*sp = *nl = '\0';
		if (number(cmd, 100000000, &n) || number(sp + 1, 60000, &interval))
			return 2;
		for (uint32_t i = 0; i < n; i++) {
			int64_t t0 = clock_us(), dt;

			snprintf(line, sizeof(line), "seq=%08u", ++seq);
			line[12] = 'x'; /* snprintf's NUL, back to padding */
			if (write_all(1, line, AGENT_LINE))
				return fprintf(stderr, "uhclient: agent: %s\n", strerror(errno)), 1;
			dt = clock_us() - t0;
			worst = dt > worst ? dt : worst;
			if (interval)
				sleep_ms(interval);
		}
		fprintf(stderr, "wrote=%u max_write_ms=%lld\n", seq, (long long)(worst / 1000));
	}
	return 0;
}

static int cmd_notify(char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv;
	uint32_t wait;
	char buf[256];
	ssize_t n;
	int fd;

	if (number(argv[3], 600000, &wait) || strlen(argv[2]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[2]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fprintf(stderr, "uhclient: notify: %s\n", strerror(errno)), 1;
	tv = (struct timeval){ wait / 1000, (long)(wait % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return fprintf(stderr, "uhclient: notify: %s\n", strerror(errno)), 1;
	buf[n] = '\0';
	printf("%s\n", buf);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "read"))
		return cmd_read(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "send"))
		return cmd_send(argv);
	if (argc == 4 && !strcmp(argv[1], "pair"))
		return cmd_pair(argv);
	if (argc == 5 && !strcmp(argv[1], "flood"))
		return cmd_flood(argv);
	if (argc == 4 && !strcmp(argv[1], "notify"))
		return cmd_notify(argv);
	if (argc == 2 && !strcmp(argv[1], "agent"))
		return cmd_agent();
	fputs("usage: uhclient read|send|pair|flood|agent ... (see tests/host/uhclient.c)\n", stderr);
	return 2;
}
