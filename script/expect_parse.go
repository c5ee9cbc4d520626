package script

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"workbench/cli/lex"
)

// expectHelp lists the forms of `expect`, for errors that must say what to write.
const expectHelp = "ok, fail, output, ping, no-ping, tcp, no-tcp, capture, counter, cpu or trace"

// parseExpect reads the words after `expect`; col is where `expect` starts.
func parseExpect(words []lex.Word, col int) (Check, error) {
	if len(words) == 0 {
		return nil, &ParseError{Col: col, Msg: "expect needs what to check: " + expectHelp}
	}
	kind, rest := words[0], words[1:]
	switch kind.Text {
	case "ok", "fail":
		if len(rest) == 0 {
			return nil, &ParseError{Col: kind.Col, Msg: fmt.Sprintf("expect %s needs a command after it, e.g. `expect %s ps`", kind.Text, kind.Text)}
		}
		return &statusCheck{args: newCommandLine(rest), wantFail: kind.Text == "fail"}, nil
	case "output":
		return parseOutput(kind, rest)
	case "ping", "no-ping":
		return parsePing(kind, rest)
	case "tcp", "no-tcp":
		return parseTCP(kind, rest)
	case "capture":
		return parseCapture(kind, rest)
	case "counter":
		return parseCounter(kind, rest)
	case "cpu":
		return parseCPU(kind, rest)
	case "trace":
		return parseTrace(kind, rest)
	}
	return nil, &ParseError{Col: kind.Col, Msg: fmt.Sprintf("unknown expectation %q: use %s", kind.Text, expectHelp)}
}

// parseOutput reads `output CMD... (contains TEXT | lacks TEXT | matches RE)...`: the
// conditions are taken from the end of the line, so a command may use those words too.
func parseOutput(kind lex.Word, rest []lex.Word) (Check, error) {
	c := &outputCheck{}
	for len(rest) >= 2 {
		op, arg := rest[len(rest)-2], rest[len(rest)-1]
		cond := outputCond{op: op.Text, text: arg.Text}
		switch op.Text {
		case "contains", "lacks":
		case "matches":
			src, err := regexpSource(arg.Text)
			if err != nil {
				return nil, &ParseError{Col: arg.Col, Msg: err.Error()}
			}
			re, err := regexp.Compile(src)
			if err != nil {
				return nil, &ParseError{Col: arg.Col, Msg: fmt.Sprintf("bad regular expression: %v", err)}
			}
			cond.re = re
		default:
			goto done
		}
		c.conds = append([]outputCond{cond}, c.conds...)
		rest = rest[:len(rest)-2]
	}
done:
	if len(c.conds) == 0 {
		return nil, &ParseError{Col: kind.Col, Msg: `expect output needs a command and a condition at the end: contains "TEXT", lacks "TEXT" or matches /RE/`}
	}
	if len(rest) == 0 {
		return nil, &ParseError{Col: kind.Col, Msg: "expect output needs a command before its condition, e.g. `expect output ps contains web`"}
	}
	c.args = newCommandLine(rest)
	return c, nil
}

// regexpSource turns /re/ into re and /re/FLAGS (i, m, s) into (?FLAGS)re, and
// refuses any other flag; a pattern that does not start with a slash is used as it is.
func regexpSource(s string) (string, error) {
	if len(s) < 2 || s[0] != '/' {
		return s, nil
	}
	end := strings.LastIndexByte(s, '/')
	if end == 0 {
		return s, nil
	}
	flags := s[end+1:]
	if i := strings.IndexFunc(flags, func(r rune) bool { return !strings.ContainsRune("ims", r) }); i >= 0 {
		_, size := utf8.DecodeRuneInString(flags[i:])
		return "", fmt.Errorf("unknown flag %q after %s: use i, m or s", flags[i:i+size], s[:end+1])
	}
	if flags != "" {
		return "(?" + flags + ")" + s[1:end], nil
	}
	return s[1:end], nil
}

// parsePlace reads where a probe runs: @HOST is a lab host, anything else a container.
func parsePlace(w lex.Word) (Place, error) {
	name := strings.TrimPrefix(w.Text, "@")
	if name == "" || strings.ContainsAny(name, " \t/:@") {
		return Place{}, &ParseError{Col: w.Col, Msg: fmt.Sprintf("%q is not a place: write @HOST for a lab host (e.g. @host1) or a container name", w.Text)}
	}
	return Place{Name: name, Host: strings.HasPrefix(w.Text, "@")}, nil
}

