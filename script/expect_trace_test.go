package script

import (
	"strings"
	"testing"

	"workbench/netviz/trace"
)

func TestParseTrace(t *testing.T) {
	s := mustParse(t, "expect trace @outside host1:8080/tcp dnat WB-DNAT via WB-FORWARD delivered web reply\n")
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
		"expect trace web 172.28.0.2 drop FORWARD#policy return WB-POSTROUTING drop routing": "",
		"expect trace web 172.28.0.2 drop FORWARD#first":                                     "write the chain, then # and a rule number or policy",
		"expect trace web 172.28.0.2 drop FORWARD#0":                                         "write the chain, then # and a rule number or policy",
		"expect trace web 172.28.0.2 drop #1":                                                "write the chain, then # and a rule number or policy",
		"expect trace web 172.28.0.2 return":                                                 "return needs what it names",
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
		{"drop", "WB-ISOLATION-2#policy"}: false, {"drop", "routing"}: false, {"return", "WB-ISOLATION-2"}: false,
	} {
		if got := c.holds(j); got != want {
			t.Errorf("%s %s: %v, want %v", c.op, c.arg, got, want)
		}
	}
}

// TestTraceConditionsPolicyRoutingReturn checks drop CHAIN#policy, drop routing and
// return CHAIN on journeys made up for them.
func TestTraceConditionsPolicyRoutingReturn(t *testing.T) {
	ret := &trace.Rule{Table: "nat", Chain: "WB-POSTROUTING", Num: 1, Target: "RETURN"}
	chainEnd := &trace.Rule{Table: "nat", Chain: "WB-DNAT", Text: "(end of WB-DNAT: back to the chain that jumped)"}
	policy := &trace.Rule{Table: "filter", Chain: "FORWARD", Text: "-P FORWARD DROP"}
	steps := []trace.Step{{Kind: trace.StepRule, Rule: ret, Verdict: "RETURN"}, {Kind: trace.StepRule, Rule: chainEnd, Verdict: "RETURN"}}
	byPolicy := trace.Journey{Request: trace.Leg{
		Hops: []trace.Hop{{Namespace: "host1", Steps: append(steps, trace.Step{Kind: trace.StepPolicy, Rule: policy, Verdict: "DROP"})}},
		End:  trace.End{Kind: trace.EndDropped, Namespace: "host1", Rule: policy},
	}}
	byRouting := trace.Journey{Request: trace.Leg{
		Hops: []trace.Hop{{Namespace: "host1", Steps: steps}},
		End:  trace.End{Kind: trace.EndDropped, Namespace: "host1", Reason: "dropped by the routing: not forwarded: net.ipv4.ip_forward is 0"},
	}}
	delivered := trace.Journey{Request: trace.Leg{Hops: byRouting.Request.Hops, End: trace.End{Kind: trace.EndDelivered, Namespace: "web"}}}
	for _, c := range []struct {
		j    trace.Journey
		cond traceCond
		want bool
	}{
		{byPolicy, traceCond{"drop", "FORWARD#policy"}, true},
		{byPolicy, traceCond{"drop", "FORWARD"}, true},
		{byPolicy, traceCond{"drop", "FORWARD#1"}, false},
		{byPolicy, traceCond{"drop", "routing"}, false},
		{byRouting, traceCond{"drop", "routing"}, true},
		{byRouting, traceCond{"drop", "FORWARD#policy"}, false},
		{delivered, traceCond{"drop", "routing"}, false},
		{delivered, traceCond{"return", "WB-POSTROUTING"}, true},
		{delivered, traceCond{"return", "WB-DNAT"}, false},
		{delivered, traceCond{"return", "POSTROUTING"}, false},
	} {
		if got := c.cond.holds(c.j); got != c.want {
			t.Errorf("%s %s on a journey that ended %s: %v, want %v", c.cond.op, c.cond.arg, c.j.Request.End.Kind, got, c.want)
		}
	}
}
