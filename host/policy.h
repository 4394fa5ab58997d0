/* The live-migration policy: which pod annotations and container mounts and devices a
 * migratable pod may have. Pure: reads a struct spec, writes findings. */
#ifndef UVMINIT_POLICY_H
#define UVMINIT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

#define POLICY_MIGRATION_KEY "io.microsoft.migration.support-enabled"
#define POLICY_LINE_LEN 640

/* What a rule matches: a pod annotation key, a container mount's type, a bind mount's
 * source, a container device assignment's idType, an entry of a sandbox spec's top-level
 * "devices" (assigned to the UVM; matched as ""). */
enum policy_scope { SCOPE_ANNOTATION, SCOPE_MOUNT_TYPE, SCOPE_BIND_SOURCE, SCOPE_DEVICE,
		    SCOPE_VM_DEVICE };

enum policy_action {
	ACT_ALLOW,	  /* any value */
	ACT_REJECT,	  /* present at all is a violation */
	ACT_LOCK_BOOL,	  /* must parse (Go ParseBool) to the bool in .want */
	ACT_LOCK_U32,	  /* must parse (Go ParseUint base 10, 32 bits) to the number in .want */
	ACT_LOCK_WORD,	  /* must be exactly .want */
	ACT_CHECK_SOURCE, /* a bind mount: decided by its source (SCOPE_BIND_SOURCE) */
};

struct policy_rule {
	enum policy_scope scope;
	const char *match; /* exact text, or a prefix when .prefix */
	bool prefix;
	enum policy_action action;
	const char *want; /* the locked value, as text */
	const char *why;  /* the reason given with a violation */
};

/* The one table, in the order the documentation lists it. */
extern const struct policy_rule policy_rules[];
extern const size_t policy_nrules;

/* The rule for text in scope: an exact match first, else the longest matching prefix;
 * NULL when none (an annotation outside io.microsoft.virtualmachine., a mount type with
 * no rule: allowed). */
const struct policy_rule *policy_find(enum policy_scope scope, const char *text);

/* Violation lines, "FILE: KEY or PATH: why", in the order found. */
struct findings {
	char **line;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) int findings_add(struct findings *f, const char *fmt,
							 ...);
void findings_free(struct findings *f);

/* Whether the pod is migratable by its annotation (absent: false). -EINVAL with err set
 * ("FILE: KEY: why") when the value is not a Go boolean. */
int policy_pod_migratable(const struct spec *pod, bool *out, char *err, size_t errlen);
/* Appends one line per violation. 0 or -ENOMEM. The pod's check covers its annotations,
 * its own top-level "devices", then its own mounts and windows.devices by the container
 * rules (a sandbox spec is the pause container's spec too). */
int policy_check_pod(const struct spec *pod, struct findings *f);
int policy_check_container(const struct spec *c, struct findings *f);

#endif
