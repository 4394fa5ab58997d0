# shellcheck shell=bash
# fenced_run TRACE CMD...: runs a shipped binary on this machine with socket, mount,
# umount2 and reboot failing by injection, each attempt traced into TRACE (an empty TRACE
# means none was even tried). Exit status and output pass through. Sourced by the tests
# that run build/init as an ordinary process (tests/dryrun.sh, tests/host/cli.sh).
fenced_run() {
	local trace=$1
	shift
	timeout 20 strace -f -qq -o "$trace" -e trace=socket,reboot,mount,umount2 \
		-e inject=socket:error=EACCES -e inject=reboot:error=EPERM \
		-e inject=mount:error=EPERM -e inject=umount2:error=EPERM "$@"
}
