package network

import (
	"context"
	"strings"
	"testing"
)

func TestBadInputSaysWhatToDo(t *testing.T) {
	m, inst := newLab(t)
	ctx := context.Background()
	if _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "tiny", Subnet: "172.30.0.0/30"}); err != nil {
		t.Fatal(err)
	}
	a, b := newSandbox(t, inst, "a"), newSandbox(t, inst, "b")
	first, err := m.Attach(ctx, AttachRequest{ContainerID: "a", Network: "tiny", NetnsPath: a})
	if err != nil {
		t.Fatal(err)
	}
	host1 := inst.HostNetnsPath(DefaultHost)
	linksBefore := linkNames(inNs(t, host1, "ip", "-o", "link"))
	rulesBefore := inNs(t, host1, "iptables-save")
	for _, c := range []struct {
		what string
		do   func() error
		want string
	}{
		{"bad CIDR", func() error {
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Subnet: "172.40.0.0/33"})
			return err
		}, "not an IPv4 CIDR"},
		{"host bits", func() error {
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Subnet: "172.40.0.1/16"})
			return err
		}, "host bits"},
		{"overlap", func() error {
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Subnet: "172.18.5.0/24"})
			return err
		}, "overlaps network bridge"},
		{"machine's range", func() error {
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Subnet: "192.0.2.0/25"})
			return err
		}, "the machine's own network"},
		{"gateway outside", func() error {
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Subnet: "172.40.0.0/16", Gateway: "172.41.0.1"})
			return err
		}, "outside subnet"},
		{"bad driver", func() error { _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Driver: "macvlan"}); return err }, "driver"},
		{"bad crosshost", func() error { _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", CrossHost: "ipip"}); return err }, "host-gw, vxlan or gre"},
		{"name too long", func() error { _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "averyverylongname"}); return err }, "15 characters"},
		{"duplicate", func() error { _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "tiny"}); return err }, "already exists"},
		{"unknown host", func() error { _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "x", Host: "host9"}); return err }, "unknown host"},
		{"unknown network", func() error {
			_, err := m.Attach(ctx, AttachRequest{ContainerID: "b", Network: "nope", NetnsPath: b})
			return err
		}, "unknown network"},
		{"pool exhausted", func() error {
			_, err := m.Attach(ctx, AttachRequest{ContainerID: "b", Network: "tiny", NetnsPath: b})
			return err
		}, "no free address"},
		{"--ip outside", func() error {
			_, err := m.Attach(ctx, AttachRequest{ContainerID: "b", NetnsPath: b, IP: "10.0.0.5"})
			return err
		}, "outside network bridge"},
		{"--ip taken", func() error {
			_, err := m.Attach(ctx, AttachRequest{ContainerID: "b", Network: "tiny", NetnsPath: b, IP: addrOf(first.IP)})
			return err
		}, "taken"},
		{"host port taken", func() error {
			if _, err := m.Publish(ctx, first, []PortSpec{{HostPort: 9000, ContainerPort: 80, Proto: "tcp"}}); err != nil {
				return err
			}
			_, err := m.Publish(ctx, first, []PortSpec{{HostPort: 9000, ContainerPort: 81, Proto: "tcp"}})
			return err
		}, "already published"},
		{"bad protocol", func() error {
			_, err := m.Publish(ctx, first, []PortSpec{{HostPort: 9001, ContainerPort: 80, Proto: "sctp"}})
			return err
		}, "tcp or udp"},
		{"port out of range", func() error {
			_, err := m.Publish(ctx, first, []PortSpec{{HostPort: 70000, ContainerPort: 80, Proto: "tcp"}})
			return err
		}, "out of range"},
		{"foreign host address", func() error {
			_, err := m.Publish(ctx, first, []PortSpec{{HostIP: "198.51.100.7", HostPort: 9002, ContainerPort: 80, Proto: "tcp"}})
			return err
		}, "not an address of host host1"},
		{"rm in use", func() error { return m.RemoveNetwork(ctx, "tiny") }, "in use"},
		{"rm default", func() error { return m.RemoveNetwork(ctx, DefaultNetwork) }, "default network"},
		{"rm host1", func() error { return m.RemoveHost(ctx, DefaultHost) }, "part of the lab"},
		{"bad host name", func() error { _, err := m.AddHost(ctx, "Host_2"); return err }, "host name"},
	} {
		err := c.do()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.what, err, c.want)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is more than one line: %q", c.what, err)
		}
	}
	if err := m.Unpublish(ctx, []PortBinding{{Host: DefaultHost, HostPort: 9000, ContainerIP: addrOf(first.IP), ContainerPort: 80, Proto: "tcp"}}); err != nil {
		t.Fatal(err)
	}
	if got := linkNames(inNs(t, host1, "ip", "-o", "link")); got != linksBefore {
		t.Errorf("failed commands left links behind:\nbefore %s\nafter %s", linksBefore, got)
	}
	if got := inNs(t, host1, "iptables-save"); stripCounters(got) != stripCounters(rulesBefore) {
		t.Errorf("failed commands left rules behind:\nbefore %s\nafter %s", rulesBefore, got)
	}
}

// stripCounters drops iptables-save's header and counters, which change on their own.
func stripCounters(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, ":") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// linkNames keeps the names of `ip -o link` lines, not their state, which changes on
// its own as carriers come up.
func linkNames(s string) string {
	var names []string
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			names = append(names, f[1])
		}
	}
	return strings.Join(names, " ")
}
