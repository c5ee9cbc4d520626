#!/usr/bin/env bash
# Runs the real app in tmux on a small demo lab of its own instance and writes a PNG of
# each pane into screenshots/: tmux captures the pane with its colours, aha turns the
# ANSI text into HTML and wkhtmltoimage renders that to PNG. Needs root (the lab is made
# of namespaces) and builds nothing: `make screenshots` builds bin/workbench first.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/bin/workbench
out=$PWD/screenshots
export WORKBENCH_INSTANCE=shots
socket=wb-shots
cols=160 rows=48
XDG_RUNTIME_DIR=$(mktemp -d)  # wkhtmltoimage wants one
export XDG_RUNTIME_DIR

for tool in tmux aha wkhtmltoimage; do
  command -v "$tool" >/dev/null || { echo "screenshots need $tool: run scripts/deps.sh screenshots as root" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "no $bin: run make build first" >&2; exit 1; }

t() { tmux -L "$socket" "$@"; }
wb() { "$bin" "$@" >/dev/null; }
cleanup() { t kill-server 2>/dev/null || true; "$bin" reset >/dev/null 2>&1 || true; rm -rf "$XDG_RUNTIME_DIR"; }
trap cleanup EXIT
cleanup

# The demo lab: a web server with a published port, a busy loop held at half a core,
# and a client; outside fetches from the web server so the counters move.
wb host up
wb run -d --name web -p 8080:80 busybox httpd -f -p 80
wb run -d --name spin --cpus 0.5 --memory 64m busybox sh -c 'while :; do :; done'
wb run -d --name client busybox sh -c 'while :; do wget -q -O /dev/null http://web/ 2>/dev/null; sleep 1; done'
traffic() { for _ in 1 2 3; do "$bin" host exec outside wget -q -T 1 -O /dev/null http://198.51.100.1:8080/ >/dev/null 2>&1 || true; done; }

t new-session -d -x "$cols" -y "$rows" "$bin; sleep 30"
sleep 3

# shoot NAME: the screen as it is now, as screenshots/NAME.png.
shoot() {
  local html
  html=$(mktemp --suffix=.html)
  {
    echo '<html><head><meta charset="utf-8"><style>'
    echo 'body{margin:0;background:#1c1c1c}'
    echo 'pre{margin:8px;font-family:"DejaVu Sans Mono",monospace;font-size:14px;line-height:1.15;color:#d0d0d0}'
    echo '</style></head><body><pre>'
    t capture-pane -e -p | aha --black --no-header
    echo '</pre></body></html>'
  } >"$html"
  # --quality 0 is PNG's strongest (lossless) compression: a tenth of the default's size.
  wkhtmltoimage -q --quality 0 --width 1380 --encoding utf-8 "$html" "$out/$1.png"
  rm -f "$html"
  echo "screenshots/$1.png"
}

mkdir -p "$out"
traffic
t send-keys 1; sleep 2; shoot 1-containers
t send-keys 2; sleep 2; shoot 2-topology
t send-keys 3; sleep 1.2; traffic; sleep 1; shoot 3-iptables
t send-keys 4 j; sleep 5; shoot 4-cgroups
# Capture on host1's uplink and web's eth0 (the 13th interface: host1 has eth0, three
# veths and wb0, the LAN three ports, outside two links, then client, spin and web).
t send-keys 5; sleep 1.5; t send-keys Space
for _ in $(seq 12); do t send-keys j; done
t send-keys Space s z; sleep 1; traffic; sleep 1.5; shoot 5-capture
t send-keys s z 8; sleep 1.5; shoot 6-command-log
t send-keys 1 ?; sleep 1; shoot 7-help
t send-keys Escape c; sleep 1; shoot 8-new-container
# A probe from outside to web's published port, stepped to the DNAT rule.
t send-keys Escape; sleep 1; t send-keys 6 p C-u; t send-keys -l host1:8080/tcp; t send-keys BTab C-u
t send-keys -l outside; t send-keys Enter; sleep 4
for _ in $(seq 13); do t send-keys l; done
sleep 1; shoot 9-trace
traffic; t send-keys 7; sleep 2; shoot 10-conntrack
t send-keys q
