#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "goparse.h"

/* Duplicate keys are refused: a checker that reads the last of two while another reader
 * takes the first would pass what it never saw. Integers are read as reals so a large
 * one elsewhere in a spec (memory limits) is no error; the policy reads no number. */
#define SPEC_JSON_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL)

void spec_escape(char *out, size_t size, const char *s, size_t max)
{
	size_t o = 0, i;

	if (!size)
		return;
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[5];
		size_t n;

		if (c == '"' || c == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else
			n = (size_t)snprintf(tmp, sizeof(tmp), "%c", c);
		if (o + n + 4 > size) /* room for "..." and the NUL */
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	if (s[i] && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errlen,
						       const char *file, const char *fmt, ...)
{
	char where[256];
	va_list ap;

	spec_escape(where, sizeof(where), file, 200);
	va_start(ap, fmt);
	if (errlen) {
		int n = snprintf(err, errlen, "%s: ", where);

		if (n >= 0 && (size_t)n < errlen)
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	}
	va_end(ap);
	return -EINVAL;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* member of obj, NULL when absent or JSON null (as Go reads a null into a nil field) */
static json_t *member(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	return json_is_null(v) ? NULL : v;
}

/* The members of obj that Go's decoder would put in one of the fields uvmctl reads there
 * (names, NULL-ended) without being spelled exactly: refused, so the checker never reads
 * less than hcsshim does. Two spellings of one field make one of them inexact. path is
 * where obj is ("" at the top), idx its index in an array or SIZE_MAX. */
static int exact_names(const struct spec *s, json_t *obj, const char *path, size_t idx,
		       const char *const *names, char *err, size_t errlen)
{
	const char *key, *const *n;
	char where[64] = "", k[256];
	json_t *v;

	if (idx != SIZE_MAX)
		snprintf(where, sizeof(where), "[%zu]", idx);
	json_object_foreach(obj, key, v) {
		for (n = names; *n; n++) {
			if (strcmp(key, *n) && go_fold_equal(key, *n)) {
				spec_escape(k, sizeof(k), key, 200);
				return fail(err, errlen, s->file,
					    "%s%s%s%s: not the exact spelling of \"%s\"", path, where,
					    *path ? "." : "", k, *n);
			}
		}
	}
	return 0;
}

static int read_annotations(struct spec *s, json_t *root, char *err, size_t errlen)
{
	json_t *ann = member(root, "annotations"), *v;
	const char *key;
	size_t i = 0;

	if (!ann)
		return 0;
	if (!json_is_object(ann))
		return fail(err, errlen, s->file, "annotations: %s, not an object",
			    type_name(ann));
	s->annotations = calloc(json_object_size(ann) + 1, sizeof(*s->annotations));
	if (!s->annotations)
		return -ENOMEM;
	json_object_foreach(ann, key, v) {
		if (!json_is_string(v)) {
			char k[256];

			spec_escape(k, sizeof(k), key, 200);
			return fail(err, errlen, s->file, "annotations: %s: %s, not a string", k,
				    type_name(v));
		}
		s->annotations[i].key = key;
		s->annotations[i++].value = json_string_value(v);
	}
	s->nannotations = i;
	return 0;
}

/* an optional string member: 0 with *out NULL when absent */
static int opt_string(const struct spec *s, json_t *obj, const char *name, const char *path,
		      size_t idx, const char **out, char *err, size_t errlen)
{
	json_t *v = member(obj, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(err, errlen, s->file, "%s[%zu].%s: %s, not a string", path, idx,
			    name, type_name(v));
	*out = json_string_value(v);
	return 0;
}

/* an optional array member: 0 with *out NULL when absent */
static int opt_array(const struct spec *s, json_t *obj, const char *name, const char *path,
		     json_t **out, char *err, size_t errlen)
{
	json_t *v = member(obj, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(err, errlen, s->file, "%s: %s, not an array", path, type_name(v));
	*out = v;
	return 0;
}

/* Entry i of the array at path: an object with the optional string members n1, n2. */
static int read_entry(const struct spec *s, json_t *e, const char *path, size_t i,
		      const char *n1, const char **v1, const char *n2, const char **v2, char *err,
		      size_t errlen)
{
	const char *const names[] = { n1, n2, NULL };
	int rc;

	if (!json_is_object(e))
		return fail(err, errlen, s->file, "%s[%zu]: %s, not an object", path, i,
			    type_name(e));
	rc = exact_names(s, e, path, i, names, err, errlen);
	if (!rc)
		rc = opt_string(s, e, n1, path, i, v1, err, errlen);
	return rc ? rc : opt_string(s, e, n2, path, i, v2, err, errlen);
}

static int read_mounts(struct spec *s, json_t *root, char *err, size_t errlen)
{
	json_t *arr, *m;
	size_t i;
	int rc = opt_array(s, root, "mounts", "mounts", &arr, err, errlen);

	if (rc || !arr)
		return rc;
	s->mounts = calloc(json_array_size(arr) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		return -ENOMEM;
	json_array_foreach(arr, i, m) {
		rc = read_entry(s, m, "mounts", i, "type", &s->mounts[i].type, "source",
				&s->mounts[i].source, err, errlen);
		if (rc)
			return rc;
		s->nmounts = i + 1;
	}
	return 0;
}

static int read_devices(struct spec *s, json_t *root, char *err, size_t errlen)
{
	static const char *const names[] = { "devices", NULL };
	json_t *win = member(root, "windows"), *arr = NULL, *d;
	size_t i;
	int rc;

	if (!win)
		return 0;
	if (!json_is_object(win))
		return fail(err, errlen, s->file, "windows: %s, not an object", type_name(win));
	rc = exact_names(s, win, "windows", SIZE_MAX, names, err, errlen);
	if (!rc)
		rc = opt_array(s, win, "devices", "windows.devices", &arr, err, errlen);
	if (rc || !arr)
		return rc;
	s->devices = calloc(json_array_size(arr) + 1, sizeof(*s->devices));
	if (!s->devices)
		return -ENOMEM;
	json_array_foreach(arr, i, d) {
		rc = read_entry(s, d, "windows.devices", i, "idType", &s->devices[i].id_type, "id",
				&s->devices[i].id, err, errlen);
		if (rc)
			return rc;
		s->ndevices = i + 1;
	}
	return 0;
}

/* A sandbox spec's top-level "devices": assigned to the UVM itself; only counted. */
static int read_vm_devices(struct spec *s, json_t *root, char *err, size_t errlen)
{
	json_t *arr;
	int rc = opt_array(s, root, "devices", "devices", &arr, err, errlen);

	if (!rc && arr)
		s->nvm_devices = json_array_size(arr);
	return rc;
}

int spec_parse(struct spec *s, const char *file, const char *buf, size_t len, char *err,
	       size_t errlen)
{
	static const char *const top_names[] = { "annotations", "mounts", "windows", "devices",
						 NULL };
	json_error_t je;
	json_t *root;
	int rc;

	memset(s, 0, sizeof(*s));
	s->file = file;
	root = json_loadb(buf, len, SPEC_JSON_FLAGS, &je);
	if (!root) {
		char *why = je.text;
		size_t i;

		if (json_error_code(&je) == json_error_out_of_memory)
			return -ENOMEM;
		for (i = 0; i < sizeof(je.text) && why[i]; i++) { /* it quotes the input */
			if ((unsigned char)why[i] < 0x20 || (unsigned char)why[i] >= 0x7f)
				why[i] = '?';
		}
		if (je.line < 1)
			return fail(err, errlen, file, "invalid JSON: %s", why);
		return fail(err, errlen, file, "line %d column %d: invalid JSON: %s", je.line,
			    je.column, why);
	}
	s->json = root;
	if (!json_is_object(root)) {
		rc = fail(err, errlen, file, "top level: %s, not an object", type_name(root));
		goto fail;
	}
	rc = exact_names(s, root, "", SIZE_MAX, top_names, err, errlen);
	if (!rc)
		rc = read_annotations(s, root, err, errlen);
	if (!rc)
		rc = read_vm_devices(s, root, err, errlen);
	if (!rc)
		rc = read_mounts(s, root, err, errlen);
	if (!rc)
		rc = read_devices(s, root, err, errlen);
	if (rc)
		goto fail;
	return 0;
fail:
	spec_free(s);
	return rc;
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* The whole file, at most SPEC_MAX_BYTES; -errno with err set. Opened without blocking
 * (a FIFO with no writer would hold the open) and refused unless a regular file of at
 * most SPEC_MAX_BYTES, so nothing here waits; the read loop keeps the cap for a file
 * that grows meanwhile. */
static int read_all(const char *file, char **out, size_t *len, char *err, size_t errlen)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc = 0;
	struct stat st;

	if (!buf) {
		rc = -ENOMEM;
		goto out_close;
	}
	if (fd < 0) {
		rc = -errno;
		fail(err, errlen, file, "cannot open: %s", strerror(-rc));
		goto out_free;
	}
	if (fstat(fd, &st)) {
		rc = -errno;
		fail(err, errlen, file, "cannot stat: %s", strerror(-rc));
		goto out_free;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fail(err, errlen, file, "%s, not a regular file: not a runtime spec",
			  file_kind(st.st_mode));
		goto out_free;
	}
	if ((uintmax_t)st.st_size > SPEC_MAX_BYTES) {
		rc = fail(err, errlen, file, "%jd bytes, over %u: not a runtime spec",
			  (intmax_t)st.st_size, SPEC_MAX_BYTES);
		goto out_free;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap * 2 > SPEC_MAX_BYTES + 1 ? SPEC_MAX_BYTES + 1 : cap * 2;
			char *nb;

			if (cap == SPEC_MAX_BYTES + 1) {
				rc = fail(err, errlen, file,
					  "grew past %u bytes while read: not a runtime spec",
					  SPEC_MAX_BYTES);
				goto out_free;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			fail(err, errlen, file, "cannot read: %s", strerror(-rc));
			goto out_free;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	buf = NULL;
out_free:
	free(buf);
out_close:
	if (fd >= 0)
		close(fd);
	return rc;
}

int spec_load(struct spec *s, const char *file, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = read_all(file, &buf, &len, err, errlen);

	memset(s, 0, sizeof(*s));
	if (rc)
		return rc == -ENOMEM ? rc : -EINVAL;
	rc = spec_parse(s, file, buf, len, err, errlen);
	free(buf);
	return rc;
}

void spec_free(struct spec *s)
{
	free(s->annotations);
	free(s->mounts);
	free(s->devices);
	json_decref(s->json);
	memset(s, 0, sizeof(*s));
}

const char *spec_annotation(const struct spec *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nannotations; i++) {
		if (!strcmp(s->annotations[i].key, key))
			return s->annotations[i].value;
	}
	return NULL;
}
