package script

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"workbench/nsutil"
	"workbench/testutil"
)

// pairLab is two network namespaces joined by a veth pair: @a (10.99.0.1/24, link
// va) and @b (10.99.0.2/24, link vb), with a TCP listener on 10.99.0.2:8080.
type pairLab struct{ paths map[string]string }

func (l pairLab) NetnsPath(_ context.Context, p Place) (string, error) {
	path, ok := l.paths[p.Name]
	if !ok {
		return "", fmt.Errorf("no place %s", p)
	}
	return path, nil
}

func (l pairLab) CPUClock(context.Context, string) (func() (time.Duration, error), error) {
	return nil, fmt.Errorf("no containers in this lab")
}

// run is a Commander for these tests: `in NAME CMD...` runs CMD in @NAME's namespace.
func (l pairLab) run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 3 || args[0] != "in" {
		return 127
	}
	cmd := exec.CommandContext(ctx, args[2], args[3:]...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := nsutil.Run(l.paths[args[1]], cmd); err != nil {
		return 1
	}
	return 0
}

func newPairLab(t testing.TB) pairLab {
	inst := testutil.KernelTest(t)
	a, b := inst.HostNetnsName("pa"), inst.HostNetnsName("pb")
	lab := pairLab{paths: map[string]string{"a": testutil.Netns(t, a), "b": testutil.Netns(t, b)}}
	testutil.Exec(t, "ip", "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b)
	for _, c := range [][]string{{a, "va", "10.99.0.1/24"}, {b, "vb", "10.99.0.2/24"}} {
		testutil.Exec(t, "ip", "-n", c[0], "addr", "add", c[2], "dev", c[1])
		testutil.Exec(t, "ip", "-n", c[0], "link", "set", c[1], "up")
		testutil.Exec(t, "ip", "-n", c[0], "link", "set", "lo", "up")
	}
	testutil.Exec(t, "ip", "netns", "exec", b, "iptables", "-A", "INPUT", "-p", "icmp", "-m", "comment", "--comment", "echo in", "-j", "ACCEPT")
	var ln net.Listener
	if err := nsutil.Do(lab.paths["b"], func() (err error) {
		ln, err = net.Listen("tcp", "10.99.0.2:8080")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return lab
}

func TestKernelChecks(t *testing.T) {
	lab := newPairLab(t)
	src := `expect ping @a 10.99.0.2
expect no-ping @a 10.99.1.9
expect tcp @a 10.99.0.2:8080
expect no-tcp @a 10.99.0.2:8081
in a ip neigh flush all
expect capture @b:vb "icmp and src 10.99.0.1" and @a:va arp within 3s while in a busybox ping -c 1 -W 1 10.99.0.2
expect counter @b filter INPUT "echo in" grows while in a busybox ping -c 1 -W 1 10.99.0.2
`
	s := mustParse(t, src)
	r := NewRunner(s, &Env{Run: lab.run, Lab: lab})
	var out strings.Builder
	if !r.Run(context.Background(), &out) {
		t.Fatalf("kernel checks failed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "ICMP echo request") || !strings.Contains(out.String(), "-> ") {
		t.Errorf("the report should show the packets and the counters:\n%s", out.String())
	}
}

func TestKernelChecksFail(t *testing.T) {
	lab := newPairLab(t)
	src := `expect ping @a 10.99.1.9
expect tcp @a 10.99.0.2:8081
expect capture @b:vb "udp port 9" within 300ms while in a true
expect capture @b:nosuch icmp within 300ms while in a true
expect counter @b filter INPUT "echo in" grows while in a true
expect counter @b filter OUTPUT "nothing here" grows while in a true
`
	s := mustParse(t, src)
	r := NewRunner(s, &Env{Run: lab.run, Lab: lab})
	var out strings.Builder
	if r.Run(context.Background(), &out) || r.Failed != 6 {
		t.Fatalf("want 6 failures:\n%s", out.String())
	}
	testutil.Contains(t, "the report", out.String(), "no answer from 10.99.1.9", "refused", "nothing matched within 300ms", "cannot capture on @b:nosuch", "no packet counted by @b filter/INPUT", "no rule of chain OUTPUT")
}
