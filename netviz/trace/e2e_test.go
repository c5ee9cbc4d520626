package trace

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// TestJourneyToPublishedPort follows a connection from outside to a published port:
// DNAT by the published port's rule, accepted in FORWARD, delivered in the container,
// and the reply's source translated back.
func TestJourneyToPublishedPort(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "--ip", "172.18.0.2", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")
	time.Sleep(300 * time.Millisecond)
	j := traceJSON(t, "--probe", "outside", "host1:8080/tcp")[0]
	if got := namespaces(j.Request); got != "outside -> lan -> host1 -> web" {
		t.Fatalf("request crossed %s, want outside -> lan -> host1 -> web", got)
	}
	h1 := hop(t, j.Request, "host1")
	dnat := ruleStep(t, h1, "WB-DNAT", "DNAT")
	if !strings.Contains(dnat.Rule.Text, "--to-destination 172.18.0.2:80") || dnat.Hook != "PREROUTING" || dnat.Rule.Num != 1 {
		t.Errorf("DNAT step: %+v", dnat)
	}
	nat := natStep(t, h1)
	if nat.Before.Endpoints() != "198.51.100.100:"+port(nat.Before.SrcPort)+" -> 198.51.100.1:8080" || nat.After.Dst.String() != "172.18.0.2" || nat.After.DstPort != 80 || nat.Conntrack == nil || !strings.HasPrefix(nat.Conntrack.Reply, "172.18.0.2:80 -> 198.51.100.100") {
		t.Errorf("NAT in host1: %s", StepText(nat))
	}
	fwd := ruleStep(t, h1, "WB-FORWARD", "ACCEPT")
	if fwd.Hook != "FORWARD" || !strings.Contains(fwd.Rule.Comment, "published ports come in") {
		t.Errorf("FORWARD accept: %+v", fwd)
	}
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "web" {
		t.Errorf("request ended %+v, want delivered in web", e)
	}
	if j.Reply == nil {
		t.Fatal("no reply")
	}
	back := natStep(t, hop(t, *j.Reply, "host1"))
	if back.Before.Src.String() != "172.18.0.2" || back.After.Endpoints() != "198.51.100.1:8080 -> 198.51.100.100:"+port(back.After.DstPort) {
		t.Errorf("reply NAT in host1: %s", StepText(back))
	}
	if e := j.Reply.End; e.Kind != EndDelivered || e.Namespace != "outside" {
		t.Errorf("reply ended %+v, want delivered in outside", e)
	}
	if left := traceTables(t, inst); len(left) > 0 {
		t.Errorf("trace tables left after the trace: %v", left)
	}
}

func port(p uint16) string { return strconv.Itoa(int(p)) }

// TestJourneyMasquerade follows a container's ping to outside: MASQUERADE in host1
// with the source before and after, and the reply back into the container.
func TestJourneyMasquerade(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "c1", "--ip", "172.18.0.5", "busybox", "sleep", "1000")
	j := traceJSON(t, "--probe", "c1", "198.51.100.100")[0]
	h1 := hop(t, j.Request, "host1")
	masq := ruleStep(t, h1, "WB-POSTROUTING", "MASQUERADE")
	if masq.Hook != "POSTROUTING" || !strings.Contains(masq.Rule.Text, "-j MASQUERADE") {
		t.Errorf("MASQUERADE step: %+v", masq)
	}
	nat := natStep(t, h1)
	if nat.Before.Src.String() != "172.18.0.5" || nat.After.Src.String() != "198.51.100.1" {
		t.Errorf("source before and after: %s", StepText(nat))
	}
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "outside" {
		t.Errorf("request ended %+v", e)
	}
	if j.Reply == nil || j.Reply.End.Namespace != "c1" || j.Reply.End.Kind != EndDelivered {
		t.Fatalf("reply: %+v", j.Reply)
	}
}

// TestJourneyIsolatedNetworks follows a ping between two networks of host1, which the
// isolation chain drops.
func TestJourneyIsolatedNetworks(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "network", "create", "--subnet", "172.30.0.0/24", "blue")
	testutil.MustRun(t, "run", "-d", "--name", "b1", "--net", "blue", "--ip", "172.30.0.7", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "d1", "busybox", "sleep", "1000")
	j := traceJSON(t, "--probe", "d1", "b1")[0]
	e := j.Request.End
	if e.Kind != EndDropped || e.Namespace != "host1" || e.Rule == nil || e.Rule.Chain != "WB-ISOLATION-2" || !strings.HasSuffix(e.Rule.Text, "-j DROP") {
		t.Fatalf("request ended %+v, want dropped in host1 by WB-ISOLATION-2's DROP rule", e)
	}
	if !strings.Contains(e.Reason, "rule "+strconv.Itoa(e.Rule.Num)+" of WB-ISOLATION-2") {
		t.Errorf("reason %q does not name the rule", e.Reason)
	}
	if j.Reply != nil {
		t.Errorf("a dropped ping got a reply: %+v", j.Reply)
	}
}

