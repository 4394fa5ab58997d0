#include "cmdline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool kcmd_next(char **cursor, struct kparam *out, bool *unterminated)
{
	char *args = *cursor, *next;
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	while (is_space(*args))
		args++;
	if (!*args)
		return false;
	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (is_space(args[i]) && !in_quote)
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
