package filter

import (
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"workbench/testutil"
)

// TestCompileIPv4AgreesWithBPF checks that the IPv4 alternatives keep exactly the IPv4
// packets the BPF program keeps, for every cross-checked expression.
func TestCompileIPv4AgreesWithBPF(t *testing.T) {
	pkts := samplePackets(t)
	for _, expr := range crossChecked {
		if strings.Contains(expr, "ether") {
			continue
		}
		alts, err := CompileIPv4(expr)
		if err != nil {
			t.Errorf("CompileIPv4(%q): %v", expr, err)
			continue
		}
		prog, _ := Compile(expr, DefaultSnaplen)
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pkts {
			if p[12] != 0x08 || p[13] != 0x00 {
				continue // not IPv4
			}
			n, _ := vm.Run(p)
			if got, want := Match(alts, p[offIPHeader:]), n > 0; got != want {
				t.Errorf("%q on packet %d: IPv4 alternatives say %v, BPF says %v", expr, i+1, got, want)
			}
		}
	}
}

func TestCompileIPv4RefusesLinkLayer(t *testing.T) {
	for _, expr := range []string{"ether host 02:42:ac:12:00:02", "vlan 10", "vlan"} {
		if _, err := CompileIPv4(expr); err == nil || !strings.Contains(err.Error(), "link-layer") {
			t.Errorf("CompileIPv4(%q) = %v, want a link-layer error", expr, err)
		}
	}
	if alts, err := CompileIPv4("arp or ip6"); err != nil || len(alts) != 0 {
		t.Errorf("arp or ip6: %v %v, want no alternative", alts, err)
	}
	long := strings.Repeat("(port 1 or port 2) and ", 6) + "tcp"
	if _, err := CompileIPv4(long); err == nil || !strings.Contains(err.Error(), "simplify") {
		t.Errorf("a filter of many alternatives: %v, want an error that says to simplify", err)
	}
}

func FuzzCompileIPv4(f *testing.F) {
	testutil.Seed(f, crossChecked...)
	pkts := samplePackets(f)
	f.Fuzz(func(t *testing.T, expr string) {
		alts, err := CompileIPv4(expr)
		if err != nil {
			return
		}
		for _, p := range pkts {
			Match(alts, p[offIPHeader:])
		}
	})
}
