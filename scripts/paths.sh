# shellcheck shell=bash
# Sourced first by the scripts in scripts/, so each works from any directory:
# ROOT is the checkout (found from the script's own location), O the build directory,
# relative to ROOT unless absolute (default build; build/arm64 when ARCH is arm64).
# CACHE is the dependency cache, outside the checkout: $UVMINIT_CACHE, by default
# $XDG_CACHE_HOME/uvminit or ~/.cache/uvminit; defined here only (the Makefile reads it
# from here too).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${ARCH:-} in arm64 | aarch64) O=${O:-build/arm64} ;; *) O=${O:-build} ;; esac
case $O in /*) ;; *) O=$ROOT/$O ;; esac
# shellcheck disable=SC2034 # the sourcing scripts read it
CACHE=${UVMINIT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/uvminit}
