package labs

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"workbench/testutil"
)

// breakCase makes the kernel behave otherwise at one point of a lab and names the
// expectation that must catch it: the proof that the lab checks what it says.
type breakCase struct {
	// lab is the bundled lab.
	lab string
	// after is a line of the lab, as written; the break goes right after it.
	after string
	// breaks is a script line that changes one thing in the kernel.
	breaks string
	// failsAt is the expectation, as written, that must be the only one to fail.
	failsAt string
}

// breakCases break one thing in every lab.
var breakCases = []breakCase{
	{
		lab:     "000-bridge-by-hand",
		after:   "host exec host2 iptables -P FORWARD ACCEPT",
		breaks:  "host exec host2 iptables -t nat -D POSTROUTING -s 172.18.0.0/24 ! -o br0 -j MASQUERADE",
		failsAt: `expect output host exec host2 sh -c 'ip netns exec ${WORKBENCH_INSTANCE:-wb}-docker0 busybox ping -c 1 -W 1 203.0.113.1' contains "1 packets received"`,
	},
	{
		lab:     "001-network-modes",
		after:   `expect output exec mode-bridge ip route contains "default via 172.18.0.1"`,
		breaks:  `host exec host1 nsenter --net --target $(inspect -f "{{.Pid}}" mode-bridge) ip route del default`,
		failsAt: "expect ping mode-bridge 198.51.100.100",
	},
	{
		lab:     "003-out-and-in",
		after:   `expect output exec client ip route contains "default via 172.18.0.1 dev eth0"`,
		breaks:  "host exec host1 iptables -t nat -D WB-POSTROUTING 2",
		failsAt: `expect capture @host1:wb0 "icmp and src host 172.18.0.2" and @host1:eth0 "icmp and src host 198.51.100.1" within 3s while exec client ping -c 1 -W 1 203.0.113.1`,
	},
	{
		lab:     "002-ports-pipework-tunnels",
		after:   `host exec host3 nsenter --net --target $(inspect -f "{{.Pid}}" onlan) ip route add default via 198.51.100.100`,
		breaks:  "host exec host3 ip link del veth-onlan",
		failsAt: "expect ping @outside 198.51.100.50",
	},
	{
		lab:     "004-host-gw",
		after:   "run -d --name pod-b --host host2 --net flannel --ip 10.10.2.10 busybox sleep 3600",
		breaks:  "host exec host2 sysctl -w net.ipv4.ip_forward=0",
		failsAt: "expect ping pod-a 10.10.2.10",
	},
	{
		lab:     "004-iptables",
		after:   "host exec host1 iptables -P OUTPUT DROP",
		breaks:  "host exec host1 iptables -D OUTPUT -o eth0 -p tcp --sport 22 -m state --state ESTABLISHED -j ACCEPT",
		failsAt: "expect tcp @host2 198.51.100.1:22",
	},
	{
		lab:     "004-kube-service",
		after:   `expect output host exec host1 iptables-save -c -t nat matches "/\[0:0\] -A TEST-POSTROUTING -m mark --mark 0x1\/0x1 -j MASQUERADE/"`,
		breaks:  "host exec host1 iptables -t nat -D PREROUTING -j TEST-SERVICE",
		failsAt: `expect output host exec outside busybox wget -qO- http://198.51.100.1:30001/hello matches "/pod[12]/"`,
	},
	{
		lab:     "004-cgroups-overlay",
		after:   `host exec host1 sh -c 'set -e; cd /sys/fs/cgroup/cpu$(dirname $1)/cputest; echo 100000 > cpu.cfs_period_us; echo 50000 > cpu.cfs_quota_us; echo $$ >> cgroup.procs; sh -c "while :; do :; done" </dev/null >/dev/null 2>&1 &' sh $(inspect -f "{{.Cgroup.Path}}" busy)`,
		breaks:  `host exec host1 sh -c 'echo -1 > /sys/fs/cgroup/cpu$(dirname $1)/cputest/cpu.cfs_quota_us' sh $(inspect -f "{{.Cgroup.Path}}" busy)`,
		failsAt: `expect output host exec host1 sh -c 'cd /sys/fs/cgroup/cpu$(dirname $1)/cputest; p0=$(sed -n "s/^nr_periods //p" cpu.stat); t0=$(sed -n "s/^nr_throttled //p" cpu.stat); top -b -n 2 -d 1 -p $(cat cgroup.procs) | tail -1; p1=$(sed -n "s/^nr_periods //p" cpu.stat); t1=$(sed -n "s/^nr_throttled //p" cpu.stat); echo "quota in force in $((p1 - p0)) periods, throttled in $((t1 - t0))"' sh $(inspect -f "{{.Cgroup.Path}}" busy) matches "/ [RS] +([0-9]|[1-4][0-9]|5[0-5])\.[0-9] +[0-9.]+ +[0-9:.]+ sh$/m" matches "/quota in force in [1-9][0-9]* periods/"`,
	},
	{
		lab:     "004-namespaces",
		after:   "run -d --name ns-nonet --net none busybox sleep 3600",
		breaks:  `host exec host1 ip link add nsbreak type veth peer name eth0 netns $(inspect -f "{{.Pid}}" ns-nonet)`,
		failsAt: `expect output exec ns-nonet ip -o link contains "1: lo:" lacks eth0`,
	},
}

