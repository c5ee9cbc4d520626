package nsutil

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"workbench/testutil"
)

// netnsID is how /proc names a network namespace ("net:[4026531840]"), read as the
// namespace of a command run by Output at path.
func netnsID(t *testing.T, path string) string {
	t.Helper()
	out, err := Output(path, exec.Command("readlink", "/proc/self/ns/net"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func TestOutputRunsInsideNamespace(t *testing.T) {
	name := testutil.KernelTest(t).HostNetnsName("nsutil")
	path := testutil.Netns(t, name)
	machine, err := os.Readlink("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	inside := netnsID(t, path)
	if inside == machine {
		t.Fatalf("the command ran in the machine's namespace %s, not in %s", machine, name)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	if want := "net:[" + strconv.FormatUint(st.Ino, 10) + "]"; inside != want {
		t.Fatalf("the command ran in %s, the namespace %s is %s", inside, name, want)
	}
	// The calling thread is back in the machine's namespace.
	if now, _ := os.Readlink("/proc/thread-self/ns/net"); now != machine {
		t.Fatalf("the caller is in %s after Output, was in %s", now, machine)
	}
}

func TestOutputKeepsTheStartOfStandardError(t *testing.T) {
	_, err := Output(MachinePath, exec.Command("sh", "-c", "echo first words >&2; head -c 100000 /dev/zero | tr '\\0' x >&2; exit 3"))
	if err == nil || !strings.Contains(err.Error(), "first words") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("the error does not carry the start of stderr: %v", err)
	}
	if n := len(err.Error()); n > stderrLimit+200 {
		t.Fatalf("the error holds %d bytes of a 100 kB stderr; at most %d are kept", n, stderrLimit)
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
