package traceview_test

import (
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

// TestKernelProbeToPublishedPort sends a real probe from outside to a published port
// of a test instance through the pane, as the app does (the CLI in process), steps
// to the DNAT rule and finds it named, and the iptables pane marks that rule.
func TestKernelProbeToPublishedPort(t *testing.T) {
	inst := panetest.WebLab(t)

	m := panetest.Load(traceview.New(traceview.CLISource{Run: cli.Run, Timeout: "10s"}), 200, 60)
	msgs := panetest.Run(m, m.Update(pane.TraceMsg{From: "outside", To: "host1:8080/tcp"}))
	v := golden.Plain(m.View())
	if !strings.Contains(v, "journey outside → host1:8080/tcp") || !strings.Contains(v, "delivered to a local socket") {
		t.Fatalf("no journey to web:\n%s\nmessages: %v", v, msgs)
	}
	var rule *pane.HighlightRuleMsg
	for i := 0; i < 60 && rule == nil; i++ {
		for _, msg := range panetest.Press(m, "l") {
			if r, ok := msg.(pane.HighlightRuleMsg); ok && r.Chain == "WB-DNAT" {
				rule = &r
			}
		}
	}
	if rule == nil || rule.Host != "host1" || rule.Table != "nat" || rule.Num != 1 {
		t.Fatalf("stepping through the journey met no DNAT rule of host1 (%+v):\n%s", rule, golden.Plain(m.View()))
	}
	testutil.Contains(t, "on the DNAT step the pane", golden.Plain(m.View()),
		"▶   nat WB-DNAT #1: -A WB-DNAT -p tcp -m tcp --dport 8080", "· host1 (host) · nat WB-DNAT #1  [DNAT (ACCEPT)]", "-j DNAT --to-destination 172.18.0.", "dst 198.51.100.1 ")

	ipt := panetest.Load(iptablesview.New(iptablesview.KernelSource{Inst: inst, Log: cmdlog.Open(inst.CommandLogPath())}), 160, 30)
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
