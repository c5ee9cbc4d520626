package script

import (
	"strings"
	"testing"

	"workbench/netviz/trace"
)

func TestParseTrace(t *testing.T) {
	s, err := Parse("t.lab", []byte("expect trace @outside host1:8080/tcp dnat WB-DNAT via WB-FORWARD delivered web reply\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := s.Steps[0].Check.(*traceCheck)
	if !ok || c.from != (Place{Name: "outside", Host: true}) || c.to != "host1:8080/tcp" || len(c.conds) != 4 || c.conds[0] != (traceCond{"dnat", "WB-DNAT"}) || c.conds[3] != (traceCond{op: "reply"}) {
		t.Fatalf("parsed %+v", s.Steps[0].Check)
	}
	for line, want := range map[string]string{
		"expect trace @outside":                      "needs a place, where to and a condition",
		"expect trace @outside host1 dnat":           "dnat needs what it names",
		"expect trace @outside host1 bounces":        `unknown trace condition "bounces"`,
		"expect trace @ host1 reply":                 "is not a place",
		"expect trace web 198.51.100.100 masquerade": "",
	} {
		_, err := Parse("t.lab", []byte(line+"\n"))
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", line, err, want)
		}
	}
}

// TestTraceConditions checks each condition on a journey made up for it.
func TestTraceConditions(t *testing.T) {
	dnat := &trace.Rule{Table: "nat", Chain: "WB-DNAT", Num: 1, Target: "DNAT"}
	drop := &trace.Rule{Table: "filter", Chain: "WB-ISOLATION-2", Num: 2, Target: "DROP"}
	j := trace.Journey{Request: trace.Leg{
		Hops: []trace.Hop{{Namespace: "host1", Steps: []trace.Step{{Kind: trace.StepRule, Rule: dnat}, {Kind: trace.StepRule, Rule: drop}}}},
		End:  trace.End{Kind: trace.EndDropped, Namespace: "host1", Rule: drop},
	}}
	for c, want := range map[traceCond]bool{
		{"dnat", "WB-DNAT"}: true, {"dnat", "WB-OTHER"}: false, {op: "masquerade"}: false,
		{"via", "WB-ISOLATION-2"}: true, {"drop", "WB-ISOLATION-2"}: true, {"drop", "WB-ISOLATION-2#2"}: true,
		{"drop", "WB-ISOLATION-2#1"}: false, {"delivered", "web"}: false, {op: "reply"}: false, {op: "no-reply"}: true,
	} {
		if got := c.holds(j); got != want {
			t.Errorf("%s %s: %v, want %v", c.op, c.arg, got, want)
		}
	}
}
