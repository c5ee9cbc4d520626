package nsutil

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestOutputRunsInsideNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	if out, err := exec.Command("ip", "netns", "add", "wbnsutiltest").CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", "wbnsutiltest").Run() })
	out, err := Output("/run/netns/wbnsutiltest", exec.Command("ip", "-o", "link"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "eth0") || !strings.Contains(string(out), "lo:") {
		t.Fatalf("command did not run in the new namespace:\n%s", out)
	}
	// The calling thread is back in the machine's namespace.
	out, err = exec.Command("ip", "-o", "link").Output()
	if err != nil || !strings.Contains(string(out), "eth0") {
		t.Fatalf("the machine's namespace is not the current one after Output: %v\n%s", err, out)
	}
}

func TestDoReportsMissingNamespace(t *testing.T) {
	err := Do("/nonexistent/ns", func() error { return nil })
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/ns") {
		t.Fatalf("want an error naming the path, got %v", err)
	}
}

func TestMachinePathIsTheMainThreadsNamespace(t *testing.T) {
	want, err := os.Readlink("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	err = Do(MachinePath, func() error {
		got, err = os.Readlink("/proc/thread-self/ns/net")
		return err
	})
	if err != nil {
		t.Fatalf("the machine's namespace cannot be entered: %v", err)
	}
	if got != want {
		t.Fatalf("MachinePath is %s, the test runs in %s", got, want)
	}
}
