package tui_test

import (
	"strings"
	"testing"

	"workbench/tui/panetest"
)

// TestAppTracesAProbe runs the real binary in tmux at a small and a large size: the
// Trace pane sends a probe from outside to web's published port, steps to the DNAT
// rule and shows the packet's header there; the topology marks the journey, the
// iptables pane marks the rule, and the conntrack pane lists the translation.
func TestAppTracesAProbe(t *testing.T) {
	eachSize(t, [][2]int{{80, 24}, {120, 40}}, traceInApp)
}

func traceInApp(t *testing.T, width, height int) {
	s := startApp(t, panetest.WebLab(t), width, height)
	s.See("web ", "8080->80/tcp")

	// The probe, from the form: FROM comes filled with the selected container.
	s.Keys("6")
	s.See("no journey yet")
	s.Keys("p")
	s.See("from web")
	s.Keys("C-u")
	s.Type("host1:8080/tcp")
	s.Keys("BTab", "C-u")
	s.TypeLine("outside")
	s.See("journey outside → host1:8080/tcp", "step 1 of")

	// Step to the DNAT rule: the rule, named, and the header before NAT.
	for range 13 {
		s.Keys("l")
	}
	s.See("nat WB-DNAT #1  [DNAT (ACCEPT)]", "-A WB-DNAT -p tcp -m tcp --dport 8080", "dst 198.51.100.1 ", "dport 8080")
	s.Keys("l")
	s.See("changed here: destination 198.51.100.1:8080 → 172.18.0.")

	// The journey on the topology, the rule in the iptables pane.
	s.Keys("2")
	s.See("▶ journey outside → host1:8080/tcp")
	s.Keys("3")
	text := s.See("▶ nat WB-DNAT #1")
	if !markedRule(text, "--dport 8080 -j DNAT") {
		t.Errorf("the iptables pane does not show the DNAT rule marked:\n%s", text)
	}

	// The translation in the conntrack pane, once outside has connected.
	panetest.VisitWeb(t)
	s.Keys("7")
	s.See("■ host1", "DNAT  destination 198.51.100.1:8080 → 172.18.0.", "original 198.51.100.100:")

	s.Keys("q")
	s.See("APP-EXIT 0")
}

// markedRule tells whether a line of the screen marked with ▶ holds want.
func markedRule(text, want string) bool {
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "▶"); i >= 0 && i < 8 && strings.Contains(l, want) {
			return true
		}
	}
	return false
}
