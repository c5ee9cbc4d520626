package network

import (
	"reflect"
	"strings"
	"testing"

	"workbench/nsutil"
	"workbench/testutil"
)

// TestNamespacesReadTheKernel makes bare named namespaces of a test instance and of
// another one, and reads the lab back from /run/netns: the LAN first, host1, the other
// hosts by name; the LAN is no host, and another instance's namespaces are not ours.
func TestNamespacesReadTheKernel(t *testing.T) {
	testutil.RequireRoot(t)
	inst, other := testutil.NewInstance(t), testutil.NewInstance(t)
	for _, name := range []string{inst.HostNetnsName("host2"), inst.HostNetnsName(LANName), other.HostNetnsName("host0"),
		inst.HostNetnsName("alpha"), inst.HostNetnsName(DefaultHost)} {
		testutil.Netns(t, name)
	}
	var names []string
	for _, ns := range Namespaces(inst) {
		names = append(names, ns.Name)
		if ns.Path != NetnsPath(inst, ns.Name) {
			t.Errorf("namespace %s at %s, NetnsPath says %s", ns.Name, ns.Path, NetnsPath(inst, ns.Name))
		}
	}
	if want := []string{LANName, DefaultHost, "alpha", "host2"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Namespaces = %q, want %q", names, want)
	}
	if got, want := HostNames(inst), []string{DefaultHost, "alpha", "host2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("HostNames = %q, want %q", got, want)
	}
	if !strings.Contains(strings.Join(NamedNamespaces(), " "), other.HostNetnsName("host0")) {
		t.Errorf("NamedNamespaces leaves out %s: %q", other.HostNetnsName("host0"), NamedNamespaces())
	}
}

func TestNetnsPathAndCommandIn(t *testing.T) {
	inst := testutil.NewInstance(t)
	if NetnsPath(inst, "") != inst.HostNetnsPath(DefaultHost) || NetnsPath(inst, RealHost) != nsutil.MachinePath {
		t.Errorf("NetnsPath: host1 %s, real %s", NetnsPath(inst, ""), NetnsPath(inst, RealHost))
	}
	for path, want := range map[string]string{
		nsutil.MachinePath:                  "iptables -Z",
		"/run/netns/wb-host1":               "ip netns exec wb-host1 iptables -Z",
		"/run/workbench/containers/a/netns": "nsenter --net=/run/workbench/containers/a/netns iptables -Z",
	} {
		if got := strings.Join(CommandIn(path, "iptables", "-Z"), " "); got != want {
			t.Errorf("CommandIn(%s) = %q, want %q", path, got, want)
		}
	}
}
