/*
 * mkcpio: write a newc cpio archive from a line-based spec, reproducibly.
 *
 *   mkcpio [-t MTIME] [SPEC]      (SPEC default: stdin; archive on stdout)
 *
 * Spec lines (fields separated by blanks; '#' starts a comment line):
 *   dir   PATH MODE
 *   file  PATH SRC MODE
 *   slink PATH TARGET MODE
 *   nod   PATH MODE c|b MAJOR MINOR
 * MODE is octal permission bits. Every entry is owned by 0:0 and stamped with MTIME
 * (default: $SOURCE_DATE_EPOCH, else 0); inode numbers count up from 1 in spec order,
 * so the same spec and the same inputs give the same bytes. Device nodes are written
 * into the archive, so no root and no mknod are needed. Exit 0 on success, 1 on a bad
 * spec or an I/O error (one line on stderr naming the spec line).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

#define MAX_FIELDS 7

struct out {
	FILE *f;
	unsigned long long pos;
	unsigned long ino;
	unsigned long mtime;
};

struct entry {
	const char *path;
	unsigned int mode;	/* full st_mode: type | permissions */
	unsigned int rmajor, rminor;
	const char *data;	/* symlink target, or NULL */
	const char *src;	/* file to copy, or NULL */
};

static const char *prog = "mkcpio";

__attribute__((format(printf, 1, 2)))
static void err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int put(struct out *o, const void *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, o->f) != len)
		return -EIO;
	o->pos += len;
	return 0;
}

static int pad4(struct out *o)
{
	static const char zero[4];

	return put(o, zero, (4 - (o->pos & 3)) & 3);
}

static int header(struct out *o, const struct entry *e, unsigned long size)
{
	char hdr[160];	/* 110 bytes; room for what the compiler cannot rule out */
	const char *name = e->path;
	size_t namesize;
	int rc;

	while (*name == '/')
		name++;
	if (!*name)
		name = ".";
	namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned int)o->ino++, e->mode, 0u, 0u, S_ISDIR(e->mode) ? 2u : 1u,
		 (unsigned int)o->mtime, (unsigned int)size, 0u, 0u, e->rmajor, e->rminor,
		 (unsigned int)namesize, 0u);
	rc = put(o, hdr, 110);
	if (!rc)
		rc = put(o, name, namesize);
	if (!rc)
		rc = pad4(o);
	return rc;
}

static int copy_file(struct out *o, const struct entry *e)
{
	char buf[65536];
	struct stat st;
	unsigned long long left;
	ssize_t n;
	int fd, rc;

	fd = open(e->src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > 0xffffffffull) {
		rc = -EINVAL;
		goto out_close;
	}
	rc = header(o, e, (unsigned long)st.st_size);
	left = (unsigned long long)st.st_size;
	while (!rc && left) {
		n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;	/* the file shrank under us */
			break;
		}
		rc = put(o, buf, (size_t)n);
		left -= (unsigned long long)n;
	}
	if (!rc)
		rc = pad4(o);
out_close:
	close(fd);
	return rc;
}

static int parse_mode(const char *s, unsigned int *mode)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || end == s || *end || v > 07777)
		return -EINVAL;
	*mode = (unsigned int)v;
	return 0;
}

