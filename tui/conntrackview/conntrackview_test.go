package conntrackview_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/conntrackview"
	"workbench/tui/panetest"
)

// fakeSource serves made-up tables: host1 with a published port's DNAT, a container's
// MASQUERADE and a plain connection; outside with nothing translated; host2 unreadable.
type fakeSource struct{ tables []conntrackview.Table }

func (f fakeSource) Read(context.Context) ([]conntrackview.Table, error) { return f.tables, nil }

func tuple(src string, sport uint16, dst string, dport uint16) conntrackview.Tuple {
	return conntrackview.Tuple{Src: netip.MustParseAddr(src), SrcPort: sport, Dst: netip.MustParseAddr(dst), DstPort: dport}
}

func tables() []conntrackview.Table {
	return []conntrackview.Table{
		{Host: "host1", Entries: []conntrackview.Entry{
			{Proto: "tcp", State: "ESTABLISHED", DNAT: true, Timeout: 431999, Assured: true,
				Original: tuple("198.51.100.100", 41234, "198.51.100.1", 8080), Reply: tuple("172.18.0.2", 80, "198.51.100.100", 41234)},
			{Proto: "icmp", SNAT: true, Timeout: 29,
				Original: conntrackview.Tuple{Src: netip.MustParseAddr("172.18.0.3"), Dst: netip.MustParseAddr("198.51.100.100"), ICMPID: 7},
				Reply:    conntrackview.Tuple{Src: netip.MustParseAddr("198.51.100.100"), Dst: netip.MustParseAddr("198.51.100.1"), ICMPID: 7}},
			{Proto: "udp", Timeout: 12, Original: tuple("172.18.0.3", 5353, "172.18.0.2", 53), Reply: tuple("172.18.0.2", 53, "172.18.0.3", 5353)},
		}},
		{Host: "outside", Entries: []conntrackview.Entry{
			{Proto: "tcp", State: "TIME_WAIT", Timeout: 100, Original: tuple("198.51.100.100", 41234, "198.51.100.1", 8080), Reply: tuple("198.51.100.1", 8080, "198.51.100.100", 41234)},
		}},
		{Host: "host2", Err: errors.New("conntrack netlink: permission denied")},
	}
}

func loaded(w, h int) *conntrackview.Model {
	return panetest.Load(conntrackview.New(fakeSource{tables: tables()}), w, h)
}

func TestViewGolden(t *testing.T) {
	panetest.Golden(t, "conntrack", loaded)
}

// TestTranslations: the NAT translations are shown with both tuples and what changed;
// a shows every connection.
func TestTranslations(t *testing.T) {
	m := loaded(120, 60)
	v := golden.Plain(m.View())
	testutil.Contains(t, "the pane", v,
		"■ host1  connections: 3, shown: 2",
		"tcp  ESTABLISHED DNAT  destination 198.51.100.1:8080 → 172.18.0.2:80",
		"original 198.51.100.100:41234 -> 198.51.100.1:8080",
		"reply    172.18.0.2:80 -> 198.51.100.100:41234",
		"icmp             SNAT  source 172.18.0.3 → 198.51.100.1",
		"original 172.18.0.3 -> 198.51.100.100 id 7",
		"■ outside  connections: 1, shown: 0",
		"no translated connection",
		"not available: conntrack netlink: permission denied",
	)
	if strings.Contains(v, "5353") {
		t.Errorf("a connection without NAT is shown by default:\n%s", v)
	}
	panetest.Press(m, "a")
	testutil.Contains(t, "after a, which shows every connection, the pane", golden.Plain(m.View()),
		"udp              no NAT", "original 172.18.0.3:5353 -> 172.18.0.2:53", "TIME_WAIT")
}

func TestScroll(t *testing.T) {
	panetest.MoveAndBack(t, loaded(80, 6), "g", "j")
}
