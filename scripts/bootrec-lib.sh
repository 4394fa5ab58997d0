# shellcheck shell=bash
# Sourced by scripts/boot-report and scripts/boot-timeline: init's boot record read out of
# a console log.
#
# bootrec_facts LOG: prints the record of the last boot in LOG as KEY=VALUE lines (the
# record's own keys, docs/init.md), then what both scripts tell from it, on one clock
# (the kernel's, µs) and from one origin (the kernel's exec of /init):
#   kernel_us   the kernel's start to its exec of /init ("Run /init as init process")
#   exec_us     that exec to init's first step
#   init_us     that exec to init's exec of its command returning
#   init_to     what that command is: "the agent's start", or with a vsockexec wrapper
#               "vsockexec's start, the agent's wrapper"
#   source      console (uvminit.bootrec=console) or probe (the demo probe's lines)
#   program_us  when both are in LOG: the demo probe's first step, µs from init's first
#               step (in wrapped and verbatim mode with a wrapper, after vsockexec's
#               connect and its exec of the agent)
#   connect_us  when the in-guest host says when the first log connection came (its
#               "HOST conn port=P n=1 mono_us=T" line): that, µs from init's first step
# Exit 1 with one line on stderr when LOG has no whole record. The record comes from
# init's "uvminit: bootrec: " lines (anywhere on a line: after the kernel's timestamp,
# or the in-guest host's "HOST log: "), between the last "begin" and its "end lines=N";
# else from the demo probe's PROBE lines (bench-boot's boots, which leave the parameter
# off so as to measure the default boot).
bootrec_facts() {
	tr -d '\r' <"$1" | LC_ALL=C awk '
	function kv(s) { k = s; sub(/=.*/, "", k); v = substr(s, length(k) + 2) }
	/uvminit: bootrec: / {
		s = substr($0, index($0, "uvminit: bootrec: ") + 18)
		if (s == "begin") { n = 0; ended = 0; open = 1; next }
		if (!open) next
		if (s ~ /^end lines=[0-9]+$/) { want = substr(s, 11) + 0; ended = 1; open = 0; next }
		if (s !~ /^[a-z_0-9]+=/) next
		line[++n] = s
		next
	}
	/HOST conn port=[0-9]+ n=1 mono_us=[0-9]+/ {
		if (conn == "") { conn = $0; sub(/.*mono_us=/, "", conn); sub(/[^0-9].*/, "", conn) }
	}
	/PROBE / {
		s = substr($0, index($0, "PROBE ") + 6)
		if (s ~ /^boot\.[a-z_0-9]+=/) { p[++np] = substr(s, 6); next }
		if (s ~ /^(kmsg_exec_us|kmsg_started_us|mono_start_us|cmdline)=/) { kv(s); probe[k] = v }
	}
	END {
		if (ended && n == want) {
			for (i = 1; i <= n; i++) { out[++no] = line[i]; kv(line[i]); f[k] = v; if (k == "argv" && argv0 == "") argv0 = v }
			src = "console"
		} else if (np && ("kmsg_started_us" in probe) && ("mono_start_us" in probe)) {
			for (i = 1; i <= np; i++) { out[++no] = p[i]; kv(p[i]); f[k] = v; if (k == "argv" && argv0 == "") argv0 = v }
			src = "probe"
			f["agent_us"] = probe["mono_start_us"] - f["t0_mono_us"]
			f["kmsg_mono_us"] = probe["kmsg_started_us"] - probe["mono_start_us"]
			if ("kmsg_exec_us" in probe) f["kmsg_exec_us"] = probe["kmsg_exec_us"]
			out[++no] = "agent_us=" f["agent_us"]
			if ("cmdline" in probe) out[++no] = "cmdline=" probe["cmdline"]
			if (match(probe["cmdline"], /nr_cpus=[0-9]+/)) out[++no] = "cpus=" substr(probe["cmdline"], RSTART + 8, RLENGTH - 8)
		} else {
			if (ended) print "the boot record on the console is cut short (" n " of " want " lines)" > "/dev/stderr"
			else if (open) print "the boot record on the console has no end line (cut short?)" > "/dev/stderr"
			else print "no boot record in the log (boot with uvminit.bootrec=console)" > "/dev/stderr"
			exit 1
		}
		if (!("kmsg_exec_us" in f) || !("kmsg_mono_us" in f) || !("t0_mono_us" in f) || !("agent_us" in f)) {
			print "the boot record lacks the kernel times (kmsg_exec_us, kmsg_mono_us)" > "/dev/stderr"
			exit 1
		}
		if (src == "console" && ("kmsg_started_us" in probe))
			out[++no] = "program_us=" probe["kmsg_started_us"] - f["kmsg_mono_us"] - f["t0_mono_us"]
		if (conn != "") out[++no] = "connect_us=" conn - f["t0_mono_us"]
		for (i = 1; i <= no; i++) print out[i]
		exec = f["t0_mono_us"] + f["kmsg_mono_us"] - f["kmsg_exec_us"]
		if (exec < 0) exec = 0
		print "source=" src
		print "kernel_us=" f["kmsg_exec_us"]
		print "exec_us=" exec
		print "init_us=" exec + f["agent_us"]
		print "init_to=" (argv0 ~ /(^|\/)vsockexec$/ ? "vsockexec'"'"'s start, the agent'"'"'s wrapper" : "the agent'"'"'s start")
	}'
}
