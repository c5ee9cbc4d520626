package network

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestAllocateRoundRobinAndStatic(t *testing.T) {
	n := &Network{Name: "n", Subnet: "10.1.0.0/29", Pool: "10.1.0.0/29", Gateway: "10.1.0.1"}
	taken := map[netip.Addr]string{}
	var got []string
	for i := 0; i < 5; i++ {
		a, err := allocate(n, taken, "")
		if err != nil {
			t.Fatal(err)
		}
		taken[a] = "c"
		got = append(got, a.String())
	}
	if want := []string{"10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("addresses %v, want %v", got, want)
	}
	if _, err := allocate(n, taken, ""); err == nil || !strings.Contains(err.Error(), "no free address") {
		t.Fatalf("a full pool gave %v", err)
	}
	delete(taken, netip.MustParseAddr("10.1.0.3"))
	if a, err := allocate(n, taken, ""); err != nil || a.String() != "10.1.0.3" {
		t.Fatalf("after a release got %v, %v", a, err)
	}
	delete(taken, netip.MustParseAddr("10.1.0.4"))
	for _, c := range []struct{ ip, want string }{{"10.1.0.4", ""}, {"10.1.0.1", "taken"}, {"10.1.0.7", "outside"}, {"10.2.0.4", "outside"}, {"x", "not an IPv4"}} {
		_, err := allocate(n, taken, c.ip)
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("--ip %s: %v, want %q", c.ip, err, c.want)
		}
	}
}

func TestUndoReversesAdditions(t *testing.T) {
	rules := []rule{
		{"filter", []string{"-N", "X"}},
		{"filter", []string{"-I", "FORWARD", "1", "-j", "X"}},
		{"nat", []string{"-A", "P", "-s", "10.0.0.0/8", "-j", "MASQUERADE"}},
		{"filter", []string{"-P", "FORWARD", "DROP"}},
	}
	want := []rule{
		{"nat", []string{"-D", "P", "-s", "10.0.0.0/8", "-j", "MASQUERADE"}},
		{"filter", []string{"-D", "FORWARD", "-j", "X"}},
		{"filter", []string{"-X", "X"}},
	}
	if got := undo(rules); !reflect.DeepEqual(got, want) {
		t.Fatalf("undo = %v, want %v", got, want)
	}
}

func TestRestoreLineQuotesComments(t *testing.T) {
	got := restoreLine([]string{"-A", "X", "-m", "comment", "--comment", `say "hi" there`, "-j", "ACCEPT"})
	if want := `-A X -m comment --comment "say 'hi' there" -j ACCEPT`; got != want {
		t.Fatalf("restoreLine = %s, want %s", got, want)
	}
}

func TestPortRulesAndHostIndexes(t *testing.T) {
	r := portRules(PortBinding{Host: "host1", HostIP: "198.51.100.1", HostPort: 8080, ContainerIP: "172.18.0.2", ContainerPort: 80, Proto: "tcp"})
	line := strings.Join(r[0].command(), " ")
	if !strings.Contains(line, "iptables -t nat -A WB-DNAT -d 198.51.100.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80") {
		t.Errorf("DNAT rule = %s", line)
	}
	s := &labState{Hosts: []*Host{{Name: "host1", Index: 1}, {Name: "outside", Index: outsideIndex}}}
	for name, want := range map[string]int{"host2": 2, "host1": 2, "db": 2, "host7": 7} {
		if got, err := hostIndex(s, name); err != nil || got != want {
			t.Errorf("hostIndex(%s) = %d, %v, want %d", name, got, err, want)
		}
	}
	if defaultSubnet(1) != "172.18.0.0/16" || defaultSubnet(2) != "172.19.0.0/16" || defaultSubnet(0) != "172.17.0.0/16" {
		t.Error("default subnets are not 172.17 (machine), 172.18 (host1), 172.19 (host2)")
	}
}
