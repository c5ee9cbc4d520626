package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"workbench/testutil"
)

// handMadeOnHost1 makes the lab (through the binary), then adds by hand with ip and
// iptables a bridge in host1 and a counting rule with a comment.
func handMadeOnHost1(t *testing.T) string {
	t.Helper()
	inst := testutil.NewLab(t)
	if out, code := testutil.Output(t, "host", "up"); code != 0 {
		t.Fatalf("host up: %d\n%s", code, out)
	}
	ns := inst.HostNetnsName("host1")
	for _, args := range [][]string{
		{"ip", "-n", ns, "link", "add", "byhand0", "type", "bridge"},
		{"ip", "-n", ns, "addr", "add", "10.99.0.1/24", "dev", "byhand0"},
		{"ip", "netns", "exec", ns, "iptables", "-w", "-t", "filter", "-A", "OUTPUT", "-p", "icmp", "-m", "comment", "--comment", "count pings", "-j", "ACCEPT"},
		{"ip", "netns", "exec", ns, "busybox", "ping", "-c", "2", "-W", "1", "198.51.100.100"},
	} {
		testutil.Exec(t, args...)
	}
	return ns
}

func TestTopologyAndIptablesCommands(t *testing.T) {
	handMadeOnHost1(t)

	out, code := testutil.Output(t, "topology", "--width", "80")
	if code != 0 {
		t.Fatalf("topology: %d\n%s", code, out)
	}
	for _, want := range []string{"■ lan", "■ host1", "■ outside", "byhand0  bridge  10.99.0.1/24  DOWN", "⇄ host1:eth0 198.51.100.1/24"} {
		if !strings.Contains(out, want) {
			t.Errorf("topology lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("topology to a pipe is coloured:\n%q", out)
	}
	out, _ = testutil.Output(t, "topology", "--host", "outside", "--json")
	var snap struct{ Namespaces []struct{ Name string } }
	if err := json.Unmarshal([]byte(out), &snap); err != nil || len(snap.Namespaces) != 1 || snap.Namespaces[0].Name != "outside" {
		t.Errorf("topology --host outside --json = %v, %s", err, out)
	}

	out, code = testutil.Output(t, "iptables", "-t", "filter", "--width", "120")
	if code != 0 {
		t.Fatalf("iptables: %d\n%s", code, out)
	}
	for _, want := range []string{"PREROUTING", "━━ table filter", "-p icmp -j ACCEPT /* count pings */"} {
		if !strings.Contains(out, want) {
			t.Errorf("iptables lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "table nat") {
		t.Errorf("iptables -t filter shows the nat table:\n%s", out)
	}
	out, code = testutil.Output(t, "iptables", "--rate", "100ms", "--width", "120")
	if code != 0 || !strings.Contains(out, "moved") {
		t.Errorf("iptables --rate: %d\n%s", code, out)
	}
	out, _ = testutil.Output(t, "iptables", "--json")
	if !strings.Contains(out, `"comment": "count pings"`) || !strings.Contains(out, `"name": "WB-POSTROUTING"`) {
		t.Errorf("iptables --json lacks the rule or the workbench's chain:\n%s", out)
	}
	if !pingRuleCounted(t, out) {
		t.Errorf("the ping rule counted nothing:\n%s", out)
	}
	out, _ = testutil.Output(t, "iptables", "--zero", "-t", "filter", "--json")
	if pingRuleCounted(t, out) {
		t.Errorf("after --zero the ping rule still counts:\n%s", out)
	}
	if out, _ := testutil.Output(t, "log"); !strings.Contains(out, "iptables -w -t filter -Z") {
		t.Errorf("the command log lacks the zeroing:\n%s", out)
	}
}

func pingRuleCounted(t *testing.T, out string) bool {
	t.Helper()
	var snap struct {
		Tables []struct {
			Name   string
			Chains []struct {
				Name  string
				Rules []struct {
					Comment string
					Packets uint64
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &snap); err != nil {
		t.Fatalf("iptables --json: %v\n%s", err, out)
	}
	for _, tb := range snap.Tables {
		for _, c := range tb.Chains {
			for _, r := range c.Rules {
				if r.Comment == "count pings" {
					return r.Packets >= 2
				}
			}
		}
	}
	t.Fatalf("no ping rule in\n%s", out)
	return false
}

func TestTopologyAndIptablesBadInput(t *testing.T) {
	testutil.RequireRoot(t)
	testutil.NewInstance(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"iptables"}, "the lab is not made yet"},
		{[]string{"iptables", "-t", "nats"}, `unknown iptables table "nats": use one of raw, mangle, nat, filter, security`},
		{[]string{"iptables", "--host", "Bad!"}, `host name "Bad!" is invalid`},
		{[]string{"iptables", "--rate", "2m"}, "--rate 2m0s is out of range"},
		{[]string{"iptables", "--host", "nope"}, `unknown host "nope"`},
		{[]string{"topology", "--host", "nope"}, `unknown host "nope"`},
		{[]string{"topology", "--highlight", "ghost"}, `no container "ghost"`},
	} {
		out, code := testutil.Output(t, c.args...)
		if code != 1 || !strings.Contains(out, c.want) || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: status %d, output %q; want one line with %q", c.args, code, out, c.want)
		}
	}
}
