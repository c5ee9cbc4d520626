package trace

import (
	"fmt"
)

// world is what the assembly asks of the lab: names, links, rules, routes and
// conntrack entries of its namespaces (read from the kernel on Linux, made up in
// tests).
type world interface {
	// place names namespace ns.
	place(ns int) Place
	// linkName is the name of an interface of namespace ns.
	linkName(ns int, index uint32) string
	// isBridge tells whether an interface of namespace ns is a bridge.
	isBridge(ns int, index uint32) bool
	// arrivals are where a packet that leaves namespace ns by link index comes in:
	// the other end of a veth pair, or of each veth that is a port of a bridge.
	arrivals(ns int, index uint32) []arrival
	// rule finds a rule by its handle, as `iptables -S` prints it.
	rule(ns int, table, chain string, handle uint64) *Rule
	// route is the routing decision for a packet of namespace ns that came in on in
	// ("" when made there) and, when it was routed, left by out.
	route(ns int, h Header, in, out string) *Route
	// conntrack is the entry of the connection a packet with header h started.
	conntrack(ns int, h Header) *Conntrack
}

// arrival is where a packet comes in after it left by a link.
type arrival struct {
	ns    int
	index uint32
	// bridge is the bridge index is a port of, 0 when none: with bridge netfilter
	// on, the hooks see a packet bridged in as coming from the bridge itself.
	bridge uint32
	// via names the link it crossed: "veth pair host1:veth1a2b ⇄ web:eth0", with the
	// bridge and port when it left by a bridge.
	via string
}

// arrivesAt tells whether a pass came in where the arrival is.
func (ar arrival) arrivesAt(p *pass) bool {
	return ar.ns == p.ns && (ar.index == p.in || ar.bridge != 0 && ar.bridge == p.in)
}

// leg writes a chain of passes as a Leg; reply, when there is one, tells how a packet
// delivered to a local stack was answered.
func (a *assembler) leg(l []*pass, reply []*pass) Leg {
	out := Leg{Time: l[0].first}
	out.Packet, _ = firstHeader(l[0])
	for i, p := range l {
		out.Hops = append(out.Hops, a.hop(p, i == 0, i+1 < len(l)))
	}
	last := l[len(l)-1]
	out.End = a.end(last, out.Hops[len(out.Hops)-1], reply)
	return out
}

// hop writes one pass as a Hop.
func (a *assembler) hop(p *pass, first, linked bool) Hop {
	pl := a.w.place(p.ns)
	h := Hop{Namespace: pl.Name, Kind: pl.Kind}
	if p.in != 0 {
		h.In = a.w.linkName(p.ns, p.in)
	}
	cur, _ := firstHeader(p)
	in := Step{Kind: StepIn, Interface: h.In, Packet: cur}
	if p.prev != nil {
		for _, ar := range a.w.arrivals(p.prev.ns, p.prev.out) {
			if ar.arrivesAt(p) {
				in.Link = ar.via
			}
		}
	}
	if h.In == "" {
		in.Link = "made by a local process"
	}
	h.Steps = append(h.Steps, in)
	hook, routed := "", false
	nat := func(before, after Header, at string) {
		h.Steps = append(h.Steps, Step{Kind: StepNAT, Hook: at, Before: &before, After: &after,
			Conntrack: a.w.conntrack(p.ns, before), Packet: after})
		if at == "OUTPUT" && routed && before.Dst != after.Dst {
			// A local packet is routed before OUTPUT; a new destination routes it again.
			st := a.routeStep(p, after, "")
			st.Route.Route = "rerouted after the NAT: " + st.Route.Route
			h.Steps = append(h.Steps, st)
		}
	}
	for _, r := range p.events {
		// Destination NAT is made before routing, at PREROUTING or OUTPUT; source NAT
		// at POSTROUTING or INPUT, before the trace's own chain there sees the packet.
		var snat *Header
		if r.hasHdr && r.hdr.Endpoints() != cur.Endpoints() {
			dnat := cur
			dnat.Dst, dnat.DstPort = r.hdr.Dst, r.hdr.DstPort
			if dnat.Endpoints() != cur.Endpoints() {
				nat(cur, dnat, hook)
			}
			if dnat.Endpoints() != r.hdr.Endpoints() {
				before := dnat
				snat = &before
			}
		}
		if r.hasHdr {
			cur = r.hdr
		}
		if r.hook != hook && r.hook != "" {
			if !routed && hookRank[r.hook] > 0 && p.in != 0 {
				h.Steps = append(h.Steps, a.routeStep(p, cur, h.In))
				routed = true
			}
			hook = r.hook
			h.Steps = append(h.Steps, Step{Kind: StepHook, Hook: hook, Packet: cur})
			if hook == "OUTPUT" && !routed {
				h.Steps = append(h.Steps, a.routeStep(p, cur, ""))
				routed = true
			}
		}
		if snat != nil {
			nat(*snat, cur, hook)
		}
		if r.ev.Table == a.ownTable {
			continue
		}
		_, base := hookRank[r.ev.Chain]
		switch {
		case (r.ev.Type == TypeRule && r.ev.Handle == 0 || r.ev.Type == TypeReturn) && !base:
			h.Steps = append(h.Steps, Step{Kind: StepRule, Hook: hook, Verdict: "RETURN", Packet: cur,
				Rule: &Rule{Table: r.ev.Table, Chain: r.ev.Chain, Text: "(end of " + r.ev.Chain + ": back to the chain that jumped)"}})
		case r.ev.Type == TypeRule && r.ev.Handle != 0:
			rule := a.w.rule(p.ns, r.ev.Table, r.ev.Chain, r.ev.Handle)
			v := verdictText(r.ev)
			if natTargets[rule.Target] {
				v = rule.Target + " (" + v + ")"
			}
			h.Steps = append(h.Steps, Step{Kind: StepRule, Hook: hook, Rule: rule, Verdict: v, Packet: cur})
		case r.ev.Type == TypePolicy:
			v := verdictText(r.ev)
			h.Steps = append(h.Steps, Step{Kind: StepPolicy, Hook: hook, Verdict: v, Packet: cur,
				Rule: &Rule{Table: r.ev.Table, Chain: r.ev.Chain, Text: "-P " + r.ev.Chain + " " + v}})
		}
	}
	if !routed && !p.dropped && p.in != 0 {
		h.Steps = append(h.Steps, a.routeStep(p, cur, h.In))
	}
	if p.out != 0 && !p.delivered && !p.dropped {
		h.Out = a.w.linkName(p.ns, p.out)
		st := Step{Kind: StepOut, Hook: hook, Interface: h.Out, Packet: cur}
		if p.next != nil {
			for _, ar := range a.w.arrivals(p.ns, p.out) {
				if ar.arrivesAt(p.next) {
					st.Link = ar.via
				}
			}
		}
		h.Steps = append(h.Steps, st)
	}
	return h
}

