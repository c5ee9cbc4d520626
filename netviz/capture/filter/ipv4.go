package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// IPv4Test is one comparison on an IPv4 packet as netfilter's IPv4 hooks see it (no
// link-layer header): the Size bytes (1, 2 or 4, big-endian) at Offset from the start
// of the IP header, or of the transport header when Transport is set, masked with Mask
// when it is not 0, are equal to Value, or with BitsSet have a bit of Value set, or
// with Order compare with Value as unsigned numbers ("<", ">", "<=" or ">="). Not
// negates the test.
type IPv4Test struct {
	Transport bool   `json:"transport,omitempty"`
	Offset    uint32 `json:"offset"`
	Size      int    `json:"size"`
	Mask      uint32 `json:"mask,omitempty"`
	Value     uint32 `json:"value"`
	BitsSet   bool   `json:"bitsSet,omitempty"`
	Order     string `json:"order,omitempty"`
	Not       bool   `json:"not,omitempty"`
}

// orders are the ordered comparisons of BPF's jumps, and each one's negation.
var orders = map[bpf.JumpTest]string{
	bpf.JumpLessThan: "<", bpf.JumpGreaterThan: ">", bpf.JumpLessOrEqual: "<=", bpf.JumpGreaterOrEqual: ">=",
}

var negatedOrder = map[string]string{"<": ">=", ">=": "<", ">": "<=", "<=": ">"}

// maxClauses bounds the alternatives an expression may expand to.
const maxClauses = 64

// CompileIPv4 compiles a tcpdump-style expression into alternatives for IPv4 packets:
// a packet matches when every test of one alternative holds. No alternative means no
// IPv4 packet can match; one empty alternative means every one does. Primitives of
// other protocols (arp, ip6) match no IPv4 packet; those of the link layer (ether
// host, vlan) are refused, since an IPv4 hook has no link-layer header to test.
func CompileIPv4(expr string) ([][]IPv4Test, error) {
	tree, err := parse(expr)
	if err != nil {
		return nil, err
	}
	if tree == nil {
		return [][]IPv4Test{{}}, nil
	}
	return alternatives(tree, false)
}

// Match tells whether an IPv4 packet (its IP header with what follows) passes the
// alternatives. A test that reads past the packet fails.
func Match(alts [][]IPv4Test, packet []byte) bool {
	for _, alt := range alts {
		ok := true
		for _, t := range alt {
			if !t.holds(packet) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// holds evaluates one test on a packet.
func (t IPv4Test) holds(p []byte) bool {
	off := int(t.Offset)
	if t.Transport {
		if len(p) < 20 {
			return false
		}
		off += int(p[0]&0x0f) * 4
	}
	if off+t.Size > len(p) {
		return false
	}
	var v uint32
	for _, b := range p[off : off+t.Size] {
		v = v<<8 | uint32(b)
	}
	if t.Mask != 0 {
		v &= t.Mask
	}
	r := v == t.Value
	switch {
	case t.BitsSet:
		r = v&t.Value != 0
	case t.Order == "<":
		r = v < t.Value
	case t.Order == ">":
		r = v > t.Value
	case t.Order == "<=":
		r = v <= t.Value
	case t.Order == ">=":
		r = v >= t.Value
	}
	return r != t.Not
}

// alternatives expands a tree (negated when neg) into a disjunction of conjunctions.
func alternatives(n node, neg bool) ([][]IPv4Test, error) {
	switch n := n.(type) {
	case notNode:
		return alternatives(n.x, !neg)
	case andNode, orNode:
		var a, b node
		isAnd := false
		if x, ok := n.(andNode); ok {
			a, b, isAnd = x.a, x.b, true
		} else {
			x := n.(orNode)
			a, b = x.a, x.b
		}
		l, err := alternatives(a, neg)
		if err != nil {
			return nil, err
		}
		r, err := alternatives(b, neg)
		if err != nil {
			return nil, err
		}
		if isAnd != neg { // a and b, or not (a or b)
			return product(l, r)
		}
		return bounded(append(l, r...))
	case atom:
		return atomTest(n, neg)
	}
	return nil, fmt.Errorf("filter: unknown node %T", n)
}

// product is every alternative of l joined with every one of r.
func product(l, r [][]IPv4Test) ([][]IPv4Test, error) {
	var out [][]IPv4Test
	for _, a := range l {
		for _, b := range r {
			out = append(out, append(append([]IPv4Test{}, a...), b...))
		}
	}
	return bounded(out)
}

func bounded(alts [][]IPv4Test) ([][]IPv4Test, error) {
	if len(alts) > maxClauses {
		return nil, fmt.Errorf("filter: the expression expands to more than %d alternatives for the IPv4 hooks: simplify it", maxClauses)
	}
	return alts, nil
}

// Constant results of a test: always true is one empty alternative, never is none.
var (
	alwaysTrue  = [][]IPv4Test{{}}
	alwaysFalse = [][]IPv4Test{}
)

// atomTest turns one test on an Ethernet frame into one on the IPv4 packet inside.
func atomTest(a atom, neg bool) ([][]IPv4Test, error) {
	constant := func(v bool) ([][]IPv4Test, error) {
		if v != neg {
			return alwaysTrue, nil
		}
		return alwaysFalse, nil
	}
	t := IPv4Test{Mask: a.mask, Value: a.val, Not: neg}
	if a.mask == ^uint32(0) {
		t.Mask = 0
	}
	switch a.cond {
	case bpf.JumpEqual:
	case bpf.JumpNotEqual:
		t.Not = !t.Not
	case bpf.JumpBitsSet:
		t.BitsSet = true
	default:
		order, ok := orders[a.cond]
		if !ok {
			return nil, fmt.Errorf("filter: a test the IPv4 hooks cannot make")
		}
		t.Order = order
		if t.Not {
			t.Order, t.Not = negatedOrder[order], false
		}
	}
	switch l := a.load.(type) {
	case bpf.LoadConstant:
		return constant(l.Val == a.val)
	case bpf.LoadAbsolute:
		switch {
		case l.Off == offEtherType:
			return constant(a.val == etherIPv4)
		case l.Off < offIPHeader:
			return nil, fmt.Errorf("filter: \"ether\" tests the link-layer header, which the IPv4 hooks do not see: use host, net, port or a protocol")
		}
		t.Offset, t.Size = l.Off-offIPHeader, l.Size
	case bpf.LoadIndirect:
		t.Transport, t.Offset, t.Size = true, l.Off-offIPHeader, l.Size
	default:
		return nil, fmt.Errorf("filter: \"vlan\" tests the link-layer header, which the IPv4 hooks do not see: use host, net, port or a protocol")
	}
	return [][]IPv4Test{{t}}, nil
}
