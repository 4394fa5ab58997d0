#include "cmdline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bare words the Debian 6.1 kernel takes for itself (its early_param and __setup
 * options without a value), each seen consumed by booting the test kernel with it:
 * it was not in init's argv. Sorted; '-' and '_' are the same to the kernel. */
static const char *const bare_options[] = {
	"acpi", "apic", "debug", "earlyprintk", "gbpages", "hardlockup_all_cpu_backtrace",
	"idle", "ignore_loglevel", "init_on_free", "iommu", "irqfixup", "irqpoll",
	"keep_bootcon", "kexec", "lapic", "memtest", "movable_node", "no_console_suspend",
	"no_hash_pointers", "no_kvmapf", "no_kvmclock", "no_steal_acc", "no_timer_check",
	"noapic", "noapictimer", "noautogroup", "noefi", "nofsgsbase", "nogbpages",
	"nohibernate", "nohpet", "nohugeiomap", "nohugevmalloc", "noinitrd", "nointremap",
	"noinvpcid", "noirqdebug", "nolapic", "nolapic_timer", "nomce", "nomodeset",
	"nomodule", "nopat", "nopcid", "nopku", "nopv", "nopvspin", "norandmaps",
	"noreplace_smp", "noresume", "nosgx", "nosmp", "nosmt", "nosoftlockup",
	"nospectre_v1", "notsc", "nowatchdog", "nox2apic", "quiet", "ro", "rootwait", "rw",
	"sysrq_always_enabled", "threadirqs", "x2apic_phys",
};

/* The kernel's own parameters without a dot (core_param): checked before anything
 * else, and a value they refuse makes the kernel drop init's arguments after "--". */
enum ktype { KT_BOOL, KT_INT, KT_ULONG };
static const struct {
	const char *name;
	enum ktype type;
} core_params[] = {
	{ "crash_kexec_post_notifiers", KT_BOOL },
	{ "ignore_rlimit_data", KT_BOOL },
	{ "initcall_debug", KT_BOOL },
	{ "panic", KT_INT },
	{ "panic_on_warn", KT_INT },
	{ "panic_print", KT_ULONG },
	{ "pause_on_oops", KT_INT },
};

bool kcmd_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

bool kcmd_next(char **cursor, struct kparam *out, bool *unterminated)
{
	char *args = *cursor, *next;
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	while (kcmd_isspace(*args))
		args++;
	if (!*args)
		return false;
	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (kcmd_isspace(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	if (in_quote)
		*unterminated = true;
	out->name = args;
	out->value = NULL;
	if (equals) {
		args[equals] = '\0';
		out->value = args + equals + 1;
		if (*out->value == '"') {
			out->value++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	next = args + i;
	if (*next) {
		*next = '\0';
		next++;
	}
	*cursor = next;
	return true;
}

/* By position, as the kernel does: the value starts one byte after the name's end,
 * or two when a quote was removed. What the bytes between hold does not matter. */
char *kcmd_word(const struct kparam *kp)
{
	char *v = kp->value;
	size_t n = strlen(kp->name);

	if (!v)
		return kp->name;
	if (v == kp->name + n + 1) {
		v[-1] = '=';
	} else {
		v[-2] = '=';
		memmove(v - 1, v, strlen(v) + 1);
	}
	return kp->name;
}

/* parameq: '-' and '_' are the same in a kernel parameter's name. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

static int cmp_option(const void *key, const void *elem)
{
	const char *k = key, *e = *(const char *const *)elem;

	for (; *k && *e; k++, e++) {
		char x = *k == '-' ? '_' : *k;

		if (x != *e)
			return (unsigned char)x - (unsigned char)*e;
	}
	return (unsigned char)*k - (unsigned char)*e;
}

/* kstrtobool: y Y t T 1 n N f F 0 as the first byte, or o/O then n N f F. */
static bool kernel_bool_ok(const char *s)
{
	if (s[0] && strchr("yYtT1nNfF0", s[0]))
		return true;
	return (s[0] == 'o' || s[0] == 'O') && s[1] && strchr("nNfF", s[1]);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* kstrtoint / kstrtoul with base 0: an optional sign ('-' only for int), "0x" for
 * hex, a leading 0 for octal, at least one digit, one trailing newline allowed. */
static bool kernel_number_ok(const char *s, enum ktype type)
{
	unsigned long long v = 0, limit = type == KT_INT ? 0x7fffffffull : ~0ull;
	unsigned base = 10;
	size_t n = 0;

	if (type == KT_INT && *s == '-') {
		limit = 0x80000000ull;
		s++;
	} else if (*s == '+') {
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; digit_value(*s) < (int)base; s++, n++) {
		unsigned d = (unsigned)digit_value(*s);

		if (v > (~0ull - d) / base)
			return false;
		v = v * base + d;
	}
	if (*s == '\n')
		s++;
	return n > 0 && *s == '\0' && v <= limit;
}

enum kcmd_fate kcmd_fate(const struct kparam *kp)
{
	size_t i;

	for (i = 0; i < sizeof(core_params) / sizeof(core_params[0]); i++) {
		if (!name_eq(kp->name, core_params[i].name))
			continue;
		if (core_params[i].type == KT_BOOL)
			return !kp->value || kernel_bool_ok(kp->value) ? KCMD_CONSUMED
								       : KCMD_REJECTED;
		return kp->value && kernel_number_ok(kp->value, core_params[i].type)
			       ? KCMD_CONSUMED
			       : KCMD_REJECTED;
	}
	if (kp->value)
		return !strcmp(kp->name, "init") || !strcmp(kp->name, "rdinit") ? KCMD_INIT_PATH
			: strchr(kp->name, '.')				     ? KCMD_IGNORED
									     : KCMD_ENV;
	if (bsearch(kp->name, bare_options, sizeof(bare_options) / sizeof(bare_options[0]),
		    sizeof(bare_options[0]), cmp_option))
		return KCMD_CONSUMED;
	return strchr(kp->name, '.') ? KCMD_IGNORED : KCMD_ARG;
}

int kcmd_get(const char *text, const char *name, char *out, size_t size)
{
	char *copy = strdup(text), *cur = copy;
	struct kparam kp;
	bool unterminated = false;
	int found = 0;

	if (!copy)
		return -ENOMEM;
	while (kcmd_next(&cur, &kp, &unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--"))
			break;
		if (strcmp(kp.name, name))
			continue;
		snprintf(out, size, "%s", kp.value ? kp.value : "");
		found = 1;
	}
	free(copy);
	return found;
}
