package trace

import (
	"encoding/binary"
	"fmt"
)

// Event is one nftables trace event: a traced packet met a rule, the end of a chain or
// the policy of a base chain, in one network namespace.
type Event struct {
	// Table and Chain are where it happened (iptables-nft's tables are "filter",
	// "nat", "raw", "mangle"; its base chains are named after their hooks).
	Table, Chain string
	// Handle is the rule's handle in its chain, 0 for a policy or a chain's end.
	Handle uint64
	// Type is what was met: TypeRule, TypeReturn or TypePolicy.
	Type uint32
	// Verdict is the verdict code (an NF_ or NFT_ verdict; a policy's for a policy,
	// continue when the event has none); Target the chain of a jump or goto.
	Verdict int32
	Target  string
	// ID is the kernel's trace id of the packet in this namespace.
	ID uint32
	// IIF and OIF are the interface indexes the packet came in on and goes out of, 0
	// when not known at this point.
	IIF, OIF uint32
	// Network is the IP header and Transport the transport header as they were at this
	// point; they are sent with the first event of each chain only.
	Network, Transport []byte
	// Mark is the packet mark.
	Mark uint32
}

// The kinds of trace event.
const (
	TypePolicy uint32 = 1
	TypeReturn uint32 = 2
	TypeRule   uint32 = 3
)

// Verdict codes of netfilter and nftables.
const (
	verdictDrop     int32 = 0
	verdictAccept   int32 = 1
	verdictContinue int32 = -1
	verdictBreak    int32 = -2
	verdictJump     int32 = -3
	verdictGoto     int32 = -4
	verdictReturn   int32 = -5
)

// The attributes of a trace message and of its nested verdict.
const (
	attrTable     = 1
	attrChain     = 2
	attrHandle    = 3
	attrType      = 4
	attrVerdict   = 5
	attrID        = 6
	attrNetwork   = 8
	attrTransport = 9
	attrIIF       = 10
	attrOIF       = 12
	attrMark      = 14
	attrPolicy    = 16
	verdictCode   = 1
	verdictChain  = 2
	nlaNested     = 0x8000
	nlaByteOrder  = 0x4000
	nlaTypeMask   = ^uint16(nlaNested | nlaByteOrder)
)

// nfgenLen is the size of the netfilter header before a message's attributes.
const nfgenLen = 4

// DecodeEvent reads one NFT_MSG_TRACE message body (after the netlink header). The
// byte slices of the event point into msg.
func DecodeEvent(msg []byte) (Event, error) {
	e := Event{Verdict: verdictContinue}
	if len(msg) < nfgenLen {
		return e, fmt.Errorf("trace message of %d bytes is shorter than its header", len(msg))
	}
	err := eachAttr(msg[nfgenLen:], func(typ uint16, v []byte) error {
		switch typ {
		case attrTable:
			e.Table = cString(v)
		case attrChain:
			e.Chain = cString(v)
		case attrHandle:
			if len(v) != 8 {
				return fmt.Errorf("rule handle of %d bytes", len(v))
			}
			e.Handle = binary.BigEndian.Uint64(v)
		case attrType:
			e.Type = be32(v)
		case attrID:
			e.ID = be32(v)
		case attrIIF:
			e.IIF = be32(v)
		case attrOIF:
			e.OIF = be32(v)
		case attrMark:
			e.Mark = be32(v)
		case attrPolicy:
			e.Verdict = int32(be32(v))
		case attrNetwork:
			e.Network = v
		case attrTransport:
			e.Transport = v
		case attrVerdict:
			return eachAttr(v, func(typ uint16, v []byte) error {
				switch typ {
				case verdictCode:
					e.Verdict = int32(be32(v))
				case verdictChain:
					e.Target = cString(v)
				}
				return nil
			})
		}
		return nil
	})
	return e, err
}

// eachAttr calls fn for each netlink attribute of b.
func eachAttr(b []byte, fn func(typ uint16, v []byte) error) error {
	for len(b) >= 4 {
		l := int(binary.NativeEndian.Uint16(b))
		typ := binary.NativeEndian.Uint16(b[2:]) & nlaTypeMask
		if l < 4 || l > len(b) {
			return fmt.Errorf("netlink attribute %d of length %d in %d bytes", typ, l, len(b))
		}
		if err := fn(typ, b[4:l]); err != nil {
			return err
		}
		next := (l + 3) &^ 3
		if next > len(b) {
			break
		}
		b = b[next:]
	}
	return nil
}

func be32(v []byte) uint32 {
	if len(v) < 4 {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

func cString(v []byte) string {
	for i, c := range v {
		if c == 0 {
			return string(v[:i])
		}
	}
	return string(v)
}
