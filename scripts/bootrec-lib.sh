# shellcheck shell=bash
# Sourced by scripts/boot-report and scripts/boot-timeline: init's boot record read out of
# a console log, and the steps both show from it.
#
# bootrec_facts LOG: prints the record of the last boot in LOG (- : stdin) as KEY=VALUE lines (the
# record's own keys, docs/init.md), then what both scripts tell from it, on one clock
# (the kernel's, µs) and from one origin (the kernel's exec of /init):
#   kernel_us   the kernel's start to its exec of /init ("Run /init as init process")
#   exec_us     that exec to init's first step
#   init_us     that exec to init's exec of its command returning
#   wrapped     1 when that command is a vsockexec wrapper (argv[0] vsockexec), else 0
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
	if [ "$1" = - ]; then tr -d '\r'; else tr -d '\r' <"$1"; fi | LC_ALL=C awk '
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
		wrapped = argv0 ~ /(^|\/)vsockexec$/
		print "wrapped=" wrapped
		print "init_to=" (wrapped ? "vsockexec'"'"'s start, the agent'"'"'s wrapper" : "the agent'"'"'s start")
	}'
}

# bootrec_steps ORDER: from bootrec_facts' lines on stdin, the steps of the boot
# that scripts/boot-report lists and scripts/boot-timeline draws, one a line:
#   PID START END CPU LABEL
# START and END in µs from time 0 (the kernel's exec of /init), whole numbers; PID: 1,
# the child's pid, or v (the wrapper, vsockexec); CPU: the step's CPU µs, or - (none in
# the record); LABEL: the step's name, a child's with " (pid N)". The steps: exec (to
# init's first step), each phase of the record, spawn (init's last step to its exec of
# its command returning: init_us), and with a wrapper whose agent said when it began
# (program_us) vsockexec, from init_us to the agent's start: split at the in-guest
# host's accept of the log connection (connect_us) when that came between (not with -r:
# the relay starts the agent first and connects beside it) into "vsockexec: connect"
# and "vsockexec: exec". ORDER: record (the phases in the record's order, as the report
# lists them) or process (the phases of PID 1 first, then each child's by pid, each
# process's by start: the picture's rows).
bootrec_steps() {
	case $1 in record | process) ;; *) echo "bootrec_steps: ORDER: record or process" >&2; return 2 ;; esac
	LC_ALL=C awk -v order="$1" '
	function val(s) { sub(/^[^=]*=/, "", s); return s }
	function step(p, a, b, c, name) { print p, a, b, c, name }
	/^phase=/ { split(val($0), fld, " "); n++; name[n] = fld[1]; pid[n] = fld[2]; ps[n] = fld[3]; pe[n] = fld[4]; cpu[n] = fld[5]; next }
	/^exec_us=/ { ex = val($0) + 0; next }
	/^init_us=/ { total = val($0) + 0; next }
	/^agent_us=/ { agent = val($0) + 0; next }
	/^program_us=/ { program = val($0) + 0; has_program = 1; next }
	/^connect_us=/ { conn = val($0) + 0; has_conn = 1; next }
	/^wrapped=/ { wrapped = val($0) == "1"; next }
	END {
		last = 0
		for (i = 1; i <= n; i++) { ord[i] = i; if (pe[i] > last) last = pe[i] }
		if (order == "process")
			for (a = 2; a <= n; a++)
				for (b = a; b > 1 && before(ord[b], ord[b - 1]); b--) { t = ord[b]; ord[b] = ord[b - 1]; ord[b - 1] = t }
		step(1, 0, ex, "-", "exec")
		for (a = 1; a <= n; a++) {
			i = ord[a]
			step(pid[i], ex + ps[i], ex + pe[i], cpu[i], name[i] (pid[i] == 1 ? "" : " (pid " pid[i] ")"))
		}
		step(1, ex + last, total, "-", "spawn")
		if (wrapped && has_program && program > agent) {
			if (has_conn && conn > agent && conn < program) {
				step("v", total, ex + conn, "-", "vsockexec: connect")
				step("v", ex + conn, ex + program, "-", "vsockexec: exec")
			} else
				step("v", total, ex + program, "-", "vsockexec")
		}
	}
	# phase i before phase j: PID 1 first, then by pid, then by start
	function before(i, j) {
		if ((pid[i] == 1) != (pid[j] == 1)) return pid[i] == 1
		if (pid[i] != pid[j]) return pid[i] < pid[j]
		return ps[i] < ps[j]
	}'
}
