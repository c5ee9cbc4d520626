package iptables

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parse reads the output of `iptables-save -c` into a snapshot taken at the given time.
// Tables are put in TableOrder (others after them, as they came). It never panics; a
// line it cannot read is an error naming the line.
func Parse(out []byte, at time.Time) (Snapshot, error) {
	s := Snapshot{Time: at, Tables: []Table{}}
	var cur *Table
	chainIdx := map[string]int{}
	text := string(out) // one copy; every line, rule and name below is a slice of it
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		line = strings.TrimSpace(line)
		var err error
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '*':
			if cur != nil {
				err = fmt.Errorf("table %s starts before table %s ends with COMMIT", line[1:], cur.Name)
				break
			}
			s.Tables = append(s.Tables, Table{Name: line[1:]})
			cur = &s.Tables[len(s.Tables)-1]
			chainIdx = map[string]int{}
		case line == "COMMIT":
			if cur == nil {
				err = fmt.Errorf("COMMIT outside a table")
			}
			cur = nil
		case cur == nil:
			err = fmt.Errorf("a chain or rule outside a table")
		case line[0] == ':':
			var c Chain
			if c, err = parseChain(line[1:]); err == nil {
				chainIdx[c.Name] = len(cur.Chains)
				cur.Chains = append(cur.Chains, c)
			}
		default:
			err = parseRuleLine(cur, chainIdx, line)
		}
		if err != nil {
			return Snapshot{}, fmt.Errorf("iptables-save output, line %d: %w", n, err)
		}
	}
	if cur != nil {
		return Snapshot{}, fmt.Errorf("iptables-save output: table %s has no COMMIT", cur.Name)
	}
	sortTables(s.Tables)
	return s, nil
}

// parseChain reads "NAME POLICY [PACKETS:BYTES]".
func parseChain(s string) (Chain, error) {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 3 {
		return Chain{}, fmt.Errorf("chain line %q is not NAME POLICY [PACKETS:BYTES]", s)
	}
	c := Chain{Name: f[0], Policy: f[1], Ours: ownChain(f[0])}
	if len(f) == 3 {
		var err error
		if c.Packets, c.Bytes, err = parseCounters(f[2]); err != nil {
			return Chain{}, err
		}
	}
	return c, nil
}

// parseCounters reads "[PACKETS:BYTES]".
func parseCounters(s string) (uint64, uint64, error) {
	in, open := strings.CutPrefix(s, "[")
	in, closed := strings.CutSuffix(in, "]")
	if !open || !closed {
		return 0, 0, fmt.Errorf("counters %q are not [PACKETS:BYTES]", s)
	}
	p, b, ok := strings.Cut(in, ":")
	if !ok {
		return 0, 0, fmt.Errorf("counters %q are not [PACKETS:BYTES]", s)
	}
	pk, err1 := strconv.ParseUint(p, 10, 64)
	by, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("counters %q are not numbers", s)
	}
	return pk, by, nil
}

// parseRuleLine reads "[PACKETS:BYTES] -A CHAIN SPEC" (counters optional) into its chain.
func parseRuleLine(t *Table, chainIdx map[string]int, line string) error {
	var r Rule
	if line[0] == '[' {
		end := strings.IndexByte(line, ']')
		if end < 0 {
			return fmt.Errorf("rule %q: counters not closed", line)
		}
		var err error
		if r.Packets, r.Bytes, err = parseCounters(line[:end+1]); err != nil {
			return err
		}
		line = strings.TrimSpace(line[end+1:])
	}
	rest, ok := strings.CutPrefix(line, "-A ")
	if !ok {
		return fmt.Errorf("rule %q does not start with -A CHAIN", line)
	}
	rest = strings.TrimLeft(rest, " ")
	chain, spec, _ := strings.Cut(rest, " ")
	i, ok := chainIdx[chain]
	if !ok {
		return fmt.Errorf("rule for chain %q that the table does not declare", chain)
	}
	r.Spec = strings.TrimSpace(spec)
	r.Target, r.Comment = targetAndComment(r.Spec)
	c := &t.Chains[i]
	r.Ours = c.Ours || ownChain(r.Target) || ownComment(r.Comment)
	r.Num = len(c.Rules) + 1
	c.Rules = append(c.Rules, r)
	return nil
}

// targetAndComment finds what -j (or -g) names and the --comment text of a rule.
func targetAndComment(spec string) (target, comment string) {
	prev := ""
	for i := 0; i < len(spec); {
		tok, next := nextToken(spec, i)
		switch prev {
		case "-j", "-g", "--jump", "--goto":
			target = unquote(tok)
		case "--comment":
			comment = unquote(tok)
		}
		prev, i = tok, next
	}
	return target, comment
}

// nextToken returns the raw token of s that starts at or after i (quotes kept) and
// where the search for the following one starts.
func nextToken(s string, i int) (string, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	start, quoted := i, false
	for ; i < len(s); i++ {
		switch ch := s[i]; {
		case quoted && ch == '\\':
			i++
		case ch == '"':
			quoted = !quoted
		case !quoted && (ch == ' ' || ch == '\t'):
			return s[start:i], i
		}
	}
	return s[start:min(i, len(s))], len(s)
}

// unquote removes the double quotes and backslash escapes iptables-save puts around
// a word with spaces.
func unquote(tok string) string {
	if strings.IndexByte(tok, '"') < 0 {
		return tok
	}
	if n := len(tok); n >= 2 && tok[0] == '"' && tok[n-1] == '"' && !strings.ContainsAny(tok[1:n-1], "\\\"") {
		return tok[1 : n-1]
	}
	var b strings.Builder
	b.Grow(len(tok))
	quoted := false
	for i := 0; i < len(tok); i++ {
		switch ch := tok[i]; {
		case quoted && ch == '\\' && i+1 < len(tok):
			i++
			b.WriteByte(tok[i])
		case ch == '"':
			quoted = !quoted
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// sortTables puts the tables in TableOrder, keeping unknown tables after, in order.
func sortTables(ts []Table) {
	rank := func(name string) int {
		for i, n := range TableOrder {
			if n == name {
				return i
			}
		}
		return len(TableOrder)
	}
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && rank(ts[j].Name) < rank(ts[j-1].Name); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}
