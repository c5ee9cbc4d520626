package trace

import (
	"fmt"
	"io"
	"strings"
)

// Render writes a journey as text, one step a line: each namespace crossed, the hooks,
// every rule matched with its verdict, routing, NAT and the links between namespaces,
// then the end; the same for the reply.
func Render(w io.Writer, n int, j Journey) {
	fmt.Fprintf(w, "journey %d: %s\n", n, j.Request.Packet)
	renderLeg(w, "request", j.Request)
	if j.Reply != nil {
		renderLeg(w, "reply", *j.Reply)
	} else {
		fmt.Fprintln(w, "  reply: none seen")
	}
}

func renderLeg(w io.Writer, name string, l Leg) {
	fmt.Fprintf(w, "  %s  %s  %s\n", name, l.Time.Format("15:04:05.000000"), l.Packet)
	for _, h := range l.Hops {
		fmt.Fprintf(w, "    ■ %s (%s)\n", h.Namespace, h.Kind)
		for _, s := range h.Steps {
			fmt.Fprintf(w, "        %s\n", StepText(s))
		}
	}
	fmt.Fprintf(w, "    %s %s in %s\n", l.End.Kind.Mark(), l.End.Reason, l.End.Namespace)
	if l.End.Rule != nil && l.End.Rule.Num > 0 {
		fmt.Fprintf(w, "      %s\n", ruleText(*l.End.Rule))
	}
}

// endMarks are the signs of the ways a leg ends.
var endMarks = map[EndKind]string{EndDelivered: "✔", EndLeft: "→", EndDropped: "✘", EndLost: "?"}

// Mark is the sign a leg's end is drawn with: ✔ delivered, → left the lab, ✘ dropped,
// ? lost.
func (k EndKind) Mark() string { return endMarks[k] }

// StepText is a step in one line, as Render writes it.
func StepText(s Step) string {
	switch s.Kind {
	case StepIn:
		if s.Interface == "" {
			return "made by a local process: " + s.Packet.String()
		}
		return strings.TrimSpace("in " + s.Interface + "  " + paren(s.Link))
	case StepHook:
		return s.Hook
	case StepRule, StepPolicy:
		return fmt.Sprintf("  %s  [%s]", ruleText(*s.Rule), s.Verdict)
	case StepRoute:
		r := s.Route
		switch {
		case r.Refused != "":
			return "route: " + r.Refused
		case r.Local:
			return "route: " + r.Route + " (for this namespace)"
		case r.Route == "":
			return "route: none found"
		}
		return "route: " + r.Route
	case StepNAT:
		t := fmt.Sprintf("NAT: %s becomes %s", s.Before.Endpoints(), s.After.Endpoints())
		if s.Conntrack != nil {
			t += fmt.Sprintf("  [conntrack original %s, reply %s]", s.Conntrack.Original, s.Conntrack.Reply)
		}
		return t
	case StepOut:
		return strings.TrimSpace("out " + s.Interface + "  " + paren(s.Link))
	}
	return string(s.Kind)
}

// ruleText writes "table CHAIN #N: -A CHAIN ... /* comment */".
func ruleText(r Rule) string {
	where := r.Table + " " + r.Chain
	if r.Num > 0 {
		where += fmt.Sprintf(" #%d", r.Num)
	}
	return where + ": " + r.Text
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}
