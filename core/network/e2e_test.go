package network

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"workbench/instance"
	"workbench/testutil"
)

// binaryLab runs the workbench binary on a fresh instance, reset when the test ends.
type binaryLab struct {
	t    *testing.T
	bin  string
	inst instance.Instance
}

func newBinaryLab(t *testing.T) *binaryLab {
	inst := testutil.KernelTest(t)
	l := &binaryLab{t: t, bin: testutil.Binary(t), inst: inst}
	before := testutil.Leftovers()
	t.Cleanup(func() {
		if out, code := l.run("reset"); code != 0 {
			t.Errorf("reset: %s", out)
		}
		if left := testutil.InstanceLeftovers(before); left != "" {
			t.Errorf("after reset the instance left:\n%s", left)
		}
		os.RemoveAll(inst.RunDir)
	})
	return l
}

// run runs one workbench command line and returns its output and exit status.
func (l *binaryLab) run(args ...string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, l.bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	}
	if err != nil {
		l.t.Fatalf("workbench %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// must runs a command line that has to succeed.
func (l *binaryLab) must(args ...string) string {
	l.t.Helper()
	out, code := l.run(args...)
	if code != 0 {
		l.t.Fatalf("workbench %s: exit %d: %s", strings.Join(args, " "), code, out)
	}
	return out
}

func TestEndToEndPublishNATModes(t *testing.T) {
	l := newBinaryLab(t)
	l.must("run", "-d", "--name", "web", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")
	l.must("exec", "web", "sh", "-c", "echo hello from web > /index.html")
	if got := l.must("port", "web"); !strings.Contains(got, "80/tcp -> 198.51.100.1:8080") {
		t.Errorf("port web = %q", got)
	}
	if got := l.must("port"); !strings.Contains(got, "host1\t198.51.100.1:8080 -> 172.18.0.2:80/tcp") {
		t.Errorf("port = %q", got)
	}
	for _, c := range [][]string{
		{"host", "exec", "outside", "busybox", "wget", "-qO-", "http://198.51.100.1:8080/"},
		{"host", "exec", "host1", "busybox", "wget", "-qO-", "http://198.51.100.1:8080/"},
		{"exec", "web", "wget", "-qO-", "http://198.51.100.1:8080/"},
	} {
		if got, code := l.run(c...); code != 0 || got != "hello from web\n" {
			t.Errorf("%s: %q (exit %d)", strings.Join(c, " "), got, code)
		}
	}

	// SNAT: outside sees host1's address as the source of a container's ping.
	var seen bytes.Buffer
	dump := exec.Command(l.bin, "host", "exec", "outside", "tcpdump", "-l", "-n", "-c", "1", "-i", "eth0", "icmp")
	dump.Stdout = &seen
	if err := dump.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	l.must("exec", "web", "ping", "-c1", "-W2", "198.51.100.100")
	waitOrKill(dump, 5*time.Second)
	if !strings.Contains(seen.String(), "198.51.100.1 > 198.51.100.100") {
		t.Errorf("outside saw %q, want the ping from 198.51.100.1", seen.String())
	}

	// The four modes of [001].
	if got := l.must("run", "--rm", "--net", "none", "busybox", "sh", "-c", "ls /sys/class/net; ip route"); strings.TrimSpace(got) != "lo" {
		t.Errorf("--net none sees %q, want only lo and no route", got)
	}
	if got := l.must("run", "--rm", "--net", "host", "busybox", "ip", "-o", "-4", "addr"); !strings.Contains(got, "198.51.100.1/24") {
		t.Errorf("--net host does not see host1's address: %q", got)
	}
	if got := l.must("run", "--rm", "--net", "container:web", "busybox", "wget", "-qO-", "http://127.0.0.1/"); got != "hello from web\n" {
		t.Errorf("--net container:web over localhost: %q", got)
	}

	// A user network: a static address, names, isolation from the default network.
	l.must("network", "create", "--subnet", "172.30.0.0/24", "blue")
	l.must("run", "-d", "--name", "b1", "--net", "blue", "busybox", "sleep", "300")
	l.must("run", "-d", "--name", "b2", "--net", "blue", "--ip", "172.30.0.77", "busybox", "sleep", "300")
	if got := l.must("exec", "b2", "ip", "-o", "-4", "addr", "show", "eth0"); !strings.Contains(got, "172.30.0.77/24") {
		t.Errorf("static --ip: %q", got)
	}
	l.must("exec", "b1", "ping", "-c1", "-W2", "b2")
	if out, code := l.run("exec", "b1", "ping", "-c1", "-W1", "172.18.0.2"); code == 0 {
		t.Errorf("network blue reached the default network: %s", out)
	}
	if out, code := l.run("network", "rm", "blue"); code == 0 || !strings.Contains(out, "in use") {
		t.Errorf("rm of a network in use: exit %d: %s", code, out)
	}
	l.must("network", "connect", "blue", "web")
	l.must("exec", "web", "ping", "-c1", "-W2", "b1")
	l.must("network", "disconnect", "blue", "web")
}

func waitOrKill(cmd *exec.Cmd, d time.Duration) {
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
	}
}

func TestEndToEndCrossHost(t *testing.T) {
	for _, mode := range []string{CrossHostGW, CrossHostVXLAN} {
		t.Run(mode, func(t *testing.T) {
			l := newBinaryLab(t)
			l.must("host", "add", "host2")
			l.must("network", "create", "--crosshost", mode, "span")
			l.must("run", "-d", "--name", "a", "--net", "span", "busybox", "sleep", "300")
			l.must("run", "-d", "--name", "b", "--host", "host2", "--net", "span", "busybox", "sleep", "300")
			l.must("exec", "a", "ping", "-c1", "-W2", "10.10.2.2")
			l.must("exec", "b", "ping", "-c1", "-W2", "10.10.1.2")
		})
	}
}

func TestEndToEndBadInput(t *testing.T) {
	l := newBinaryLab(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-p", "99999:80", "busybox", "true"}, "out of range"},
		{[]string{"run", "-p", "80/sctp", "busybox", "true"}, "tcp or udp"},
		{[]string{"run", "--net", "nosuch", "busybox", "true"}, "unknown network"},
		{[]string{"run", "--host", "host7", "busybox", "true"}, "unknown host"},
		{[]string{"run", "--ip", "10.9.9.9", "busybox", "true"}, "outside network bridge"},
		{[]string{"network", "create", "--subnet", "300.1.0.0/16", "x"}, "not an IPv4 CIDR"},
		{[]string{"network", "create", "--subnet", "172.40.0.0/16", "--gateway", "172.41.0.1", "x"}, "outside subnet"},
		{[]string{"network", "create", "--subnet", "172.18.0.0/24", "x"}, "overlaps"},
		{[]string{"network", "create", "averyverylongname"}, "15 characters"},
		{[]string{"network", "rm", "nosuch"}, "unknown network"},
		{[]string{"host", "exec", "nosuch", "true"}, "unknown host"},
	} {
		out, code := l.run(c.args...)
		if code == 0 || !strings.Contains(out, c.want) || strings.Count(strings.TrimSpace(out), "\n") > 0 {
			t.Errorf("workbench %s: exit %d, %q; want one line saying %q", strings.Join(c.args, " "), code, out, c.want)
		}
	}
	if _, code := l.run("host", "exec", "host1", "sh", "-c", "exit 3"); code != 3 {
		t.Errorf("host exec passed back exit %d, want 3", code)
	}
	if out, _ := l.run("ps", "-a"); strings.Count(out, "\n") > 1 {
		t.Errorf("failed runs left containers:\n%s", out)
	}
}