static int parse_dev(const char *s, unsigned int *out)
{
	uint32_t v;

	if (parse_u32(s, 0, 0xfffff, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* One spec line -> one archive entry. Returns 0, or -errno with *why set. */
static int do_line(struct out *o, char **f, int n, const char **why)
{
	struct entry e = { .path = f[1] };
	unsigned int perm;

	*why = "bad line";
	if (!strcmp(f[0], "dir") && n == 3) {
		if (parse_mode(f[2], &perm))
			return *why = "bad mode", -EINVAL;
		e.mode = S_IFDIR | perm;
		return header(o, &e, 0);
	}
	if (!strcmp(f[0], "file") && n == 4) {
		if (parse_mode(f[3], &perm))
			return *why = "bad mode", -EINVAL;
		e.mode = S_IFREG | perm;
		e.src = f[2];
		*why = f[2];
		return copy_file(o, &e);
	}
	if (!strcmp(f[0], "slink") && n == 4) {
		size_t len = strlen(f[2]);
		int rc;

		if (parse_mode(f[3], &perm))
			return *why = "bad mode", -EINVAL;
		e.mode = S_IFLNK | perm;
		rc = header(o, &e, (unsigned long)len);
		if (!rc)
			rc = put(o, f[2], len);
		return rc ? rc : pad4(o);
	}
	if (!strcmp(f[0], "nod") && n == 6) {
		if (parse_mode(f[2], &perm))
			return *why = "bad mode", -EINVAL;
		if (strcmp(f[3], "c") && strcmp(f[3], "b"))
			return *why = "device type must be c or b", -EINVAL;
		if (parse_dev(f[4], &e.rmajor) || parse_dev(f[5], &e.rminor))
			return *why = "bad device number", -EINVAL;
		e.mode = (f[3][0] == 'c' ? S_IFCHR : S_IFBLK) | perm;
		return header(o, &e, 0);
	}
	return -EINVAL;
}

static int split(char *line, char **f)
{
	int n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (n == MAX_FIELDS)
			return -1;
		f[n++] = tok;
	}
	return n;
}

static int run(FILE *spec, const char *specname, struct out *o)
{
	struct entry trailer = { .path = "TRAILER!!!" };
	char *line = NULL, *f[MAX_FIELDS];
	size_t cap = 0;
	unsigned long lineno = 0;
	const char *why;
	int n, rc = 0;

	while (getline(&line, &cap, spec) >= 0) {
		lineno++;
		n = split(line, f);
		if (n == 0 || f[0][0] == '#')
			continue;
		if (n < 0 || n < 3 || f[1][0] != '/') {
			err("%s:%lu: bad line", specname, lineno);
			rc = -EINVAL;
			goto out_free;
		}
		rc = do_line(o, f, n, &why);
		if (rc) {
			err("%s:%lu: %s: %s", specname, lineno, why, strerror(-rc));
			goto out_free;
		}
	}
	if (ferror(spec)) {
		rc = -EIO;
		err("%s: read error", specname);
		goto out_free;
	}
	o->ino = 0;
	trailer.mode = 0;
	rc = header(o, &trailer, 0);
	if (!rc) {
		/* pad the archive to a 512-byte boundary, as cpio(1) does */
		static const char zero[512];

		rc = put(o, zero, (size_t)((512 - (o->pos & 511)) & 511));
	}
	if (!rc && fflush(o->f))
		rc = -errno;
	if (rc)
		err("write: %s", strerror(-rc));
out_free:
	free(line);
	return rc;
}

int main(int argc, char **argv)
{
	struct out o = { .f = stdout, .ino = 1 };
	const char *specname = "-", *env;
	FILE *spec = stdin;
	uint32_t v;
	int opt, rc;

	env = getenv("SOURCE_DATE_EPOCH");
	if (env && *env) {
		if (parse_u32(env, 0, 0xffffffffu, &v) < 0) {
			err("invalid SOURCE_DATE_EPOCH: %s", env);
			return 1;
		}
		o.mtime = (unsigned long)v;
	}
	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't' || parse_u32(optarg, 0, 0xffffffffu, &v) < 0) {
			err("usage: mkcpio [-t MTIME] [SPEC]");
			return 1;
		}
		o.mtime = (unsigned long)v;
	}
	if (optind < argc - 1) {
		err("usage: mkcpio [-t MTIME] [SPEC]");
		return 1;
	}
	if (optind == argc - 1 && strcmp(argv[optind], "-")) {
		specname = argv[optind];
		spec = fopen(specname, "re");
		if (!spec) {
			err("%s: %s", specname, strerror(errno));
			return 1;
		}
	}
	rc = run(spec, specname, &o);
	if (spec != stdin)
		fclose(spec);
	return rc ? 1 : 0;
}
