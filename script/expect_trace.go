package script

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"workbench/cli/lex"
	"workbench/netviz/trace"
)

// traceCond is one condition on a probe's journey.
type traceCond struct {
	op  string // dnat, masquerade, return, drop, via, delivered, reply, no-reply
	arg string // the chain or place it names, "" when none
}

// traceConds lists the conditions of `expect trace` and whether each takes a word.
var traceConds = map[string]bool{"dnat": true, "masquerade": false, "return": true, "drop": true, "via": true, "delivered": true, "reply": false, "no-reply": false}

// traceCondList names the conditions for messages.
const traceCondList = "dnat CHAIN, masquerade, return CHAIN, drop CHAIN[#N|#policy], drop routing, via CHAIN, delivered PLACE, reply, no-reply"

// traceCheck is `expect trace FROM TO CONDITION...`: a probe from FROM to TO is traced
// and its journey must meet every condition.
type traceCheck struct {
	from  Place
	to    string
	conds []traceCond
}

// Verify sends the probe, reads its journey and checks every condition.
func (c *traceCheck) Verify(ctx context.Context, env *Env) Verdict {
	code, out := runArgs(ctx, env, []string{"trace", "--json", "--probe", c.from.Name, c.to})
	if code != 0 {
		return Verdict{Detail: "the trace failed: " + strings.TrimSpace(out), Output: out}
	}
	var j trace.Journey
	line, _, _ := strings.Cut(out, "\n")
	if err := json.Unmarshal([]byte(line), &j); err != nil {
		return Verdict{Detail: "the trace printed no journey", Output: out}
	}
	var text strings.Builder
	trace.Render(&text, 1, j)
	v := Verdict{Pass: true, Output: text.String(), Detail: "the journey is as expected"}
	var failed []string
	for _, cond := range c.conds {
		if !cond.holds(j) {
			failed = append(failed, strings.TrimSpace(cond.op+" "+cond.arg))
		}
	}
	if len(failed) > 0 {
		v.Pass, v.Detail = false, "the journey does not satisfy: "+strings.Join(failed, ", ")
	}
	return v
}

// holds tells whether the journey meets the condition.
func (c traceCond) holds(j trace.Journey) bool {
	end := j.Request.End
	switch c.op {
	case "dnat":
		return hasRule(j.Request, func(r *trace.Rule) bool { return r.Chain == c.arg && r.Target == "DNAT" })
	case "masquerade":
		return hasRule(j.Request, func(r *trace.Rule) bool { return r.Target == "MASQUERADE" })
	case "return":
		return hasRule(j.Request, func(r *trace.Rule) bool { return r.Chain == c.arg && r.Target == "RETURN" })
	case "via":
		return hasRule(j.Request, func(r *trace.Rule) bool { return r.Chain == c.arg })
	case "drop":
		if end.Kind != trace.EndDropped {
			return false
		}
		if c.arg == "routing" {
			return end.Rule == nil
		}
		chain, num, _ := strings.Cut(c.arg, "#")
		if end.Rule == nil || end.Rule.Chain != chain {
			return false
		}
		switch num {
		case "":
			return true
		case "policy":
			return end.Rule.Num == 0
		}
		return end.Rule.Num > 0 && fmt.Sprint(end.Rule.Num) == num
	case "delivered":
		return end.Kind == trace.EndDelivered && end.Namespace == strings.TrimPrefix(c.arg, "@")
	case "reply":
		return j.Reply != nil
	}
	return j.Reply == nil // no-reply
}

// hasRule tells whether the leg matched a rule that satisfies ok.
func hasRule(l trace.Leg, ok func(*trace.Rule) bool) bool {
	for _, h := range l.Hops {
		for _, s := range h.Steps {
			if s.Kind == trace.StepRule && s.Rule != nil && ok(s.Rule) {
				return true
			}
		}
	}
	return false
}

const traceExample = "`expect trace @outside host1:8080/tcp dnat WB-DNAT delivered web`"

// parseTrace reads `trace FROM TO CONDITION...`.
func parseTrace(kind lex.Word, rest []lex.Word) (Check, error) {
	if len(rest) < 3 {
		return nil, &ParseError{Col: kind.Col, Msg: "expect trace needs a place, where to and a condition (" + traceCondList + "), e.g. " + traceExample}
	}
	from, err := parsePlace(rest[0])
	if err != nil {
		return nil, err
	}
	c := &traceCheck{from: from, to: rest[1].Text}
	for i := 2; i < len(rest); i++ {
		w := rest[i]
		takesWord, known := traceConds[w.Text]
		if !known {
			return nil, &ParseError{Col: w.Col, Msg: fmt.Sprintf("unknown trace condition %q: use one of %s", w.Text, traceCondList)}
		}
		cond := traceCond{op: w.Text}
		if takesWord {
			if i+1 == len(rest) {
				return nil, &ParseError{Col: w.Col, Msg: fmt.Sprintf("%s needs what it names after it, e.g. %s", w.Text, traceExample)}
			}
			i++
			cond.arg = rest[i].Text
			if err := checkDropArg(cond, rest[i]); err != nil {
				return nil, err
			}
		}
		c.conds = append(c.conds, cond)
	}
	return c, nil
}

// checkDropArg refuses a `drop CHAIN#N` whose N is neither a rule number nor "policy".
func checkDropArg(c traceCond, w lex.Word) error {
	chain, num, found := strings.Cut(c.arg, "#")
	if c.op != "drop" || !found {
		return nil
	}
	if n, err := strconv.Atoi(num); chain != "" && (num == "policy" || err == nil && n > 0) {
		return nil
	}
	return &ParseError{Col: w.Col, Msg: fmt.Sprintf("drop %s: write the chain, then # and a rule number or policy, e.g. drop WB-ISOLATION-2#1 or drop FORWARD#policy", c.arg)}
}
