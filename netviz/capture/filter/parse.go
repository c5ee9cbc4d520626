// Package filter compiles capture filters written in tcpdump's vocabulary (host, net,
// port, src/dst, ip, ip6, arp, tcp, udp, icmp, icmp6, vlan, ether host, and/or/not,
// parentheses, and relations on header bytes such as icmp[icmptype] = icmp-echo) to
// classic BPF for SO_ATTACH_FILTER, so that the kernel drops what the
// filter rejects before it reaches the capture ring.
package filter

import (
	"fmt"
	"strings"
)

// parser turns tokens into a tree of BPF tests.
type parser struct {
	toks []token
	pos  int
	end  int    // column just past the expression, for "end of filter" errors
	last *quals // qualifiers of the last primitive, reused by a bare value ("port 80 or 53")
}

// quals are the qualifiers of a primitive: "tcp dst port" is {tcp, dst, port}.
type quals struct{ proto, dir, kind string }

var (
	protoWords = map[string]bool{"ether": true, "ip": true, "ip6": true, "arp": true, "tcp": true, "udp": true, "icmp": true, "icmp6": true, "vlan": true}
	dirWords   = map[string]bool{"src": true, "dst": true}
	kindWords  = map[string]bool{"host": true, "net": true, "port": true}
)

const primitiveHelp = "a primitive (host, net, port, src, dst, ether, ip, ip6, arp, tcp, udp, icmp, icmp6, vlan), \"not\" or \"(\""

// parse parses a whole expression; an empty expression gives a nil tree (accept all).
func parse(expr string) (node, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, end: len(expr) + 1}
	if len(toks) == 0 {
		return nil, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t, ok := p.peek(); ok {
		return nil, &Error{Col: t.col, Msg: fmt.Sprintf("expected \"and\", \"or\" or the end of the filter, found %q", t.text)}
	}
	return n, nil
}

func (p *parser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{text: eofText, col: p.end}, false
}

func (p *parser) next() (token, bool) {
	t, ok := p.peek()
	if ok {
		p.pos++
	}
	return t, ok
}

// errExpected reports what was expected at the current token.
func (p *parser) errExpected(what string) error {
	t, ok := p.peek()
	if !ok {
		return &Error{Col: t.col, Msg: "expected " + what + ", found the end of the filter"}
	}
	return &Error{Col: t.col, Msg: fmt.Sprintf("expected %s, found %q", what, t.text)}
}

func (p *parser) or() (node, error) {
	return p.joined("or", p.and, func(a, b node) node { return orNode{a, b} })
}

func (p *parser) and() (node, error) {
	return p.joined("and", p.unary, func(a, b node) node { return andNode{a, b} })
}

// joined parses operands joined by word ("and", "or"), grouped from the left.
func (p *parser) joined(word string, operand func() (node, error), join func(a, b node) node) (node, error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		if t, ok := p.peek(); !ok || t.text != word {
			return left, nil
		}
		p.pos++
		right, err := operand()
		if err != nil {
			return nil, err
		}
		left = join(left, right)
	}
}

func (p *parser) unary() (node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.errExpected(primitiveHelp)
	}
	switch t.text {
	case "not":
		p.pos++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case "(":
		p.pos++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if t, ok := p.peek(); !ok || t.text != ")" {
			return nil, p.errExpected("\")\"")
		}
		p.pos++
		return x, nil
	}
	return p.primitive()
}

// primitive parses [proto] [src|dst] [host|net|port] [value], or a bare value that
// reuses the qualifiers of the primitive before it.
func (p *parser) primitive() (node, error) {
	start, _ := p.peek()
	var q quals
	if t, _ := p.peek(); protoWords[t.text] {
		q.proto = t.text
		p.pos++
		if t, _ := p.peek(); t.text == "[" {
			return p.relation(q.proto, start)
		}
	}
	if t, _ := p.peek(); dirWords[t.text] {
		q.dir = t.text
		p.pos++
	}
	if t, _ := p.peek(); kindWords[t.text] {
		q.kind = t.text
		p.pos++
	}
	if q == (quals{}) {
		if !isValue(start.text) {
			return nil, p.errExpected(primitiveHelp)
		}
		if p.last == nil {
			return nil, &Error{Col: start.col, Msg: fmt.Sprintf("%q needs a qualifier before it: write \"host %s\", \"net %s\" or \"port %s\"", start.text, start.text, start.text, start.text)}
		}
		q = *p.last
	}
	if q.dir == "" && q.kind == "" {
		return p.protocol(q.proto, start)
	}
	if q.kind == "" {
		q.kind = "host"
	}
	v, ok := p.next()
	if !ok || !isValue(v.text) {
		p.pos -= boolToInt(ok)
		return nil, p.errExpected(valueHelp(q.kind))
	}
	p.last = &q
	n, err := qualified(q, v.text)
	if err != nil {
		return nil, &Error{Col: v.col, Msg: err.Error()}
	}
	return n, nil
}

// protocol is a protocol on its own ("tcp", "arp", "vlan 100").
func (p *parser) protocol(proto string, at token) (node, error) {
	switch proto {
	case "ether":
		return nil, p.errExpected("\"host\", \"src\" or \"dst\" after \"ether\"")
	case "vlan":
		if t, ok := p.peek(); ok && isValue(t.text) {
			p.pos++
			id, err := parseNumber(t.text, 4095)
			if err != nil {
				return nil, &Error{Col: t.col, Msg: "vlan ID: " + err.Error()}
			}
			return vlanID(id), nil
		}
	}
	n, ok := protoNode(proto)
	if !ok {
		return nil, &Error{Col: at.col, Msg: "expected " + primitiveHelp}
	}
	return n, nil
}

func valueHelp(kind string) string {
	switch kind {
	case "net":
		return "a network such as 172.18.0.0/16"
	case "port":
		return "a port number (0-65535) or name"
	}
	return "an IP or MAC address"
}

// isValue tells a value (address, number, network) from a keyword.
func isValue(s string) bool {
	if s == "" || strings.ContainsAny(s[:1], "()[]=!<>&") || s == "and" || s == "or" || s == "not" {
		return false
	}
	if protoWords[s] || dirWords[s] || kindWords[s] {
		return false
	}
	return s[0] >= '0' && s[0] <= '9' || strings.ContainsAny(s, ":.") || servicePorts[s] != 0
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
