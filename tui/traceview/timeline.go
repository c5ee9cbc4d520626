package traceview

import (
	"fmt"
	"strings"

	"workbench/netviz/trace"
	"workbench/tui/styles"
)

// stop is one step of a journey the step-through can stand on.
type stop struct {
	leg  string // "request" or "reply"
	hop  trace.Hop
	step trace.Step
	prev *trace.Header // the header at the stop before, nil at a leg's first
	line int           // its line in the timeline
}

// timeline is a journey laid out as lines, with the stops of the step-through.
type timeline struct {
	lines []string
	stops []stop
}

// layOut writes the journey one step a line: each leg's packet, each namespace it
// crossed with how it came in, every step there (hooks, rules as `iptables -S` prints
// them with their verdict, routing, NAT, the way out), then how the leg ended.
func layOut(j trace.Journey) timeline {
	var t timeline
	leg := func(name string, l trace.Leg) {
		t.lines = append(t.lines, styles.Title.Render(name)+"  "+l.Packet.String())
		var prev *trace.Header
		for _, h := range l.Hops {
			head := "■ " + h.Namespace + " (" + h.Kind + ")"
			if h.In != "" {
				head += "  in " + h.In
			}
			if h.Out != "" {
				head += "  out " + h.Out
			}
			t.lines = append(t.lines, styles.Key.Render(head))
			for _, s := range h.Steps {
				t.stops = append(t.stops, stop{leg: name, hop: h, step: s, prev: prev, line: len(t.lines)})
				t.lines = append(t.lines, stepLine(s))
				p := s.Packet
				prev = &p
			}
		}
		end := l.End.Kind.Mark() + " " + l.End.Reason + " in " + l.End.Namespace
		if l.End.Kind == trace.EndDropped {
			end = styles.Error.Render(end)
		}
		t.lines = append(t.lines, end)
	}
	leg("request", j.Request)
	if j.Reply != nil {
		t.lines = append(t.lines, "")
		leg("reply", *j.Reply)
	} else {
		t.lines = append(t.lines, styles.Dim.Render("reply: none seen"))
	}
	return t
}

// stepLine is one step of the timeline, indented under its namespace; hooks stand out.
func stepLine(s trace.Step) string {
	text := trace.StepText(s)
	switch s.Kind {
	case trace.StepHook:
		return "    " + styles.Title.Render(text)
	case trace.StepNAT:
		return "    " + styles.Key.Render(text)
	case trace.StepRule, trace.StepPolicy:
		if s.Verdict == "DROP" {
			return "    " + styles.Error.Render(strings.TrimSpace(text))
		}
		return "    " + strings.TrimSpace(text)
	}
	return "    " + text
}

// where names a stop: its place in the journey and what happened there.
func (s stop) where(i, n int) string {
	what := string(s.step.Kind)
	switch s.step.Kind {
	case trace.StepHook:
		what = "hook " + s.step.Hook
	case trace.StepRule, trace.StepPolicy:
		r := s.step.Rule
		what = r.Table + " " + r.Chain
		if r.Num > 0 {
			what += fmt.Sprintf(" #%d", r.Num)
		}
		what += "  [" + s.step.Verdict + "]"
	case trace.StepRoute:
		what = "routing"
	case trace.StepNAT:
		what = "NAT"
	case trace.StepIn, trace.StepOut:
		what += " " + s.step.Interface
	}
	return fmt.Sprintf("step %d of %d · %s · %s (%s) · %s", i+1, n, s.leg, s.hop.Namespace, s.hop.Kind, what)
}

// headerLines show the packet's header at a stop, Packet-Tracer style: the IP layer,
// the transport layer, and what changed since the stop before.
func headerLines(s stop) []string {
	h := s.step.Packet
	ip := fmt.Sprintf("IP   src %s  dst %s  ttl %d  id %d  len %d", h.Src, h.Dst, h.TTL, h.ID, h.Length)
	var l4 string
	switch h.Proto {
	case "tcp":
		l4 = fmt.Sprintf("TCP  sport %d  dport %d  flags [%s]  seq %d", h.SrcPort, h.DstPort, h.Flags, h.Seq)
		if h.Ack != 0 {
			l4 += fmt.Sprintf("  ack %d", h.Ack)
		}
	case "udp":
		l4 = fmt.Sprintf("UDP  sport %d  dport %d", h.SrcPort, h.DstPort)
	case "icmp":
		l4 = fmt.Sprintf("ICMP type %d code %d", h.ICMPType, h.ICMPCode)
		if h.ICMPID != 0 || h.Seq != 0 {
			l4 += fmt.Sprintf("  id %d  seq %d", h.ICMPID, h.Seq)
		}
	default:
		l4 = "proto " + h.Proto
	}
	return []string{ip, l4, changes(s.prev, h)}
}

// changes says what differs in h from the header at the stop before.
func changes(prev *trace.Header, h trace.Header) string {
	if prev == nil {
		return styles.Dim.Render("first seen here")
	}
	var ch []string
	if prev.Src != h.Src || prev.SrcPort != h.SrcPort {
		ch = append(ch, "source "+endpoint(prev.Src.String(), prev.SrcPort)+" → "+endpoint(h.Src.String(), h.SrcPort))
	}
	if prev.Dst != h.Dst || prev.DstPort != h.DstPort {
		ch = append(ch, "destination "+endpoint(prev.Dst.String(), prev.DstPort)+" → "+endpoint(h.Dst.String(), h.DstPort))
	}
	if prev.TTL != h.TTL {
		ch = append(ch, fmt.Sprintf("ttl %d → %d", prev.TTL, h.TTL))
	}
	if len(ch) == 0 {
		return styles.Dim.Render("unchanged since the step before")
	}
	return styles.Key.Render("changed here: " + strings.Join(ch, ", "))
}

func endpoint(addr string, port uint16) string {
	if port == 0 {
		return addr
	}
	return fmt.Sprintf("%s:%d", addr, port)
}
