package replay

import (
	"strings"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/testutil"
)

func entries(commands ...string) []cmdlog.Entry {
	out := make([]cmdlog.Entry, len(commands))
	for i, c := range commands {
		out[i] = cmdlog.Entry{Time: time.Unix(int64(i), 0), Command: c}
	}
	return out
}

// TestScript: the script starts with set -e, runs what changes the lab's network in
// order, leaves out what only reads, and folds the engine's own work into comments.
func TestScript(t *testing.T) {
	got := Script(entries(
		"ip netns add wb-lan",
		"ip -n wb-lan link add lan0 type bridge",
		"ip -n wb-lan addr show",
		"ip netns exec wb-host1 iptables -t nat -A POSTROUTING -j MASQUERADE -m comment --comment 'it'\\''s'",
		"ip netns exec wb-host1 iptables -S",
		"ip netns exec wb-host1 sysctl net.ipv4.ip_forward",
		"ip netns exec wb-host1 sysctl -w net.ipv4.ip_forward=1",
		"mkdir /sys/fs/cgroup/cpu/wb",
		"mount -t overlay overlay -o lowerdir=/a /x",
		"pivot_root . .",
		"touch /run/wb/containers/abc/netns",
		"unshare --net=/run/wb/containers/abc/netns true",
		"nsenter --net=/run/wb/containers/abc/netns ip addr add 172.18.0.2/16 dev eth0",
		"nsenter --target 42 --mount --uts --net sh",
		"for a in $(busybox --list-full); do ln -s /bin/busybox /x/$a; done",
	))
	want := `#!/bin/sh
# The lab networks made by a workbench session, oldest first: run it as root on a
# machine that does not have them. What only ` + "`workbench run`" + ` can make (a container's
# mounts, cgroups and process) is listed as comments.
set -e
ip netns add wb-lan
ip -n wb-lan link add lan0 type bridge
ip netns exec wb-host1 iptables -t nat -A POSTROUTING -j MASQUERADE -m comment --comment 'it'\''s'
ip netns exec wb-host1 sysctl -w net.ipv4.ip_forward=1
# made by workbench itself, not replayed (3 commands), from: mkdir /sys/fs/cgroup/cpu/wb
mkdir -p /run/wb/containers/abc && touch /run/wb/containers/abc/netns
unshare --net=/run/wb/containers/abc/netns true
nsenter --net=/run/wb/containers/abc/netns ip addr add 172.18.0.2/16 dev eth0
# made by workbench itself, not replayed (2 commands), from: nsenter --target 42 --mount --uts --net sh
`
	if got != want {
		t.Errorf("script:\n%s\nwant:\n%s", got, want)
	}
}

// FuzzScript: any recorded line gives a script that starts with set -e and has every
// line either a command recorded whole or a comment; nothing panics.
func FuzzScript(f *testing.F) {
	testutil.Seed(f, "ip netns add x", "ip -n x addr show", "nsenter --net=/x ip link", "touch /a/netns",
		"sh -c 'echo it'\\''s'", "echo $(id)", "'", "ip netns exec", "nsenter", "touch", "")
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n\r") {
			return // the log keeps one line per command
		}
		s := Script(entries(line))
		if !strings.Contains(s, "\nset -e\n") || !strings.HasPrefix(s, "#!/bin/sh\n") {
			t.Fatalf("script does not start with set -e:\n%s", s)
		}
		body := strings.SplitN(s, "set -e\n", 2)[1]
		for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") && !strings.HasSuffix(l, line) {
				t.Fatalf("line %q is neither the command %q nor a comment", l, line)
			}
		}
	})
}
