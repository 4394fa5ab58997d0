/* libFuzzer: uvmctl's spec reader, policy and plan. The input is one JSON document, read
 * as a pod (migratable decided by its annotation, and forced), as a container, then
 * planned (normal, the migratable relay shape, --logs off). Any crash, leak or sanitizer report is a bug; so is an error text that is not
 * one line, or a planned command line that init's planner would not read back. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "spec.h"
#include "uvmplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_line(const char *s)
{
	if (strchr(s, '\n') || strchr(s, '\r'))
		abort();
}

static void plan(const struct spec *s, bool migratable, bool console, enum uvmplan_logs logs)
{
	struct uvmplan_opts o = { .migratable = migratable, .scrub_logs = -1, .console = console,
				  .logs = logs };
	char err[UVMPLAN_ERR_LEN] = "";
	struct uvmplan p;
	int rc = uvmplan_build(s, &o, &p, err, sizeof(err));

	if (rc == 0) {
		if (strlen(p.cmdline) > UVMPLAN_CMDLINE_MAX || strchr(p.cmdline, '\n'))
			abort();
		uvmplan_free(&p);
	} else {
		one_line(err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SPEC_ERR_LEN] = "";
	struct findings f = { 0 };
	struct spec s;
	bool migratable;
	size_t i;

	if (spec_parse(&s, "fuzz.json", (const char *)data, size, err, sizeof(err))) {
		one_line(err);
		return 0;
	}
	if (policy_pod_migratable(&s, &migratable, err, sizeof(err)))
		one_line(err);
	policy_check_pod(&s, &f);
	policy_check_container(&s, &f);
	for (i = 0; i < f.n; i++)
		one_line(f.line[i]);
	findings_free(&f);
	plan(&s, false, false, UVMPLAN_LOGS_DEFAULT);
	plan(&s, true, true, UVMPLAN_LOGS_DEFAULT);
	plan(&s, true, false, UVMPLAN_LOGS_OFF);
	spec_free(&s);
	return 0;
}
