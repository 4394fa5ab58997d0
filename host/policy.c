#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goparse.h"

#define VM "io.microsoft.virtualmachine."
#define MOVES_NOT "cannot move with the VM"

/* hcsshim's annotation names; keys are case-sensitive, as hcsshim reads them. */
const struct policy_rule policy_rules[] = {
	/* --- pod annotations: the UVM's shape ------------------------------------------ */
	{ SCOPE_ANNOTATION, VM, true, ACT_REJECT, NULL,
	  "not on the live-migration allow list (io.microsoft.virtualmachine.* is denied by default)" },
	{ SCOPE_ANNOTATION, VM "hv-socket.service-table.", true, ACT_REJECT, NULL,
	  "binds the VM to a host-side service registration that " MOVES_NOT },
	{ SCOPE_ANNOTATION, VM "bootfilesrootpath", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "lcow.kerneldirectboot", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.memory.allowovercommit", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.processor.count", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.processor.limit", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.processor.weight", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.memory.sizeinmb", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.memory.lowmmiogapinmb", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.memory.highmmiobaseinmb", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "computetopology.memory.highmmiogapinmb", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "storageqos.iopsmaximum", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "storageqos.bandwidthmaximum", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "lcow.network.policybasedrouting", false, ACT_ALLOW, NULL, NULL },
	/* guest-only (the agent's -disable-time-sync, which plan reads); inert while the
	 * PMem count is locked at 0; restrictive */
	{ SCOPE_ANNOTATION, VM "lcow.timesync.disable", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "devices.virtualpmem.maximumsizebytes", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "fileshares.disablewritable", false, ACT_ALLOW, NULL, NULL },
	{ SCOPE_ANNOTATION, VM "lcow.preferredrootfstype", false, ACT_LOCK_WORD, "vhd",
	  "the root file system must be the read-only VHD every host has" },
	{ SCOPE_ANNOTATION, VM "lcow.vpcienabled", false, ACT_LOCK_BOOL, "false",
	  "assigned PCI devices " MOVES_NOT },
	{ SCOPE_ANNOTATION, VM "devices.virtualpmem.maximumcount", false, ACT_LOCK_U32, "0",
	  "virtual PMem devices " MOVES_NOT },
	{ SCOPE_ANNOTATION, VM "lcow.writable-overlay-directories", false, ACT_LOCK_BOOL, "false",
	  "writable overlays are refused in a migratable VM's shape" },
	/* --- container mounts ----------------------------------------------------------- */
	{ SCOPE_MOUNT_TYPE, "virtual-disk", false, ACT_REJECT, NULL,
	  "a VHD mount attaches a host disk that " MOVES_NOT },
	{ SCOPE_MOUNT_TYPE, "physical-disk", false, ACT_REJECT, NULL,
	  "a physical disk mount attaches a host disk that " MOVES_NOT },
	{ SCOPE_MOUNT_TYPE, "extensible-virtual-disk", false, ACT_REJECT, NULL,
	  "an extensible VHD mount attaches a host disk that " MOVES_NOT },
	{ SCOPE_MOUNT_TYPE, "bind", false, ACT_CHECK_SOURCE, NULL, NULL },
	{ SCOPE_BIND_SOURCE, "", true, ACT_REJECT, NULL,
	  "a directory mount of a host path is a Plan9 share that " MOVES_NOT },
	{ SCOPE_BIND_SOURCE, "sandbox://", true, ACT_ALLOW, NULL, NULL },
	{ SCOPE_BIND_SOURCE, "sandbox-tmp://", true, ACT_ALLOW, NULL, NULL },
	{ SCOPE_BIND_SOURCE, "uvm://", true, ACT_ALLOW, NULL, NULL },
	{ SCOPE_BIND_SOURCE, "hugepages://", true, ACT_ALLOW, NULL, NULL },
	/* --- container device assignments (windows.devices; linux.devices are guest nodes) */
	{ SCOPE_DEVICE, "", true, ACT_REJECT, NULL, "an assigned host device " MOVES_NOT },
	/* --- a sandbox spec's top-level devices: hcsshim assigns them to the UVM (vPCI) --- */
	{ SCOPE_VM_DEVICE, "", true, ACT_REJECT, NULL,
	  "a host device assigned to the UVM over vPCI " MOVES_NOT },
};
const size_t policy_nrules = sizeof(policy_rules) / sizeof(policy_rules[0]);

const struct policy_rule *policy_find(enum policy_scope scope, const char *text)
{
	const struct policy_rule *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < policy_nrules; i++) {
		const struct policy_rule *r = &policy_rules[i];
		size_t len = strlen(r->match);

		if (r->scope != scope)
			continue;
		if (!r->prefix && !strcmp(text, r->match))
			return r;
		if (r->prefix && !strncmp(text, r->match, len) && (!best || len > best_len)) {
			best = r;
			best_len = len;
		}
	}
	return best;
}

