package trace

import (
	"encoding/binary"
	"testing"
	"time"
)

// attr encodes one netlink attribute.
func attr(typ uint16, v []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(v)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func be32b(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// sampleTrace is an NFT_MSG_TRACE body as the kernel sends it: the DNAT rule of a
// published port met by a TCP SYN from outside.
func sampleTrace() []byte {
	ip := []byte{0x45, 0, 0, 60, 0xc0, 0x63, 0x40, 0, 64, 6, 0, 0, 198, 51, 100, 100, 198, 51, 100, 1}
	tcp := []byte{0xc0, 0x1c, 0x1f, 0x90, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0xfa, 0xf0}
	verdict := append(attr(verdictCode, be32b(uint32(verdictAccept))), attr(verdictChain, []byte("WB-DNAT\x00"))...)
	b := []byte{2, 0, 0, 0}
	b = append(b, attr(attrTable, []byte("nat\x00"))...)
	b = append(b, attr(attrChain, []byte("WB-DNAT\x00"))...)
	b = append(b, attr(attrHandle, binary.BigEndian.AppendUint64(nil, 12))...)
	b = append(b, attr(attrType, be32b(TypeRule))...)
	b = append(b, attr(attrVerdict|nlaNested, verdict)...)
	b = append(b, attr(attrID, be32b(0xcd8fbd37))...)
	b = append(b, attr(attrNetwork, ip)...)
	b = append(b, attr(attrTransport, tcp)...)
	b = append(b, attr(attrIIF, be32b(2))...)
	return b
}

func TestDecodeEvent(t *testing.T) {
	e, err := DecodeEvent(sampleTrace())
	if err != nil {
		t.Fatal(err)
	}
	if e.Table != "nat" || e.Chain != "WB-DNAT" || e.Handle != 12 || e.Type != TypeRule || e.Verdict != verdictAccept || e.ID != 0xcd8fbd37 || e.IIF != 2 || e.OIF != 0 {
		t.Fatalf("decoded %+v", e)
	}
	h, ok := parseHeader(e.Network, e.Transport)
	if !ok || h.String() != "198.51.100.100:49180 -> 198.51.100.1:8080 tcp [S] seq 1" || h.ID != 0xc063 || h.TTL != 64 {
		t.Fatalf("header %v %+v", ok, h)
	}
	if verdictText(e) != "ACCEPT" {
		t.Errorf("verdict %q", verdictText(e))
	}
	if _, err := DecodeEvent([]byte{2, 0, 0, 0, 200, 0, 1, 0}); err == nil {
		t.Error("an attribute longer than the message was accepted")
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add(sampleTrace())
	f.Add([]byte{2, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEvent(b)
		if err == nil {
			parseHeader(e.Network, e.Transport)
		}
	})
}

// BenchmarkDecodeEvent decodes trace events with their headers, as the reader does for
// each one the kernel sends.
func BenchmarkDecodeEvent(b *testing.B) {
	msg := sampleTrace()
	b.ReportAllocs()
	start := time.Now()
	n := max(b.N, 200000)
	for i := 0; i < n; i++ {
		e, _ := DecodeEvent(msg)
		parseHeader(e.Network, e.Transport)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
}
