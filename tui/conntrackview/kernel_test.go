package conntrackview

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"workbench/tui/panetest"
)

// TestKernelSourceReadsTheDNAT reads the conntrack tables of a test instance after
// outside connected to a published port: host1's holds the connection, DNATed, with
// the reply tuple coming from the container. (outside tracks nothing: no rule there
// asks for connection tracking.)
func TestKernelSourceReadsTheDNAT(t *testing.T) {
	inst := panetest.WebLab(t)
	panetest.VisitWeb(t)
	tables, err := KernelSource{Inst: inst}.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byHost := map[string]Table{}
	for _, tb := range tables {
		byHost[tb.Host] = tb
	}
	if _, ok := byHost["real"]; ok {
		t.Error("the machine's own table is read")
	}
	find := func(host string) *Entry {
		for _, e := range byHost[host].Entries {
			if e.Proto == "tcp" && e.Original.DstPort == 8080 && e.Original.Src == netip.MustParseAddr("198.51.100.100") {
				return &e
			}
		}
		t.Errorf("%s has no entry of the connection to 8080: %+v", host, byHost[host])
		return nil
	}
	if e := find("host1"); e != nil {
		if !e.DNAT || e.SNAT || e.Reply.SrcPort != 80 || !strings.HasPrefix(e.Reply.Src.String(), "172.18.0.") || e.State == "" {
			t.Errorf("host1's entry: %+v, want DNAT to 172.18.0.x:80 with a TCP state", *e)
		}
	}
	if _, ok := byHost["outside"]; !ok {
		t.Errorf("outside's table is not read: %+v", tables)
	}
}
