package traceview_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"workbench/cli"
	"workbench/cmdlog"
	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/iptablesview"
	"workbench/tui/pane"
	"workbench/tui/panetest"
	"workbench/tui/traceview"
)

// wb runs the workbench binary in the test's instance and fails the test when it
// fails.
func wb(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(testutil.Binary(t), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("workbench %s: %v: %s", strings.Join(args, " "), err, out.String())
	}
}

// TestKernelProbeToPublishedPort sends a real probe from outside to a published port
// of a test instance through the pane, as the app does (the CLI in process), steps
// to the DNAT rule and finds it named, and the iptables pane marks that rule.
func TestKernelProbeToPublishedPort(t *testing.T) {
	inst := testutil.KernelTest(t)
	t.Cleanup(func() { _ = exec.Command(testutil.Binary(t), "reset").Run() })
	wb(t, "run", "-d", "--name", "web", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")

	m := traceview.New(traceview.CLISource{Run: cli.Run, Timeout: "10s"})
	panetest.Load(m, 200, 60)
	msgs := collect(m, m.Update(pane.TraceMsg{From: "outside", To: "host1:8080/tcp"}))
	v := golden.Plain(m.View())
	if !strings.Contains(v, "journey outside → host1:8080/tcp") || !strings.Contains(v, "delivered to a local socket") {
		t.Fatalf("no journey to web:\n%s\nmessages: %v", v, msgs)
	}
	var rule *pane.HighlightRuleMsg
	for i := 0; i < 60 && rule == nil; i++ {
		for _, msg := range press(m, "l") {
			if r, ok := msg.(pane.HighlightRuleMsg); ok && r.Chain == "WB-DNAT" {
				rule = &r
			}
		}
	}
	if rule == nil || rule.Host != "host1" || rule.Table != "nat" || rule.Num != 1 {
		t.Fatalf("stepping through the journey met no DNAT rule of host1 (%+v):\n%s", rule, golden.Plain(m.View()))
	}
	v = golden.Plain(m.View())
	for _, want := range []string{"▶   nat WB-DNAT #1: -A WB-DNAT -p tcp -m tcp --dport 8080", "· host1 (host) · nat WB-DNAT #1  [DNAT (ACCEPT)]", "-j DNAT --to-destination 172.18.0.", "dst 198.51.100.1 "} {
		if !strings.Contains(v, want) {
			t.Errorf("on the DNAT step the pane lacks %q:\n%s", want, v)
		}
	}

	ipt := iptablesview.New(iptablesview.KernelSource{Inst: inst, Log: cmdlog.Open(inst.CommandLogPath())})
	panetest.Load(ipt, 160, 30)
	panetest.Run(ipt, ipt.Update(*rule))
	marked := ""
	for _, l := range strings.Split(golden.Plain(ipt.View()), "\n") {
		if strings.HasPrefix(l, "▶") {
			marked = l
		}
	}
	if !strings.Contains(marked, "--dport 8080 -j DNAT") {
		t.Errorf("the iptables pane marks %q, not the DNAT rule:\n%s", marked, golden.Plain(ipt.View()))
	}
}
