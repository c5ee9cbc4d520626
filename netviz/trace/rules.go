package trace

import (
	"encoding/binary"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/google/nftables/userdata"

	"workbench/netviz/capture/filter"
)

// How a namespace is armed. One table of the trace's own holds five base chains, one
// per IPv4 hook. Those of PREROUTING and OUTPUT run just after connection tracking,
// and set nftrace on the packets to follow:
//   - the packets the filter matches (or, for a probe, those sent with probeBaton as
//     their priority);
//   - the first packet of every connection of the filter's protocols: NAT may have
//     changed the addresses and ports the filter names, and the kernel forgets
//     nftrace when a packet crosses a veth pair, so a packet that comes from a traced
//     namespace must be traced again here without being recognisable; the journey's
//     assembly keeps only those that continue a matched packet;
//   - every packet of a connection that carried a traced packet (a conntrack label),
//     so that replies are traced too.
// Each marking rule ends with accept, which ends the trace table's chain (not the
// hook: the other tables' chains still run), so that a packet is reported once there.
// The chains of INPUT and POSTROUTING run last and hold no rule: the policy event
// they give shows that the packet got there, and its header after NAT. FORWARD needs
// none: the route and the output interface are known by POSTROUTING.

// Chain priorities: just after conntrack for the marking chains, after every other
// table (NAT included) for the others.
const (
	priorityMark = -190
	priorityLast = 500
)

// traceLabel is the conntrack label of connections that carried a traced packet.
const traceLabel = 127

// probeBaton is the priority (skb->priority) probes are sent with: the marking chain
// of OUTPUT traces what carries it. Its low bits are 0, the band pfifo_fast gives a
// priority of 0.
const probeBaton = 0x57420000

// commentPrefix starts the comment of every trace rule and the name of every trace
// table, so that they are recognised as the workbench's.
const commentPrefix = "workbench trace"

// hookChain is one base chain of the trace table.
type hookChain struct {
	name     string
	hook     *nftables.ChainHook
	priority int32
	mark     bool
}

// hookChains are the chains, named after their hooks as iptables names its own.
var hookChains = []hookChain{
	{"PREROUTING", nftables.ChainHookPrerouting, priorityMark, true},
	{"INPUT", nftables.ChainHookInput, priorityLast, false},
	{"OUTPUT", nftables.ChainHookOutput, priorityMark, true},
	{"POSTROUTING", nftables.ChainHookPostrouting, priorityLast, false},
}

// Marking is what the marking chains trace.
type Marking struct {
	// Filter are the alternatives of the filter (filter.CompileIPv4); nil for a probe.
	Filter [][]filter.IPv4Test
	// Probe traces the packets sent with the probe's priority.
	Probe bool
	// Protocols are the IP protocols whose new connections are traced for the
	// assembly to sort out; an empty list means every protocol.
	Protocols []byte
}

// markRules are the expressions of each rule of a marking chain.
func (m Marking) markRules(output bool) [][]expr.Any {
	var rules [][]expr.Any
	rules = append(rules, append(ctLabelIsSet(), setTrace()...))
	for _, alt := range m.Filter {
		var r []expr.Any
		for _, t := range alt {
			r = append(r, testExprs(t)...)
		}
		rules = append(rules, append(r, traceAndLabel()...))
	}
	if m.Probe && output {
		rules = append(rules, append(cmpMeta(expr.MetaKeyPRIORITY, be(probeBaton, 4), true), traceAndLabel()...))
	}
	if len(m.Protocols) == 0 {
		rules = append(rules, append(ctStateNew(), traceAndLabel()...))
	}
	for _, p := range m.Protocols {
		r := []expr.Any{
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 9, Len: 1},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{p}},
		}
		rules = append(rules, append(append(r, ctStateNew()...), traceAndLabel()...))
	}
	return rules
}

// testExprs loads, masks and compares as one filter test says.
func testExprs(t filter.IPv4Test) []expr.Any {
	base := expr.PayloadBaseNetworkHeader
	if t.Transport {
		base = expr.PayloadBaseTransportHeader
	}
	n := uint32(t.Size)
	out := []expr.Any{&expr.Payload{DestRegister: 1, Base: base, Offset: t.Offset, Len: n}}
	mask, value := t.Mask, t.Value
	if t.BitsSet {
		mask, value = t.Value, 0
	}
	if mask != 0 {
		out = append(out, &expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: n, Mask: be(mask, t.Size), Xor: make([]byte, n)})
	}
	op := expr.CmpOpEq
	if t.Not != t.BitsSet { // bits set is "masked value != 0"
		op = expr.CmpOpNeq
	}
	// Big-endian bytes compare as the unsigned numbers they are.
	switch t.Order {
	case "<":
		op = expr.CmpOpLt
	case ">":
		op = expr.CmpOpGt
	case "<=":
		op = expr.CmpOpLte
	case ">=":
		op = expr.CmpOpGte
	}
	return append(out, &expr.Cmp{Op: op, Register: 1, Data: be(value, t.Size)})
}

// be writes v in n big-endian bytes.
func be(v uint32, n int) []byte {
	b := binary.BigEndian.AppendUint32(nil, v)
	return b[4-n:]
}

func cmpMeta(key expr.MetaKey, data []byte, native bool) []expr.Any {
	if native {
		data = binary.NativeEndian.AppendUint32(nil, binary.BigEndian.Uint32(data))
	}
	return []expr.Any{&expr.Meta{Key: key, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: data}}
}

// labelBits is the 16-byte label set with only traceLabel in it.
func labelBits() []byte {
	b := make([]byte, 16)
	b[traceLabel/8] = 1 << (traceLabel % 8)
	return b
}

func ctLabelIsSet() []expr.Any {
	return []expr.Any{
		&expr.Ct{Key: expr.CtKeyLABELS, Register: 1},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 16, Mask: labelBits(), Xor: make([]byte, 16)},
		&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: make([]byte, 16)},
	}
}

func ctStateNew() []expr.Any {
	return []expr.Any{
		&expr.Ct{Key: expr.CtKeySTATE, Register: 1},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4, Mask: binary.NativeEndian.AppendUint32(nil, expr.CtStateBitNEW), Xor: make([]byte, 4)},
		&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: make([]byte, 4)},
	}
}

func setTrace() []expr.Any {
	return []expr.Any{
		&expr.Immediate{Register: 1, Data: []byte{1}},
		&expr.Meta{Key: expr.MetaKeyNFTRACE, SourceRegister: true, Register: 1},
		&expr.Verdict{Kind: expr.VerdictAccept},
	}
}

// traceAndLabel labels the packet's connection and sets nftrace.
func traceAndLabel() []expr.Any {
	return append([]expr.Any{
		&expr.Immediate{Register: 1, Data: labelBits()},
		&expr.Ct{Key: expr.CtKeyLABELS, SourceRegister: true, Register: 1},
	}, setTrace()...)
}

// comment is a rule's user data holding the comment text.
func comment(text string) []byte {
	return userdata.AppendString(nil, userdata.TypeComment, text)
}

// ipFamily is the family of the trace table: the lab is IPv4.
const ipFamily = nftables.TableFamilyIPv4

// tableOwner is NFT_TABLE_F_OWNER: the table belongs to the netlink socket that made
// it, and the kernel removes it when that socket closes, however the process ends.
const tableOwner = 0x2
