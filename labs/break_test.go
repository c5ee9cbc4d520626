package labs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/script"
	"workbench/testutil"
)

// breakCase makes the kernel behave otherwise at one point of a lab and names the
// expectation that must catch it: the proof that the lab checks what it says.
type breakCase struct {
	// lab is the bundled lab.
	lab string
	// after is a part of the one step of the lab after which the break goes.
	after string
	// breaks is a script line that changes one thing in the kernel.
	breaks string
	// failsAt is a part of the one expectation that must be the only one to fail.
	failsAt string
}

// breakCases break one thing in every lab.
var breakCases = []breakCase{
	{lab: "000-bridge-by-hand",
		after:   "iptables -P FORWARD ACCEPT",
		breaks:  "host exec host2 iptables -t nat -D POSTROUTING -s 172.18.0.0/24 ! -o br0 -j MASQUERADE",
		failsAt: `busybox ping -c 1 -W 1 203.0.113.1' contains "1 packets received"`},
	{lab: "001-network-modes",
		after:   `exec mode-bridge ip route contains "default via 172.18.0.1"`,
		breaks:  `host exec host1 nsenter --net --target $(inspect -f "{{.State.Pid}}" mode-bridge) ip route del default`,
		failsAt: "expect ping mode-bridge 198.51.100.100"},
	{lab: "002-ports-pipework-tunnels",
		after:   "onlan) ip route add default via 198.51.100.100",
		breaks:  "host exec host3 ip link del veth-onlan",
		failsAt: "expect ping @outside 198.51.100.50"},
	{lab: "003-out-and-in",
		after:   `exec client ip route contains "default via 172.18.0.1 dev eth0"`,
		breaks:  "host exec host1 iptables -t nat -D WB-POSTROUTING 2",
		failsAt: `@host1:eth0 "icmp and src host 198.51.100.1" within 3s`},
	{lab: "004-cgroups-overlay",
		after:   "echo 50000 > cpu.cfs_quota_us",
		breaks:  `host exec host1 sh -c 'echo -1 > /sys/fs/cgroup/cpu$(dirname $1)/cputest/cpu.cfs_quota_us' sh $(inspect -f "{{.Cgroup.Path}}" busy)`,
		failsAt: "quota in force in [1-9][0-9]* periods"},
	{lab: "004-host-gw",
		after:   "run -d --name pod-b",
		breaks:  "host exec host2 sysctl -w net.ipv4.ip_forward=0",
		failsAt: "expect ping pod-a 10.10.2.10"},
	{lab: "004-host-gw",
		after:   `-s 10\.10\.0\.0\/16 -d 10\.10\.0\.0\/16 .*-j RETURN/"`,
		breaks:  "host exec host1 iptables -t nat -D WB-POSTROUTING -s 10.10.0.0/16 -d 10.10.0.0/16 -m comment --comment \"workbench flannel: traffic inside the cluster keeps its source\" -j RETURN",
		failsAt: "expect trace pod-a 10.10.2.10 return WB-POSTROUTING"},
	{lab: "004-iptables",
		after:   "iptables -P OUTPUT DROP",
		breaks:  "host exec host1 iptables -D OUTPUT -o eth0 -p tcp --sport 22 -m state --state ESTABLISHED -j ACCEPT",
		failsAt: "expect tcp @host2 198.51.100.1:22"},
	{lab: "004-kube-service",
		after:   `\[0:0\] -A TEST-POSTROUTING`,
		breaks:  "host exec host1 iptables -t nat -D PREROUTING -j TEST-SERVICE",
		failsAt: "http://198.51.100.1:30001/hello matches"},
	{lab: "004-mydocker",
		after:   "iptables -A FORWARD -o mydocker",
		breaks:  "host exec host1 ip route del 10.10.14.0/24 dev mydocker",
		failsAt: "busybox ping -c 1 -W 1 203.0.113.1\"' contains testmachine"},
	{lab: "004-namespaces",
		after:   "run -d --name ns-nonet",
		breaks:  `host exec host1 ip link add nsbreak type veth peer name eth0 netns $(inspect -f "{{.State.Pid}}" ns-nonet)`,
		failsAt: `exec ns-nonet ip -o link contains "1: lo:" lacks eth0`},
}

// TestLabsFailWhereBroken runs each lab up to the expectation of its break case, with
// the break in between, and checks that the lab fails there and only there, with the
// expectation's hint.
func TestLabsFailWhereBroken(t *testing.T) {
	testutil.RequireRoot(t)
	for _, c := range breakCases {
		t.Run(c.lab, func(t *testing.T) {
			src, fails := brokenLab(t, c)
			path := filepath.Join(t.TempDir(), c.lab+Ext)
			if err := os.WriteFile(path, src, 0o600); err != nil {
				t.Fatal(err)
			}
			testutil.NewLab(t)
			out, code := testutil.Output(t, "--script", path)
			if code != 1 {
				t.Fatalf("the broken lab should fail with exit status 1, got %d:\n%s", code, out)
			}
			failures := summaryFailures(out, path)
			if len(failures) != 2 || !strings.Contains(failures[0], ": "+fails.Source+": ") || failures[1] != "hint: "+fails.Hint {
				t.Fatalf("the lab should fail at line %d only, with its hint; its summary:\n%s\n\nthe whole run:\n%s", fails.Line, strings.Join(failures, "\n"), out)
			}
			t.Logf("%s fails at line %d, as it should: %s", c.lab, fails.Line, fails.Source)
		})
	}
}

// TestEveryLabIsBroken: every bundled lab has a break case.
func TestEveryLabIsBroken(t *testing.T) {
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		found := false
		for _, c := range breakCases {
			found = found || c.lab == l.Name
		}
		if !found {
			t.Errorf("lab %s has no break case: add one to breakCases", l.Name)
		}
	}
}

// brokenLab returns the lab's lines up to its break case's expectation and that
// expectation's hint lines, with the break after the case's step, and the expectation.
func brokenLab(t *testing.T, c breakCase) ([]byte, script.Step) {
	t.Helper()
	lab, err := Get(c.lab)
	if err != nil {
		t.Fatal(err)
	}
	s, err := lab.Script()
	if err != nil {
		t.Fatal(err)
	}
	after := stepWith(t, s, c.after, func(script.Step) bool { return true })
	fails := stepWith(t, s, c.failsAt, func(st script.Step) bool { return st.Kind == script.Expect })
	if fails.Hint == "" || after.Line >= fails.Line {
		t.Fatalf("%s: the break after line %d must come before the expectation on line %d, which needs a hint", c.lab, after.Line, fails.Line)
	}
	lines := strings.Split(string(lab.Source), "\n")
	end := fails.Line
	for end < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[end]), "hint ") {
		end++
	}
	out := append(append(append([]string{}, lines[:after.Line]...), c.breaks), lines[after.Line:end]...)
	return []byte(strings.Join(out, "\n") + "\n"), fails
}

// stepWith is the one step of s that is a kind and whose line holds part.
func stepWith(t *testing.T, s *script.Script, part string, kind func(script.Step) bool) script.Step {
	t.Helper()
	var found []script.Step
	for _, st := range s.Steps {
		if kind(st) && strings.Contains(st.Source, part) {
			found = append(found, st)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d steps hold %q: a break case needs a part of one step", s.Name, len(found), part)
	}
	return found[0]
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
