package testutil

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Exec runs the machine's program args[0] (ip, iptables, sysctl, tcpdump...) with
// args[1:] and returns its standard output. If it cannot start or exits with an error,
// the test fails with the command line, the error and all the program printed.
func Exec(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// Netns makes the named network namespace with `ip netns add NAME`, deletes it when
// the test ends, and returns its path, /run/netns/NAME. A namespace that cannot be
// made fails the test, and so does one still there after the delete.
func Netns(t testing.TB, name string) string {
	t.Helper()
	Exec(t, "ip", "netns", "add", name)
	path := filepath.Join("/run/netns", name)
	t.Cleanup(func() {
		out, err := exec.Command("ip", "netns", "del", name).CombinedOutput()
		if _, serr := os.Stat(path); err != nil && serr == nil {
			t.Errorf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	return path
}
