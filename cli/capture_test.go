package cli

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// TestCaptureSeesMasquerade is article [003]'s proof by capture, through the binary: a
// ping from a container to `outside`, captured on host1's bridge and uplink at once,
// leaves the bridge from the container's address and the uplink from host1's.
func TestCaptureSeesMasquerade(t *testing.T) {
	testutil.KernelTest(t)
	t.Cleanup(func() { testutil.Output(t, "reset") })
	if out, code := testutil.Output(t, "run", "--rm", "busybox", "true"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	file := filepath.Join(t.TempDir(), "masq.pcap")
	var stdout, stderr bytes.Buffer
	capture := exec.Command(testutil.Binary(t), "capture", "-i", "wb0", "-i", "eth0", "-c", "4", "-w", file, "icmp")
	capture.Stdout = &stdout
	errPipe, err := capture.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	// The capture is ready once it says what it listens on, as tcpdump does.
	errLines := bufio.NewReader(errPipe)
	first, err := errLines.ReadString('\n')
	if want := "listening on wb0, eth0 in host host1, link-type EN10MB (Ethernet)"; !strings.HasPrefix(first, want) {
		t.Fatalf("capture's first line: %q (%v), want %q", first, err, want)
	}
	done := make(chan error, 1)
	go func() {
		_, _ = io.Copy(&stderr, errLines)
		done <- capture.Wait()
	}()
	if out, code := testutil.Output(t, "run", "--rm", "busybox", "ping", "-c", "1", "198.51.100.100"); code != 0 {
		t.Errorf("ping from a container to outside: %s", out)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("capture: %v: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		capture.Process.Kill()
		<-done
		t.Fatalf("capture did not stop after 4 packets:\n%s%s", stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Logf("capture on wb0 and eth0:\n%s%s", out, stderr.String())
	want := []string{
		`wb0 In IP 172\.18\.\d+\.\d+ > 198\.51\.100\.100: ICMP echo request`,
		`eth0 Out IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`eth0 In IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`wb0 Out IP 198\.51\.100\.100 > 172\.18\.\d+\.\d+: ICMP echo reply`,
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %s\nwant %s", i+1, lines[i], re)
		}
	}
	if !strings.Contains(stderr.String(), "4 packets captured") || !strings.Contains(stderr.String(), "0 packets dropped by kernel") {
		t.Errorf("counts at the end: %s", stderr.String())
	}
	read, code := testutil.Output(t, "capture", "-r", file, "icmp[0]")
	if code != 1 || !strings.Contains(read, "filter: column 8: expected =, !=, <, >, <= or >=") {
		t.Errorf("a filter that does not parse: %s", read)
	}
	read, code = testutil.Output(t, "capture", "-r", file, "-c", "2", "src", "host", "198.51.100.1")
	if code != 0 || strings.Count(read, "ICMP echo request") != 1 || !strings.Contains(read, "1 packets read from") {
		t.Errorf("read back with a filter:\n%s", read)
	}
}

// TestCaptureAcrossPlaces follows a container's ping to outside hop by hop through
// three namespaces with -i PLACE:IFACE: host1's bridge, host1's uplink, outside's eth0.
func TestCaptureAcrossPlaces(t *testing.T) {
	testutil.KernelTest(t)
	t.Cleanup(func() { testutil.Output(t, "reset") })
	if out, code := testutil.Output(t, "run", "--rm", "busybox", "true"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	capture := exec.Command(testutil.Binary(t), "capture", "-c", "6", "-i", "wb0", "-i", "host1:eth0", "-i", "outside:eth0", "icmp")
	var stdout bytes.Buffer
	capture.Stdout = &stdout
	errPipe, err := capture.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	first, _ := bufio.NewReader(errPipe).ReadString('\n')
	if want := "listening on host1:wb0, host1:eth0, outside:eth0"; !strings.HasPrefix(first, want) {
		capture.Process.Kill()
		capture.Wait()
		t.Fatalf("first line %q, want %q", first, want)
	}
	if out, code := testutil.Output(t, "run", "--rm", "busybox", "ping", "-c", "1", "198.51.100.100"); code != 0 {
		t.Errorf("ping: %s", out)
	}
	timer := time.AfterFunc(10*time.Second, func() { capture.Process.Kill() })
	defer timer.Stop()
	_ = capture.Wait()
	want := []string{
		`^\S+ host1:wb0 In IP 172\.18\.\d+\.\d+ > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ host1:eth0 Out IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ outside:eth0 In IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ outside:eth0 Out IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`^\S+ host1:eth0 In IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`^\S+ host1:wb0 Out IP 198\.51\.100\.100 > 172\.18\.\d+\.\d+: ICMP echo reply`,
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %s\nwant %s", i+1, lines[i], re)
		}
	}
}

// TestCaptureBadInput: each mistake is one line that says what to do.
func TestCaptureBadInput(t *testing.T) {
	testutil.RequireRoot(t)
	testutil.NewInstance(t)
	t.Cleanup(func() { testutil.Output(t, "reset") }) // looking a container up opens the engine
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"capture", "--host", "nosuchhost"}, `unknown host "nosuchhost"`},
		{[]string{"capture", "--host", "h1", "--container", "c"}, "--host and --container both given"},
		{[]string{"capture", "-r", "/etc/hostname"}, "/etc/hostname is not a pcap or pcapng file"},
		{[]string{"capture", "-r", filepath.Join(dir, "none.pcap")}, "no such file or directory"},
		{[]string{"capture", "-r", "/etc/hostname", "-i", "eth0"}, "-r reads a file: it takes no --host, --container or -i"},
		{[]string{"capture", "-c", "-3"}, "the count must be a positive number"},
		{[]string{"capture", "-s", "10"}, "the snapshot length must be from 64 to 262144 bytes"},
		{[]string{"capture", "-i", "nosuch:eth0"}, `no host or container named "nosuch"`},
		{[]string{"capture", "-r", "/etc/hostname", "-w", filepath.Join(dir, "no/such/dir.pcap")}, "cannot write the capture to"},
	} {
		out, code := testutil.Output(t, c.args...)
		if code != 1 || !strings.Contains(out, c.want) || strings.Count(out, "\n") != 1 {
			t.Errorf("workbench %s: status %d, output %q; want one line with %q", strings.Join(c.args, " "), code, out, c.want)
		}
	}
}
