# shellcheck shell=bash
# Sourced first by the scripts in scripts/, so each works from any directory:
# ROOT is the checkout (found from the script's own location), O the build directory,
# relative to ROOT unless absolute (default build).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$ROOT/$O ;; esac