// TestLabsFailWhereBroken runs each lab up to the expectation of its break case, with
// the break in between, and checks that the lab fails there and only there, with the
// expectation's hint.
func TestLabsFailWhereBroken(t *testing.T) {
	testutil.RequireRoot(t)
	bin := testutil.Binary(t)
	for _, c := range breakCases {
		t.Run(c.lab, func(t *testing.T) {
			src, hint, line := brokenLab(t, c)
			path := filepath.Join(t.TempDir(), c.lab+Ext)
			if err := os.WriteFile(path, src, 0o600); err != nil {
				t.Fatal(err)
			}
			testutil.KeepMachineNetwork(t)
			testutil.NewInstance(t)
			t.Cleanup(func() {
				if out, err := exec.Command(bin, "reset").CombinedOutput(); err != nil {
					t.Errorf("reset after %s: %v: %s", c.lab, err, out)
				}
			})
			out, err := exec.Command(bin, "--script", path).CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("the broken lab should fail with exit status 1, got %v:\n%s", err, out)
			}
			failures := summaryFailures(string(out), path)
			if len(failures) != 2 || !strings.Contains(failures[0], ": "+c.failsAt+": ") || failures[1] != "hint: "+hint {
				t.Fatalf("the lab should fail at %q only, with its hint; its summary:\n%s\n\nthe whole run:\n%s", c.failsAt, strings.Join(failures, "\n"), out)
			}
			t.Logf("%s fails at line %d, as it should", c.lab, line)
		})
	}
}

// brokenLab returns the lab's lines up to its break case's expectation and its hint,
// with the break after the case's line, the hint that expectation carries and its line
// in the lab.
func brokenLab(t *testing.T, c breakCase) ([]byte, string, int) {
	t.Helper()
	lab, err := Get(c.lab)
	if err != nil {
		t.Fatal(err)
	}
	s, err := lab.Script()
	if err != nil {
		t.Fatal(err)
	}
	var hint string
	for _, st := range s.Steps {
		if st.Source == c.failsAt {
			hint = st.Hint
		}
	}
	if hint == "" {
		t.Fatalf("%s has no expectation %q with a hint", c.lab, c.failsAt)
	}
	lines := strings.Split(string(lab.Source), "\n")
	after, fails := lineOf(t, lines, c.after), lineOf(t, lines, c.failsAt)
	if after >= fails {
		t.Fatalf("%s: the break goes after line %d, past the expectation on line %d", c.lab, after+1, fails+1)
	}
	end := fails + 1
	for end < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[end]), "hint ") {
		end++
	}
	out := append(append(append([]string{}, lines[:after+1]...), c.breaks), lines[after+1:end]...)
	return []byte(strings.Join(out, "\n") + "\n"), hint, fails + 1
}

// lineOf is the index of the one line that reads text.
func lineOf(t *testing.T, lines []string, text string) int {
	t.Helper()
	at := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == text {
			if at >= 0 {
				t.Fatalf("%q is on lines %d and %d: a break case needs a line that is there once", text, at+1, i+1)
			}
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no line reads %q", text)
	}
	return at
}

// summaryFailures returns the lines of a run's summary that name a failure, with the
// hint lines under them, without their indentation.
func summaryFailures(out, name string) []string {
	var lines []string
	inSummary := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, name+": ") && strings.Contains(l, " expectations, "):
			inSummary = true
		case inSummary && (strings.HasPrefix(l, "  "+name+":") || strings.HasPrefix(l, "    hint: ") || strings.HasPrefix(l, "  stopped at")):
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}
