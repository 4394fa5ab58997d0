# shellcheck shell=bash
# Sourced by the benchmark scripts (scripts/bench-boot, scripts/bench-relay) and by
# scripts/boot-report for its floor boot and its picture's title. Needs paths.sh's ROOT
# and O.

# The smallest of the numbers on stdin, one per line.
fastest() { sort -g | head -n 1; }

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ms from the exec of init (or of the agent) to the agent's start in a console log, from
# the probe's kmsg report (PROBE kmsg_exec_us= and kmsg_started_us=), or nothing.
span_ms() {
	tr -d '\r' <"$1" | awk -F= '
		/^PROBE kmsg_exec_us=/ { a = $2 } /^PROBE kmsg_started_us=/ { b = $2 }
		END { if (a != "" && b != "") printf "%.2f\n", (b - a) / 1000 }'
}

# The floor's image: the project's initrd with the test launcher and host, whose probe
# powers the VM off when it runs as PID 1 (no /proc to read probe.action= from).
# floor_image OUT [MKINITRD-ARGS...]
floor_image() {
	local dir
	dir=$(mktemp -d)
	echo poweroff >"$dir/action"
	"$ROOT/scripts/mkinitrd" -o "$1" --add "$dir/action:/etc/probe.action" \
		--add "$O/testinit:/bin/testinit" --add "$O/testhost:/bin/testhost" "${@:2}"
	local rc=$?
	rm -rf "$dir"
	return "$rc"
}

# The command line a user would give, for a picture's title: the words given (qemu-boot's:
# the kernel command line, -- and init's arguments) without the test launcher's (--host,
# testinit.*, testhost.*), on one line. user_cmdline WORD...
user_cmdline() {
	local w init=
	local -a out=()
	for w in "$@"; do
		if [ -z "$init" ]; then
			case $w in --host | testinit.* | testhost.*) continue ;; --) init=1 ;; esac
		fi
		out+=("$w")
	done
	printf '%s\n' "${out[*]}"
}
