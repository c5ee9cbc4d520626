#!/usr/bin/env bash
# Runs the real app in tmux on a small demo lab of its own instance and writes a PNG of
# each pane into screenshots/: tmux captures the pane with its colours, aha turns the
# ANSI text into HTML, wkhtmltoimage renders that to PNG and scripts/palettepng makes it
# a palette PNG of 256 colours (a tenth of the size). Needs root (the lab is made of
# namespaces); `make screenshots` builds bin/workbench first.
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
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
palette=$XDG_RUNTIME_DIR/palettepng
"${GO:-go}" build -o "$palette" ./scripts/palettepng

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
  wkhtmltoimage -q --width 1380 --encoding utf-8 "$html" "$out/$1.png"
  "$palette" "$out/$1.png"
  rm -f "$html"
  echo "screenshots/$1.png"
}

# key KEYS...: each key on its own, so that esc and the next one are not read as alt+key.
key() { for k in "$@"; do t send-keys "$k"; sleep 0.3; done; }

mkdir -p "$out"
# The cgroups pane first: its chart fills while it is on screen, a sample a second,
# and spin, held at half a core, is throttled all along.
key 4 j; sleep 45; shoot 4-cgroups
traffic
key 1; sleep 2; shoot 1-containers
key 2; sleep 2; shoot 2-topology
key 3; sleep 1.2; traffic; sleep 1; shoot 3-iptables
# Capture on host1's uplink and web's eth0 (the 13th interface: host1 has eth0, three
# veths and wb0, the LAN three ports, outside two links, then client, spin and web).
t send-keys 5; sleep 1.5; t send-keys Space
for _ in $(seq 12); do t send-keys j; done
t send-keys Space s z; sleep 1; traffic; sleep 1.5; shoot 5-capture
key s z 8; sleep 1.5; shoot 6-command-log
key 1 ?; sleep 1; shoot 7-help
key Escape c; sleep 1; shoot 8-new-container
# A probe from outside to web's published port, stepped to the DNAT rule.
key Escape; sleep 1; t send-keys 6 p C-u; t send-keys -l host1:8080/tcp; t send-keys BTab C-u
t send-keys -l outside; t send-keys Enter; sleep 4
for _ in $(seq 13); do t send-keys l; done
sleep 1; shoot 9-trace
traffic; t send-keys 7; sleep 2; shoot 10-conntrack
key : ; t send-keys -l networks; key Enter; sleep 1.5; shoot 11-networks
key Escape q
