package network

import (
	"errors"
	"strings"
	"testing"

	"workbench/errkind"
)

func TestBadInputSaysWhatToDo(t *testing.T) {
	m, inst := newLab(t)
	ctx := t.Context()
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
	create := func(o NetworkOptions) func() error {
		return func() error { _, err := m.CreateNetwork(ctx, o); return err }
	}
	attach := func(r AttachRequest) func() error {
		return func() error { _, err := m.Attach(ctx, r); return err }
	}
	publish := func(specs []PortSpec) func() error {
		return func() error { _, err := m.Publish(ctx, first, specs); return err }
	}
	for _, c := range []struct {
		what string
		do   func() error
		want string
	}{
		{"bad CIDR", create(NetworkOptions{Name: "x", Subnet: "172.40.0.0/33"}), "not an IPv4 CIDR"},
		{"host bits", create(NetworkOptions{Name: "x", Subnet: "172.40.0.1/16"}), "host bits"},
		{"overlap", create(NetworkOptions{Name: "x", Subnet: "172.18.5.0/24"}), "overlaps network bridge"},
		{"machine's range", create(NetworkOptions{Name: "x", Subnet: "192.0.2.0/25"}), "the machine's own network"},
		{"gateway outside", create(NetworkOptions{Name: "x", Subnet: "172.40.0.0/16", Gateway: "172.41.0.1"}), "outside subnet"},
		{"bad driver", create(NetworkOptions{Name: "x", Driver: "macvlan"}), "driver"},
		{"bad crosshost", create(NetworkOptions{Name: "x", CrossHost: "ipip"}), "host-gw, vxlan or gre"},
		{"name too long", create(NetworkOptions{Name: "averyverylongname"}), "15 characters"},
		{"duplicate", create(NetworkOptions{Name: "tiny"}), "already exists"},
		{"unknown host", create(NetworkOptions{Name: "x", Host: "host9"}), "unknown host"},
		{"unknown network", attach(AttachRequest{ContainerID: "b", Network: "nope", NetnsPath: b}), "unknown network"},
		{"pool exhausted", attach(AttachRequest{ContainerID: "b", Network: "tiny", NetnsPath: b}), "no free address"},
		{"--ip outside", attach(AttachRequest{ContainerID: "b", NetnsPath: b, IP: "10.0.0.5"}), "outside network bridge"},
		{"--ip taken", attach(AttachRequest{ContainerID: "b", Network: "tiny", NetnsPath: b, IP: addrOf(first.IP)}), "taken"},
		{"host port taken", func() error {
			if _, err := m.Publish(ctx, first, []PortSpec{{HostPort: 9000, ContainerPort: 80, Proto: "tcp"}}); err != nil {
				return err
			}
			_, err := m.Publish(ctx, first, []PortSpec{{HostPort: 9000, ContainerPort: 81, Proto: "tcp"}})
			return err
		}, "already published"},
		{"bad protocol", publish([]PortSpec{{HostPort: 9001, ContainerPort: 80, Proto: "sctp"}}), "tcp or udp"},
		{"port out of range", publish([]PortSpec{{HostPort: 70000, ContainerPort: 80, Proto: "tcp"}}), "out of range"},
		{"foreign host address", publish([]PortSpec{{HostIP: "198.51.100.7", HostPort: 9002, ContainerPort: 80, Proto: "tcp"}}), "not an address of host host1"},
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
	// The kinds a caller branches on, whatever the words.
	for _, c := range []struct {
		what string
		do   func() error
		kind errkind.Kind
	}{
		{"duplicate", create(NetworkOptions{Name: "tiny"}), errkind.Exists},
		{"unknown host", create(NetworkOptions{Name: "x", Host: "host9"}), errkind.NotFound},
		{"unknown network", attach(AttachRequest{ContainerID: "b", Network: "nope", NetnsPath: b}), errkind.NotFound},
		{"rm unknown", func() error { return m.RemoveNetwork(ctx, "nope") }, errkind.NotFound},
		{"rm in use", func() error { return m.RemoveNetwork(ctx, "tiny") }, errkind.InUse},
		{"rm unknown host", func() error { return m.RemoveHost(ctx, "host9") }, errkind.NotFound},
		{"bad host name", func() error { _, err := m.AddHost(ctx, "Host_2"); return err }, errkind.Invalid},
	} {
		if err := c.do(); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v is not of kind %q", c.what, err, c.kind)
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
