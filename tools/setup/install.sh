#!/usr/bin/env bash
# One-time set-up of a machine for this workspace: system packages the tests and the demo need
# (podman + runc to serve the Docker API without a Docker engine; bubblewrap, the sandbox component
# code runs in; git and a Rust toolchain are expected on the machine), then the npm packages
# exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
for cmd in podman runc; do command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd"); done
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v sha256sum >/dev/null 2>&1 || need+=(coreutils)
if ((${#need[@]})); then
  echo "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
for cmd in git cargo rustc docker; do
  command -v "$cmd" >/dev/null 2>&1 || echo "warning: $cmd is not on PATH; builds need it" >&2
done
npm ci --no-audit --no-fund
