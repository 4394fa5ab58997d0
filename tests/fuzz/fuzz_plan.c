/* libFuzzer target for the tokenizer and the planner. The input is split at the
 * first NUL: the kernel command line before it, init's arguments (NUL-separated)
 * after it. Checks invariants that must hold for every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One value per line: every line is a known key, no control byte but the line ends,
 * and as many argv= and error= lines as the plan has. */
static void check_lines(const char *out, const struct plan *p)
{
	static const char *const keys[] = { "mode=", "entropy_port=", "entropy_timeout_ms=",
					    "log_port=", "cgroup=", "overlay=", "bootrec=",
					    "debug_shell=", "argv=", "error=" };
	size_t nargv = 0, nerr = 0, k;

	while (*out) {
		const char *end = strchr(out, '\n');

		if (!end)
			abort();
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(out, keys[k], strlen(keys[k])))
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			abort();
		nargv += k == 8;
		nerr += k == 9;
		for (; out < end; out++)
			if ((unsigned char)*out < 0x20 || *out == 0x7f)
				abort();
		out++;
	}
	if (nargv != p->argc || nerr != p->nerrors)
		abort();
}

static void check(const struct plan *p)
{
	size_t i, need;
	char *out;

	if (p->argc == 0 || p->argv[p->argc] != NULL)
		abort();
	for (i = 0; i < p->nerrors; i++)
		if (!p->errors[i])
			abort();
	for (i = 0; i < p->argc; i++)
		if (!p->argv[i])
			abort();
	if (p->mode == MODE_DIRECT && p->overlay)
		abort();
	if (p->log_port == 0 || p->log_port == UINT32_MAX)
		abort();
	need = plan_format(p, (char[1]){ 0 }, 1) + 1;
	out = malloc(need);
	if (!out)
		abort();
	if (plan_format(p, out, need) != need - 1 || strlen(out) != need - 1)
		abort();
	check_lines(out, p);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t cmd_len = nul ? (size_t)(nul - data) : size;
	char *args_buf, *argv[MAX_ARGS + 1];
	static char mem[4096] __attribute__((aligned(16)));
	struct plan p;
	struct plan_input in = { .cmdline = text, .cmdline_len = cmd_len };
	size_t off;
	int argc = 0;

	/* init's arguments: NUL-terminated strings after the first NUL */
	args_buf = malloc(size - cmd_len + 1);
	if (!args_buf)
		return 0;
	if (size > cmd_len)
		memcpy(args_buf, data + cmd_len + 1, size - cmd_len - 1);
	args_buf[size > cmd_len ? size - cmd_len - 1 : 0] = '\0';
	for (off = 0; nul && off < size - cmd_len - 1 && argc < MAX_ARGS;) {
		argv[argc++] = args_buf + off;
		off += strlen(args_buf + off) + 1;
	}
	argv[argc] = NULL;
	in.argc = argc;
	in.argv = argv;
	in.args_from_cmdline = argc == 0 && (size & 1);
	/* the plan's memory: the heap, or a caller's storage of a size the input picks
	 * (the arena's own storage, then the heap when it runs out) */
	if (size & 2) {
		in.mem = mem;
		in.mem_size = size % sizeof(mem);
	}
	if (plan_build(&p, &in) == 0) {
		check(&p);
		plan_free(&p);
	}
	free(args_buf);
	return 0;
}
