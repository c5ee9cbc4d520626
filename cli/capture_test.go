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

// captureLab gives a capture test a lab with busybox in the store.
func captureLab(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "--rm", "busybox", "true")
}

// startCapture starts `workbench capture ARGS`, its output going to stdout, and returns
// once its first line on standard error (what it listens on, as tcpdump says it) has
// come and starts with listening; stderr reads the rest of its standard error.
func startCapture(t *testing.T, listening string, args ...string) (capture *exec.Cmd, stdout *bytes.Buffer, stderr *bufio.Reader) {
	t.Helper()
	capture = exec.Command(testutil.Binary(t), append([]string{"capture"}, args...)...)
	stdout = &bytes.Buffer{}
	capture.Stdout = stdout
	errPipe, err := capture.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	stderr = bufio.NewReader(errPipe)
	if first, err := stderr.ReadString('\n'); !strings.HasPrefix(first, listening) {
		capture.Process.Kill()
		capture.Wait()
		t.Fatalf("capture's first line: %q (%v), want %q", first, err, listening)
	}
	return capture, stdout, stderr
}

// pingOutside pings outside once from a container.
func pingOutside(t *testing.T) {
	t.Helper()
	if out, code := testutil.Output(t, "run", "--rm", "busybox", "ping", "-c", "1", "198.51.100.100"); code != 0 {
		t.Errorf("ping from a container to outside: %s", out)
	}
}

// matchLines checks that out has one line for each regular expression of want, in
// order, that it matches.
func matchLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %s\nwant %s", i+1, lines[i], re)
		}
	}
}

// TestCaptureSeesMasquerade is article [003]'s proof by capture, through the binary: a
// ping from a container to `outside`, captured on host1's bridge and uplink at once,
// leaves the bridge from the container's address and the uplink from host1's.
func TestCaptureSeesMasquerade(t *testing.T) {
	captureLab(t)
	file := filepath.Join(t.TempDir(), "masq.pcap")
	capture, stdout, errLines := startCapture(t, "listening on wb0, eth0 in host host1, link-type EN10MB (Ethernet)",
		"-i", "wb0", "-i", "eth0", "-c", "4", "-w", file, "icmp")
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, _ = io.Copy(&stderr, errLines)
		done <- capture.Wait()
	}()
	pingOutside(t)
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
	matchLines(t, out, []string{
		`wb0 In IP 172\.18\.\d+\.\d+ > 198\.51\.100\.100: ICMP echo request`,
		`eth0 Out IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`eth0 In IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`wb0 Out IP 198\.51\.100\.100 > 172\.18\.\d+\.\d+: ICMP echo reply`,
	})
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
	captureLab(t)
	capture, stdout, _ := startCapture(t, "listening on host1:wb0, host1:eth0, outside:eth0",
		"-c", "6", "-i", "wb0", "-i", "host1:eth0", "-i", "outside:eth0", "icmp")
	pingOutside(t)
	timer := time.AfterFunc(10*time.Second, func() { capture.Process.Kill() })
	defer timer.Stop()
	_ = capture.Wait()
	matchLines(t, stdout.String(), []string{
		`^\S+ host1:wb0 In IP 172\.18\.\d+\.\d+ > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ host1:eth0 Out IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ outside:eth0 In IP 198\.51\.100\.1 > 198\.51\.100\.100: ICMP echo request`,
		`^\S+ outside:eth0 Out IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`^\S+ host1:eth0 In IP 198\.51\.100\.100 > 198\.51\.100\.1: ICMP echo reply`,
		`^\S+ host1:wb0 Out IP 198\.51\.100\.100 > 172\.18\.\d+\.\d+: ICMP echo reply`,
	})
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
