#!/usr/bin/env bash
# Installs the Debian packages the workbench and its tests use, when they are missing,
# and says what it installs. Needs root (apt-get); prints what to do otherwise.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have ip           || need+=(iproute2)
have iptables     || need+=(iptables)
have busybox      || need+=(busybox-static)
have tcpdump      || need+=(tcpdump)
have tmux         || need+=(tmux)
have conntrack    || need+=(conntrack)
have nsenter      || need+=(util-linux)
have top          || need+=(procps)
have gcc          || need+=(gcc libc6-dev)   # the race detector of `make test` links with cgo
if [ "${1:-}" = screenshots ]; then  # only `make screenshots` renders PNGs
  have aha           || need+=(aha)
  have wkhtmltoimage || need+=(wkhtmltopdf)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "workbench needs these Debian packages: ${need[*]}; install them as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
