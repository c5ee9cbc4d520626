package traceview

import (
	"strings"

	"workbench/netviz/trace"
	"workbench/tui/pane"
)

// pathLinks lists the links a journey crossed, request and reply: the interfaces each
// hop came in and left by, both ends of every veth pair, and the bridges and their
// ports, each in its own namespace.
func pathLinks(j trace.Journey) []pane.PathLink {
	var out []pane.PathLink
	seen := map[pane.PathLink]bool{}
	add := func(ns, link string) {
		l := pane.PathLink{Namespace: ns, Link: link}
		if ns != "" && link != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	legs := []trace.Leg{j.Request}
	if j.Reply != nil {
		legs = append(legs, *j.Reply)
	}
	for _, l := range legs {
		for _, h := range l.Hops {
			add(h.Namespace, h.In)
			add(h.Namespace, h.Out)
			for _, s := range h.Steps {
				if s.Kind == trace.StepIn || s.Kind == trace.StepOut {
					for _, x := range linkEnds(s.Link, h.Namespace) {
						add(x.Namespace, x.Link)
					}
				}
			}
		}
	}
	return out
}

// linkEnds reads the links a step's Link names: "veth pair A:x ⇄ B:y" gives both ends,
// "bridge BR port P" the bridge and its port, in the namespace of the veth end named P
// (ns when no pair names it).
func linkEnds(text, ns string) []pane.PathLink {
	var ends, bridges []pane.PathLink
	for _, part := range strings.Split(text, ", ") {
		f := strings.Fields(part)
		switch {
		case len(f) == 5 && f[0] == "veth" && f[1] == "pair":
			for _, e := range []string{f[2], f[4]} {
				if n, l, ok := strings.Cut(e, ":"); ok {
					ends = append(ends, pane.PathLink{Namespace: n, Link: l})
				}
			}
		case len(f) == 4 && f[0] == "bridge" && f[2] == "port":
			bridges = append(bridges, pane.PathLink{Namespace: f[3], Link: f[1]})
		}
	}
	out := ends
	for _, b := range bridges {
		port, where := b.Namespace, ns
		for _, e := range ends {
			if e.Link == port {
				where = e.Namespace
			}
		}
		out = append(out, pane.PathLink{Namespace: where, Link: b.Link}, pane.PathLink{Namespace: where, Link: port})
	}
	return out
}

// ruleMsg is the iptables pane's message for a rule or policy step of a lab host, nil
// for any other step.
func ruleMsg(s stop) *pane.HighlightRuleMsg {
	if (s.step.Kind != trace.StepRule && s.step.Kind != trace.StepPolicy) || s.step.Rule == nil || s.hop.Kind != "host" {
		return nil
	}
	r := s.step.Rule
	return &pane.HighlightRuleMsg{Host: s.hop.Namespace, Table: r.Table, Chain: r.Chain, Num: r.Num}
}
