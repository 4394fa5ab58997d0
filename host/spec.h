/* The JSON reader: an OCI runtime spec (or any object with top-level "annotations"),
 * reduced to the fields the policy and the plan read. The only code that sees JSON. */
#ifndef UVMINIT_SPEC_H
#define UVMINIT_SPEC_H

#include <stddef.h>

#define SPEC_MAX_BYTES (16u << 20) /* a runtime spec is a few KiB; refuse a runaway file */
#define SPEC_ERR_LEN 512

struct spec_annotation {
	const char *key;
	const char *value;
};

struct spec_mount { /* an entry of "mounts" */
	const char *type;   /* NULL when absent or null */
	const char *source; /* NULL when absent or null */
};

struct spec_device { /* an entry of "windows.devices" */
	const char *id_type; /* "idType"; NULL when absent */
	const char *id;      /* "id"; NULL when absent */
};

struct spec {
	const char *file; /* as named on the command line, for messages */
	struct spec_annotation *annotations;
	size_t nannotations;
	struct spec_mount *mounts;
	size_t nmounts;
	struct spec_device *devices;
	size_t ndevices;
	size_t nvm_devices; /* entries of a sandbox spec's top-level "devices" (the UVM's) */
	void *json; /* the parsed document the strings above point into */
};

/* Parses len bytes of buf (need not be NUL-terminated). Returns 0, -EINVAL (err holds
 * one line "FILE: PLACE: why": invalid JSON, wrong type, a member Go would read into a
 * field read here but not spelled exactly) or -ENOMEM. On failure the
 * spec is empty and needs no spec_free. */
int spec_parse(struct spec *s, const char *file, const char *buf, size_t len, char *err,
	       size_t errlen);
/* Reads the file and parses it; an unreadable file, one that is not a regular file (a
 * FIFO, a directory, a device: refused at once, never waited on) or one over
 * SPEC_MAX_BYTES is -EINVAL too, named in err. */
int spec_load(struct spec *s, const char *file, char *err, size_t errlen);
void spec_free(struct spec *s);
/* The value of annotation key, or NULL. */
const char *spec_annotation(const struct spec *s, const char *key);
/* Copies s into out for a message: quotes, backslashes, control and non-ASCII bytes
 * escaped (\", \\, \xNN), cut at max bytes of input with "...". Always terminated. */
void spec_escape(char *out, size_t size, const char *s, size_t max);

#endif