// TestJourneyServiceVIP builds a Kubernetes-style service (a SVC chain whose statistic
// rule picks one of two SEP chains) and follows connections to its virtual IP: each
// journey names the SEP chain chosen, and the pod it ends in is that chain's.
func TestJourneyServiceVIP(t *testing.T) {
	testutil.NewLab(t)
	for _, p := range []string{"pod1:172.18.0.11", "pod2:172.18.0.12"} {
		name, ip, _ := strings.Cut(p, ":")
		testutil.MustRun(t, "run", "-d", "--name", name, "--ip", ip, "busybox", "httpd", "-f", "-p", "80")
	}
	nat := func(args ...string) {
		testutil.MustRun(t, append([]string{"host", "exec", "host1", "iptables", "-t", "nat"}, args...)...)
	}
	nat("-N", "KUBE-SERVICES")
	nat("-N", "KUBE-SVC-1")
	nat("-N", "KUBE-SEP-1")
	nat("-N", "KUBE-SEP-2")
	nat("-A", "OUTPUT", "-j", "KUBE-SERVICES")
	nat("-A", "KUBE-SERVICES", "-d", "203.0.113.88/32", "-p", "tcp", "--dport", "88", "-j", "KUBE-SVC-1")
	nat("-A", "KUBE-SVC-1", "-m", "statistic", "--mode", "random", "--probability", "0.5", "-j", "KUBE-SEP-1")
	nat("-A", "KUBE-SVC-1", "-j", "KUBE-SEP-2")
	nat("-A", "KUBE-SEP-1", "-p", "tcp", "-j", "DNAT", "--to-destination", "172.18.0.11:80")
	nat("-A", "KUBE-SEP-2", "-p", "tcp", "-j", "DNAT", "--to-destination", "172.18.0.12:80")
	pods := map[string]string{"KUBE-SEP-1": "pod1", "KUBE-SEP-2": "pod2"}
	seen := map[string]bool{}
	for i := 0; i < 20 && len(seen) < 2; i++ {
		j := traceJSON(t, "--probe", "host1", "203.0.113.88:88/tcp")[0]
		h1 := hop(t, j.Request, "host1")
		var sep string
		for _, s := range h1.Steps {
			if s.Kind == StepRule && s.Rule.Chain == "KUBE-SVC-1" && strings.HasPrefix(s.Verdict, "jump KUBE-SEP-") {
				sep = strings.TrimPrefix(s.Verdict, "jump ")
				if sep == "KUBE-SEP-1" && (s.Rule.Num != 1 || !strings.Contains(s.Rule.Text, "--probability 0.5")) {
					t.Errorf("the statistic rule is not the one that chose KUBE-SEP-1: %+v", s.Rule)
				}
			}
		}
		if sep == "" {
			t.Fatalf("no KUBE-SVC-1 rule chose a SEP chain:\n%s", hopText(h1))
		}
		dnat := ruleStep(t, h1, sep, "DNAT")
		if r := rerouted(h1); r != "rerouted after the NAT: 172.18.0.0/16 dev wb0" {
			t.Errorf("route after the DNAT of a local packet: %q\n%s", r, hopText(h1))
		}
		if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != pods[sep] {
			t.Fatalf("%s (%s) chosen, but the journey ended %+v", sep, dnat.Rule.Text, e)
		}
		seen[sep] = true
	}
	if len(seen) < 2 {
		t.Errorf("20 connections all took %v", seen)
	}
}

// rerouted returns the route step a hop took after a NAT step, "" when none.
func rerouted(h Hop) string {
	natted := false
	for _, s := range h.Steps {
		switch {
		case s.Kind == StepNAT:
			natted = true
		case s.Kind == StepRoute && natted:
			return s.Route.Route
		}
	}
	return ""
}