// probeArgs reads the two words of a ping or tcp probe: the place it runs from and
// its target, what being the target's kind and example a whole probe.
func probeArgs(kind lex.Word, rest []lex.Word, what, example string) (Place, lex.Word, error) {
	if len(rest) != 2 {
		return Place{}, lex.Word{}, &ParseError{Col: kind.Col, Msg: fmt.Sprintf("expect %s needs a place and %s, e.g. `expect %s %s`", kind.Text, what, kind.Text, example)}
	}
	from, err := parsePlace(rest[0])
	return from, rest[1], err
}

func parsePing(kind lex.Word, rest []lex.Word) (Check, error) {
	from, target, err := probeArgs(kind, rest, "an address", "@host1 172.18.0.2")
	if err != nil {
		return nil, err
	}
	addr, err := netip.ParseAddr(target.Text)
	if err != nil {
		return nil, &ParseError{Col: target.Col, Msg: fmt.Sprintf("%q is not an IP address: ping takes an address such as 172.18.0.2", target.Text)}
	}
	return &pingCheck{from: from, addr: addr, wantFail: kind.Text == "no-ping"}, nil
}

func parseTCP(kind lex.Word, rest []lex.Word) (Check, error) {
	from, target, err := probeArgs(kind, rest, "ADDRESS:PORT", "@outside 198.51.100.1:8080")
	if err != nil {
		return nil, err
	}
	addr, err := netip.ParseAddrPort(target.Text)
	if err != nil || addr.Port() == 0 {
		return nil, &ParseError{Col: target.Col, Msg: fmt.Sprintf("%q is not ADDRESS:PORT, e.g. 172.18.0.2:80", target.Text)}
	}
	return &tcpCheck{from: from, addr: addr, wantFail: kind.Text == "no-tcp"}, nil
}

// whileCommand splits `... KEYWORD DUR while CMD...` style tails: it returns the words
// before `while` and the command after it.
func whileCommand(kind lex.Word, rest []lex.Word, example string) ([]lex.Word, CommandLine, error) {
	for i, w := range rest {
		if w.Text == "while" {
			if i == len(rest)-1 {
				return nil, CommandLine{}, &ParseError{Col: w.Col, Msg: "while needs the command that makes the traffic, e.g. " + example}
			}
			return rest[:i], newCommandLine(rest[i+1:]), nil
		}
	}
	return nil, CommandLine{}, &ParseError{Col: kind.Col, Msg: fmt.Sprintf("expect %s needs `while COMMAND` at the end, e.g. %s", kind.Text, example)}
}

const captureExample = "`expect capture @host1:br0 icmp within 3s while exec a ping -c 1 172.18.0.3`"

// parseCapture reads `capture WHERE:IFACE FILTER [and WHERE:IFACE FILTER]... within DUR while CMD...`.
func parseCapture(kind lex.Word, rest []lex.Word) (Check, error) {
	head, cmd, err := whileCommand(kind, rest, captureExample)
	if err != nil {
		return nil, err
	}
	if len(head) < 4 || head[len(head)-2].Text != "within" {
		return nil, &ParseError{Col: kind.Col, Msg: "expect capture needs WHERE:IFACE FILTER within DURATION while COMMAND, e.g. " + captureExample}
	}
	within, err := parseDuration(head[len(head)-1])
	if err != nil {
		return nil, err
	}
	c := &captureCheck{within: within, args: cmd}
	specs, err := captureSpecs.split(kind, head[:len(head)-2])
	for _, spec := range specs {
		t, err := parseTap(spec[0])
		if err != nil {
			return nil, err
		}
		t.filter = spec[1].Text
		c.taps = append(c.taps, t)
	}
	return c, err
}

// andSpecs are the specs of an expectation that takes several, joined by `and`: n
// words each; what names one, need says what one needs, example shows two joined.
type andSpecs struct {
	n                   int
	what, need, example string
}

var (
	captureSpecs = andSpecs{2, "capture", "each capture needs WHERE:IFACE and a filter (quote a filter with blanks), e.g. @host1:br0 \"icmp or arp\"", "@host1:br0 icmp and @host1:eth0 icmp"}
	counterSpecs = andSpecs{4, "counter", "each counter needs @HOST TABLE CHAIN MATCH (MATCH \"\" counts every rule of the chain)", "@host1 nat SEP-1 \"\" and @host1 nat SEP-2 \"\""}
)

// split cuts words into specs; the specs before a bad one come with the error.
func (a andSpecs) split(kind lex.Word, words []lex.Word) ([][]lex.Word, error) {
	var specs [][]lex.Word
	for len(words) > 0 {
		if len(words) < a.n {
			return specs, &ParseError{Col: words[0].Col, Msg: a.need}
		}
		specs, words = append(specs, words[:a.n]), words[a.n:]
		if len(words) == 0 {
			break
		}
		if words[0].Text != "and" {
			return specs, &ParseError{Col: words[0].Col, Msg: fmt.Sprintf("join %ss with `and`: %s", a.what, a.example)}
		}
		if words = words[1:]; len(words) == 0 {
			return specs, &ParseError{Col: kind.Col, Msg: fmt.Sprintf("a %s is missing after `and`", a.what)}
		}
	}
	return specs, nil
}