// routeStep asks for the routing decision of a packet in its namespace.
func (a *assembler) routeStep(p *pass, h Header, in string) Step {
	out := ""
	if p.out != 0 {
		out = a.w.linkName(p.ns, p.out)
	}
	if p.in != 0 && p.in == p.out && a.w.isBridge(p.ns, p.in) && !ttlFell(p) {
		how := "bridged by " + out + " (no routing)"
		if first, ok := firstHeader(p); ok && first.Endpoints() != h.Endpoints() {
			how = "bridged by " + out + " after the NAT (br_netfilter: the new destination is on the same bridge, so no routing and the TTL is kept)"
		}
		return Step{Kind: StepRoute, Route: &Route{Route: how, Dev: out}, Packet: h}
	}
	if p.delivered || hasHook(p, "INPUT") {
		out = ""
	}
	return Step{Kind: StepRoute, Route: a.w.route(p.ns, h, in, out), Packet: h}
}

// ttlFell tells whether the packet's TTL fell during a pass: the kernel routed it (a
// bridged packet, seen by netfilter through br_netfilter, keeps its TTL).
func ttlFell(p *pass) bool {
	first, ok := firstHeader(p)
	last, _ := lastHeader(p)
	return ok && last.TTL < first.TTL
}

func hasHook(p *pass, hook string) bool {
	for _, e := range p.events {
		if e.hook == hook {
			return true
		}
	}
	return false
}

// end says how a leg ended at its last pass.
func (a *assembler) end(p *pass, h Hop, reply []*pass) End {
	e := End{Namespace: h.Namespace}
	switch {
	case p.dropped:
		e.Kind = EndDropped
		for i := len(h.Steps) - 1; i >= 0; i-- {
			if s := h.Steps[i]; s.Verdict == "DROP" && s.Rule != nil {
				e.Rule = s.Rule
				if s.Kind == StepPolicy {
					e.Reason = fmt.Sprintf("dropped by the policy of %s (table %s)", s.Rule.Chain, s.Rule.Table)
				} else {
					e.Reason = fmt.Sprintf("dropped by rule %d of %s (table %s)", s.Rule.Num, s.Rule.Chain, s.Rule.Table)
				}
				break
			}
		}
	case p.delivered:
		e.Kind, e.Reason = EndDelivered, "delivered to the local stack"
		if r, ok := replyHeader(reply); ok {
			switch {
			case r.Proto == "tcp" && r.Flags != "" && r.Flags[0] == 'R':
				e.Reason = "delivered to no socket: the kernel answered with a TCP reset"
			case r.Proto == "icmp" && r.ICMPType == icmpUnreachable && r.ICMPCode == 3:
				e.Reason = "delivered to no socket: the kernel answered with ICMP port unreachable"
			case r.Proto == "icmp" && r.ICMPType == icmpEchoReply:
				e.Reason = "delivered to the kernel's ICMP echo, which answered"
			default:
				e.Reason = "delivered to a local socket, which answered"
			}
		}
	case p.out != 0 && p.next == nil && len(a.w.arrivals(p.ns, p.out)) == 0:
		e.Kind, e.Reason = EndLeft, "sent out of the lab by "+a.w.linkName(p.ns, p.out)
	case p.out != 0 && p.next == nil:
		e.Kind, e.Reason = EndLost, "left by "+a.w.linkName(p.ns, p.out)+" and was not seen again"
	default:
		e.Kind, e.Reason = EndDropped, "dropped after PREROUTING: not routed"
		for _, s := range h.Steps {
			if s.Route != nil && s.Route.Refused != "" {
				e.Reason = "dropped by the routing: " + s.Route.Refused
			}
		}
	}
	return e
}

func replyHeader(reply []*pass) (Header, bool) {
	if len(reply) == 0 {
		return Header{}, false
	}
	return firstHeader(reply[0])
}

// natTargets are the targets whose verdict is ACCEPT once they have set up NAT.
var natTargets = map[string]bool{"DNAT": true, "SNAT": true, "MASQUERADE": true, "REDIRECT": true}

// verdictText writes an event's verdict as iptables names it.
func verdictText(e Event) string {
	switch e.Verdict {
	case verdictAccept:
		return "ACCEPT"
	case verdictDrop:
		return "DROP"
	case verdictReturn:
		return "RETURN"
	case verdictJump:
		return "jump " + e.Target
	case verdictGoto:
		return "goto " + e.Target
	case verdictContinue, verdictBreak:
		return "continue"
	}
	return fmt.Sprintf("verdict %d", e.Verdict)
}