// TestJourneyForwardingOff follows a ping across a host-gw network to a host that
// does not forward: it stops there, and the journey says why.
func TestJourneyForwardingOff(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "host", "add", "host2")
	testutil.MustRun(t, "network", "create", "--crosshost", "host-gw", "--subnet", "10.10.0.0/16", "flannel")
	testutil.MustRun(t, "run", "-d", "--name", "a", "--net", "flannel", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "b", "--net", "flannel", "--host", "host2", "busybox", "sleep", "1000")
	testutil.MustRun(t, "host", "exec", "host2", "sysctl", "-qw", "net.ipv4.ip_forward=0")
	j := traceJSON(t, "--probe", "a", "b")[0]
	e := j.Request.End
	if e.Kind != EndDropped || e.Namespace != "host2" || !strings.Contains(e.Reason, "not forwarded: net.ipv4.ip_forward is 0") {
		t.Fatalf("request ended %+v, want dropped in host2, not forwarded", e)
	}
	if got := namespaces(j.Request); got != "a -> host1 -> lan -> host2" {
		t.Errorf("request crossed %s", got)
	}
}

// TestJourneyHandMadeNamespace follows pings into and out of a namespace made by hand
// with `ip netns add` in host1 and joined to it by a veth pair, as the labs do: the
// trace names it without the instance's prefix, and follows its packets both ways.
func TestJourneyHandMadeNamespace(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "host", "exec", "host1", "sh", "-c", "ip netns add "+inst.HostNetnsName("hand")+
		" && ip link add hand0 type veth peer name hand1 netns "+inst.HostNetnsName("hand")+
		" && ip -n "+inst.HostNetnsName("hand")+" addr add 10.99.0.2/24 dev hand1 && ip -n "+inst.HostNetnsName("hand")+" link set hand1 up"+
		" && ip addr add 10.99.0.1/24 dev hand0 && ip link set hand0 up")
	j := traceJSON(t, "--probe", "host1", "10.99.0.2")[0]
	if got := namespaces(j.Request); got != "host1 -> hand" {
		t.Fatalf("request crossed %s, want host1 -> hand", got)
	}
	if h := hop(t, j.Request, "hand"); h.Kind != "other" || h.In != "hand1" {
		t.Errorf("the hop in the hand-made namespace: %+v", h)
	}
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "hand" || j.Reply == nil || j.Reply.End.Namespace != "host1" {
		t.Errorf("request ended %+v, reply %+v: want delivered in hand and answered", e, j.Reply)
	}
	j = traceJSON(t, "--probe", "hand", "10.99.0.1")[0]
	if got := namespaces(j.Request); got != "hand -> host1" || j.Request.End.Kind != EndDelivered || j.Reply == nil || j.Reply.End.Namespace != "hand" {
		t.Errorf("from the hand-made namespace: crossed %s, ended %+v, reply %+v", got, j.Request.End, j.Reply)
	}
}

// TestJourneyFromAJoinedNamespace: a namespace that another container joined (--net
// container:NAME) keeps the name of the container that made it, whatever their order.
func TestJourneyFromAJoinedNamespace(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "pod-b", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "a-sidecar", "--net", "container:pod-b", "busybox", "sleep", "1000")
	j := traceJSON(t, "--probe", "pod-b", "outside")[0]
	if got := namespaces(j.Request); got != "pod-b -> host1 -> lan -> outside" || j.Reply == nil || j.Reply.End.Namespace != "pod-b" {
		t.Errorf("from pod-b: crossed %s, reply %+v", got, j.Reply)
	}
}

// TestJourneyClosedPort follows packets to ports no socket listens on: a TCP reset
// and an ICMP port unreachable come back.
func TestJourneyClosedPort(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "c1", "busybox", "sleep", "1000")
	j := traceJSON(t, "--probe", "outside", "host1:9999/tcp")[0]
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "host1" || !strings.Contains(e.Reason, "no socket") || !strings.Contains(e.Reason, "TCP reset") {
		t.Errorf("TCP request ended %+v", e)
	}
	if j.Reply == nil || !strings.HasPrefix(j.Reply.Packet.Flags, "R") {
		t.Errorf("TCP reply: %+v, want a reset", j.Reply)
	}
	j = traceJSON(t, "--probe", "c1", "172.18.0.1:53/udp")[0]
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "host1" || !strings.Contains(e.Reason, "ICMP port unreachable") {
		t.Errorf("UDP request ended %+v", e)
	}
	if j.Reply == nil || j.Reply.Packet.ICMPType != icmpUnreachable || j.Reply.End.Namespace != "c1" {
		t.Errorf("UDP reply: %+v", j.Reply)
	}
}