// parseTap reads WHERE:IFACE; IFACE may be a $(...) filled in when the step runs.
func parseTap(w lex.Word) (tap, error) {
	placeText, iface, ok := strings.Cut(w.Text, ":")
	var line *CommandLine
	if len(w.Subs) > 0 && ok {
		at := len(placeText) + 1
		subs := make([]lex.Subst, len(w.Subs))
		for i, s := range w.Subs {
			if s.At < at {
				return tap{}, &ParseError{Col: w.Col, Msg: "only the interface of WHERE:IFACE may be a $(...): write the place as it is, e.g. @host1:$(...)"}
			}
			subs[i] = lex.Subst{At: s.At - at, Args: s.Args}
		}
		cl := newCommandLine([]lex.Word{{Text: iface, Subs: subs}})
		line = &cl
	}
	if !ok || (iface == "" && line == nil) {
		return tap{}, &ParseError{Col: w.Col, Msg: fmt.Sprintf("%q is not WHERE:IFACE: write e.g. @host1:br0 or web:eth0", w.Text)}
	}
	place, err := parsePlace(lex.Word{Text: placeText, Col: w.Col})
	if err != nil {
		return tap{}, err
	}
	return tap{place: place, iface: iface, ifaceLine: line}, nil
}

const counterExample = "`expect counter @host1 nat PREROUTING DNAT grows while host exec outside wget -qO- 198.51.100.1:8080`"

// parseCounter reads `counter @HOST TABLE CHAIN MATCH [and @HOST TABLE CHAIN MATCH]... grows while CMD...`.
func parseCounter(kind lex.Word, rest []lex.Word) (Check, error) {
	head, cmd, err := whileCommand(kind, rest, counterExample)
	if err != nil {
		return nil, err
	}
	if len(head) < 5 || (head[len(head)-1].Text != "grows" && head[len(head)-1].Text != "grow") {
		return nil, &ParseError{Col: kind.Col, Msg: "expect counter needs @HOST TABLE CHAIN MATCH grows while COMMAND (MATCH \"\" counts every rule of the chain), e.g. " + counterExample}
	}
	c := &counterCheck{args: cmd}
	specs, err := counterSpecs.split(kind, head[:len(head)-1])
	for _, spec := range specs {
		place, err := parsePlace(spec[0])
		if err != nil {
			return nil, err
		}
		if !place.Host {
			return nil, &ParseError{Col: spec[0].Col, Msg: "iptables counters live on a lab host: write @HOST, e.g. @host1"}
		}
		switch spec[1].Text {
		case "filter", "nat", "mangle", "raw":
		default:
			return nil, &ParseError{Col: spec[1].Col, Msg: fmt.Sprintf("%q is not an iptables table: use filter, nat, mangle or raw", spec[1].Text)}
		}
		c.rules = append(c.rules, ruleMatch{place: place, table: spec[1].Text, chain: spec[2].Text, match: spec[3].Text})
	}
	return c, err
}

// parseCPU reads `cpu CONTAINER below|above N% for DUR`.
func parseCPU(kind lex.Word, rest []lex.Word) (Check, error) {
	const form = "expect cpu needs CONTAINER below|above PERCENT% for DURATION, e.g. `expect cpu busy below 55% for 3s`"
	if len(rest) != 5 || rest[3].Text != "for" {
		return nil, &ParseError{Col: kind.Col, Msg: form}
	}
	place, err := parsePlace(rest[0])
	if err != nil {
		return nil, err
	}
	if place.Host {
		return nil, &ParseError{Col: rest[0].Col, Msg: "cpu is measured for a container: write its name, not @HOST"}
	}
	if rest[1].Text != "below" && rest[1].Text != "above" {
		return nil, &ParseError{Col: rest[1].Col, Msg: form}
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(rest[2].Text, "%"), 64)
	if err != nil || !strings.HasSuffix(rest[2].Text, "%") || pct <= 0 || pct > 100*1024 {
		return nil, &ParseError{Col: rest[2].Col, Msg: fmt.Sprintf("%q is not a percentage of one CPU: write e.g. 55%%", rest[2].Text)}
	}
	d, err := parseDuration(rest[4])
	if err != nil {
		return nil, err
	}
	return &cpuCheck{container: place.Name, above: rest[1].Text == "above", percent: pct, window: d}, nil
}