int findings_add(struct findings *f, const char *fmt, ...)
{
	va_list ap;
	char *line;

	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		char **nl = realloc(f->line, cap * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		f->line = nl;
		f->cap = cap;
	}
	line = malloc(POLICY_LINE_LEN);
	if (!line)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(line, POLICY_LINE_LEN, fmt, ap);
	va_end(ap);
	f->line[f->n++] = line;
	return 0;
}

void findings_free(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->line[i]);
	free(f->line);
	memset(f, 0, sizeof(*f));
}

int policy_pod_migratable(const struct spec *pod, bool *out, char *err, size_t errlen)
{
	const char *v = spec_annotation(pod, POLICY_MIGRATION_KEY);
	char file[256], shown[256];

	*out = false;
	if (!v || go_parse_bool(v, out) == 0)
		return 0;
	spec_escape(file, sizeof(file), pod->file, 200);
	spec_escape(shown, sizeof(shown), v, 100);
	snprintf(err, errlen,
		 "%s: %s: \"%s\" is not a boolean (1 t T TRUE true True 0 f F FALSE false False)",
		 file, POLICY_MIGRATION_KEY, shown);
	return -EINVAL;
}

/* Whether value satisfies a lock rule; *why_out names what is wrong when not. */
static bool lock_holds(const struct policy_rule *r, const char *value, const char **why_out)
{
	bool b, want_b;
	uint32_t n, want_n;

	switch (r->action) {
	case ACT_LOCK_BOOL:
		go_parse_bool(r->want, &want_b);
		if (go_parse_bool(value, &b)) {
			*why_out = "does not parse as a boolean";
			return false;
		}
		*why_out = "is not allowed";
		return b == want_b;
	case ACT_LOCK_U32:
		go_parse_u32(r->want, &want_n);
		if (go_parse_u32(value, &n)) {
			*why_out = "does not parse as a base-10 number";
			return false;
		}
		*why_out = "is not allowed";
		return n == want_n;
	default:
		*why_out = "is not allowed";
		return !strcmp(value, r->want);
	}
}

int policy_check_pod(const struct spec *pod, struct findings *f)
{
	char file[256];
	size_t i;
	int rc = 0;

	spec_escape(file, sizeof(file), pod->file, 200);
	for (i = 0; i < pod->nannotations && !rc; i++) {
		const char *key = pod->annotations[i].key, *value = pod->annotations[i].value;
		const struct policy_rule *r = policy_find(SCOPE_ANNOTATION, key);
		char k[256], v[256];
		const char *why;

		if (!r || r->action == ACT_ALLOW)
			continue;
		spec_escape(k, sizeof(k), key, 200);
		if (r->action == ACT_REJECT) {
			rc = findings_add(f, "%s: %s: rejected: %s", file, k, r->why);
			continue;
		}
		if (lock_holds(r, value, &why))
			continue;
		spec_escape(v, sizeof(v), value, 100);
		rc = findings_add(f, "%s: %s: \"%s\" %s: must be %s (%s)", file, k, v, why, r->want,
				  r->why);
	}
	for (i = 0; i < pod->nvm_devices && !rc; i++) {
		const struct policy_rule *r = policy_find(SCOPE_VM_DEVICE, "");

		if (r && r->action != ACT_ALLOW)
			rc = findings_add(f, "%s: devices[%zu]: rejected: %s", file, i, r->why);
	}
	return rc ? rc : policy_check_container(pod, f);
}

int policy_check_container(const struct spec *c, struct findings *f)
{
	char file[256], a[256], b[256];
	size_t i;
	int rc = 0;

	spec_escape(file, sizeof(file), c->file, 200);
	for (i = 0; i < c->ndevices && !rc; i++) {
		const struct spec_device *d = &c->devices[i];
		const struct policy_rule *r = policy_find(SCOPE_DEVICE, d->id_type ? d->id_type : "");

		if (!r || r->action == ACT_ALLOW)
			continue;
		spec_escape(a, sizeof(a), d->id_type ? d->id_type : "", 100);
		spec_escape(b, sizeof(b), d->id ? d->id : "", 100);
		rc = findings_add(f, "%s: windows.devices[%zu]: rejected: device assignment (idType \"%s\", id \"%s\"): %s",
				  file, i, a, b, r->why);
	}
	for (i = 0; i < c->nmounts && !rc; i++) {
		const struct spec_mount *m = &c->mounts[i];
		const struct policy_rule *r;
		const char *src = m->source ? m->source : "";

		if (!m->type)
			continue; /* hcsshim passes a mount without a type to the guest as is */
		r = policy_find(SCOPE_MOUNT_TYPE, m->type);
		if (r && r->action == ACT_CHECK_SOURCE)
			r = policy_find(SCOPE_BIND_SOURCE, src);
		if (!r || r->action == ACT_ALLOW)
			continue;
		spec_escape(a, sizeof(a), m->type, 100);
		spec_escape(b, sizeof(b), src, 160);
		rc = findings_add(f, "%s: mounts[%zu]: rejected: %s mount of \"%s\": %s", file, i, a,
				  b, r->why);
	}
	return rc;
}