// TestTraceLeavesNoRules checks that no trace table remains after a trace that ends,
// after one killed with SIGKILL (and the next command), and after reset.
func TestTraceLeavesNoRules(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "c1", "busybox", "sleep", "1000")
	out, code := testutil.Output(t, "trace", "--timeout", "300ms", "udp port 7")
	if code == 0 || !strings.Contains(out, "no packet matched") {
		t.Errorf("a trace that saw nothing: exit %d: %s", code, out)
	}
	if left := traceTables(t, inst); len(left) > 0 {
		t.Fatalf("after a trace: %v", left)
	}
	rng := testutil.Rand(t)
	for range 5 {
		testutil.KillAtRandom(t, []string{"trace", "--timeout", "5s", "udp port 7"}, time.Second, rng)
		testutil.MustRun(t, "ps")
		if left := traceTables(t, inst); len(left) > 0 {
			t.Fatalf("after kill -9 of a trace and ps: %v", left)
		}
	}
	cmd := testutil.Start(t, "trace", "--timeout", "5s", "udp port 7")
	// The check for leftovers must see the table of a trace that runs.
	testutil.Eventually(t, "the running trace's table", func() bool { return len(traceTables(t, inst)) > 0 })
	testutil.MustRun(t, "reset")
	if left := traceTables(t, inst); len(left) > 0 {
		t.Fatalf("after reset: %v", left)
	}
	_ = cmd.Wait()
}

// TestScriptTraceExpectations runs a lab script with trace steps and expectations, then
// one whose expectation on the journey is wrong, which must fail.
func TestScriptTraceExpectations(t *testing.T) {
	testutil.KernelTest(t)
	out, code := testutil.Output(t, "--script", "testdata/journeys.lab")
	if code != 0 || !strings.Contains(out, "WB-DNAT #1") || strings.Contains(out, "FAIL") {
		t.Fatalf("journeys.lab: exit %d:\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.lab")
	lab := "say A wrong claim about a journey.\nrun -d --name web -p 8080:80 busybox httpd -f -p 80\nexpect trace @outside host1:8080/tcp drop WB-DNAT\n"
	if err := os.WriteFile(bad, []byte(lab), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = testutil.Output(t, "--script", bad)
	if code != 1 || !strings.Contains(out, "does not satisfy: drop WB-DNAT") {
		t.Fatalf("a wrong expectation: exit %d:\n%s", code, out)
	}
}

// TestJourneyHairpinIsBridgedAfterDNAT follows a container's connection to a published
// port of its neighbour on the same bridge: br_netfilter DNATs the packet in the
// bridge and, the new destination being on that bridge, bridges it on without routing,
// so its TTL is kept; the route step says so.
func TestJourneyHairpinIsBridgedAfterDNAT(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "--ip", "172.18.0.2", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")
	testutil.MustRun(t, "run", "-d", "--name", "c1", "--ip", "172.18.0.5", "busybox", "sleep", "1000")
	time.Sleep(300 * time.Millisecond)
	j := traceJSON(t, "--probe", "c1", "198.51.100.1:8080/tcp")[0]
	if got := namespaces(j.Request); got != "c1 -> host1 -> web" {
		t.Fatalf("request crossed %s, want c1 -> host1 -> web", got)
	}
	h1 := hop(t, j.Request, "host1")
	ruleStep(t, h1, "WB-DNAT", "DNAT")
	var route *Route
	for _, s := range h1.Steps {
		if s.Kind == StepRoute {
			route = s.Route
		}
	}
	if route == nil || !strings.HasPrefix(route.Route, "bridged by wb0 after the NAT") {
		t.Errorf("route in host1: %+v, want bridged by wb0 after the NAT\n%s", route, hopText(h1))
	}
	sent, got := hop(t, j.Request, "c1").Steps[0].Packet.TTL, hop(t, j.Request, "web").Steps[0].Packet.TTL
	if sent != got {
		t.Errorf("TTL %d sent, %d received: the packet was routed, not bridged", sent, got)
	}
	if e := j.Request.End; e.Kind != EndDelivered || e.Namespace != "web" {
		t.Errorf("request ended %+v, want delivered in web", e)
	}

	// Without br_netfilter's calls in host1, the bridge hands the packet up to the IP
	// layer, which routes it back out of wb0: the TTL falls and the step names the route.
	testutil.MustRun(t, "host", "exec", "host1", "sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0")
	j = traceJSON(t, "--probe", "c1", "198.51.100.1:8080/tcp")[0]
	for _, s := range hop(t, j.Request, "host1").Steps {
		if s.Kind == StepRoute && s.Route.Route != "172.18.0.0/16 dev wb0" {
			t.Errorf("route in host1 without br_netfilter: %q, want 172.18.0.0/16 dev wb0", s.Route.Route)
		}
	}
	sent, got = hop(t, j.Request, "c1").Steps[0].Packet.TTL, hop(t, j.Request, "web").Steps[0].Packet.TTL
	if got != sent-1 {
		t.Errorf("TTL %d sent, %d received: want one router on the way", sent, got)
	}
}
