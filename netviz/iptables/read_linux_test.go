package iptables

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/testutil"
)

// labNetns makes a network namespace of the test's own with lo up and returns its path.
func labNetns(t *testing.T) (name, path string) {
	t.Helper()
	inst := testutil.KernelTest(t)
	name = inst.HostNetnsName("ipt")
	path = testutil.Netns(t, name)
	testutil.Exec(t, "ip", "-n", name, "link", "set", "lo", "up")
	return name, path
}

func TestReadDiffZeroInNetns(t *testing.T) {
	name, path := labNetns(t)
	ipt := func(args ...string) {
		testutil.Exec(t, append([]string{"ip", "netns", "exec", name, "iptables", "-w"}, args...)...)
	}
	ipt("-N", "WB-TEST")
	ipt("-A", "WB-TEST", "-p", "icmp", "-m", "comment", "--comment", "wb: count pings", "-j", "RETURN")
	ipt("-A", "OUTPUT", "-j", "WB-TEST")
	ipt("-t", "nat", "-A", "POSTROUTING", "-s", "172.18.0.0/24", "!", "-o", "br0", "-j", "MASQUERADE")

	// Odd rules of the articles: a random split, a rate-limited LOG with a quoted
	// prefix, a MARK, a NodePort-style match.
	ipt("-N", "Test-SVC")
	ipt("-A", "Test-SVC", "-m", "statistic", "--mode", "random", "--probability", "0.5", "-j", "RETURN")
	ipt("-A", "Test-SVC", "-p", "tcp", "-m", "limit", "--limit", "3/min", "-j", "LOG", "--log-prefix", "svc hit: ")
	ipt("-t", "mangle", "-A", "OUTPUT", "-j", "MARK", "--set-mark", "0x4000/0x4000")
	ipt("-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-p", "tcp", "--dport", "30001", "-j", "DNAT", "--to-destination", "10.0.0.2:88")

	ctx := context.Background()
	before, err := Read(ctx, path, "lab")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	testutil.Exec(t, "ip", "netns", "exec", name, "busybox", "ping", "-c", "3", "-i", "0.01", "-W", "1", "127.0.0.1")
	after, err := Read(ctx, path, "lab")
	if err != nil {
		t.Fatal(err)
	}
	filter, ok := after.Table("filter")
	if !ok {
		t.Fatalf("no filter table in %+v", after)
	}
	var rule Rule
	var chain Chain
	for _, c := range filter.Chains {
		if c.Name == "WB-TEST" {
			chain, rule = c, c.Rules[0]
		}
	}
	if !chain.Ours || !rule.Ours || rule.Comment != "wb: count pings" || rule.Packets < 6 {
		t.Errorf("WB-TEST after 3 pings on lo (6 ICMP packets out): %+v", chain)
	}
	svc := findChain(t, after, "filter", "Test-SVC")
	if len(svc.Rules) != 2 || svc.Rules[1].Target != "LOG" || !strings.Contains(svc.Rules[1].Spec, `--log-prefix "svc hit: "`) || svc.Ours {
		t.Errorf("Test-SVC = %+v", svc)
	}
	if out := findChain(t, after, "mangle", "OUTPUT"); len(out.Rules) != 1 || out.Rules[0].Target != "MARK" {
		t.Errorf("mangle OUTPUT = %+v", out)
	}
	if pre := findChain(t, after, "nat", "PREROUTING"); len(pre.Rules) != 1 || pre.Rules[0].Target != "DNAT" || !strings.Contains(pre.Rules[0].Spec, "--dport 30001") {
		t.Errorf("nat PREROUTING = %+v", pre)
	}
	d := Diff(before, after)
	k := Key{Table: "filter", Chain: "WB-TEST", Spec: rule.Spec}
	if x := d.Rules[k]; x.Packets < 6 || x.Rate <= 0 {
		t.Errorf("delta of the ping rule = %+v, want >= 6 packets and a rate", x)
	}
	text := Render(after, Options{Width: 80, Prev: &before, Hooks: true})
	if !strings.Contains(text, "◆ WB-TEST") || !strings.Contains(text, "/* wb: count pings */") || !strings.Contains(text, "MASQUERADE") {
		t.Errorf("render lacks the chain, comment or nat rule:\n%s", text)
	}

	logPath := t.TempDir() + "/commands.log"
	if err := Zero(ctx, path, "filter", cmdlog.Open(logPath)); err != nil {
		t.Fatal(err)
	}
	zeroed, err := Read(ctx, path, "lab")
	if err != nil {
		t.Fatal(err)
	}
	filter, _ = zeroed.Table("filter")
	for _, c := range filter.Chains {
		for _, r := range c.Rules {
			if r.Packets != 0 {
				t.Errorf("after Zero, rule %q of %s has %d packets", r.Spec, c.Name, r.Packets)
			}
		}
	}
	logged, _ := os.ReadFile(logPath)
	if !strings.Contains(string(logged), "ip netns exec "+name+" iptables -w -t filter -Z") {
		t.Errorf("command log = %q", logged)
	}
	if err := Zero(ctx, path, "bogus", nil); err == nil || !strings.Contains(err.Error(), "use one of raw, mangle") {
		t.Errorf("Zero of a bad table: %v", err)
	}
}

func TestReadMissingNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	_, err := Read(context.Background(), "/run/netns/no-such-namespace-here", "ghost")
	if err == nil || !strings.Contains(err.Error(), "host ghost") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Read of a missing namespace: %v", err)
	}
}

func findChain(t *testing.T, s Snapshot, table, chain string) Chain {
	t.Helper()
	tb, _ := s.Table(table)
	for _, c := range tb.Chains {
		if c.Name == chain {
			return c
		}
	}
	t.Fatalf("no chain %s in table %s", chain, table)
	return Chain{}
}
