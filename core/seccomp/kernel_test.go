package seccomp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// childEnv makes the test binary, run again as a child, install a filter on itself
// and do what its value names instead of running the tests.
const childEnv = "WORKBENCH_SECCOMP_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "checks":
		os.Exit(kernelChecks())
	case "cost-default", "cost-allow":
		os.Exit(syscallCost(os.Getenv(childEnv) == "cost-allow"))
	}
	os.Exit(m.Run())
}

// runChild runs the test binary again with childEnv set to mode.
func runChild(t testing.TB, mode string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	return string(out)
}

// install sets no_new_privs and installs the filter on every thread of the process.
func install(f *Filter) error {
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("set no_new_privs: %w", err)
	}
	prog := f.Instructions()
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	switch {
	case errno != 0:
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", errno)
	case r != 0:
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC): thread %d could not be synchronised", r)
	}
	return nil
}

// kernelChecks installs the default filter and prints one line per check, "check
// NAME: ok" or what went wrong.
func kernelChecks() int {
	f, err := Default(dockerCaps)
	if err == nil {
		err = install(f)
	}
	if err != nil {
		fmt.Println("install:", err)
		return 1
	}
	check := func(name string, got, want error) {
		if got == want || want != nil && errors.Is(got, want) {
			fmt.Printf("check %s: ok\n", name)
		} else {
			fmt.Printf("check %s: got %v, want %v\n", name, got, want)
		}
	}
	status, err := os.ReadFile("/proc/self/status")
	if err == nil && !bytes.Contains(status, []byte("\nSeccomp:\t2\n")) {
		err = fmt.Errorf("no \"Seccomp: 2\" in /proc/self/status:\n%s", status)
	}
	check("status", err, nil)
	// Without the filter these fail otherwise, or succeed: unshare(CLONE_NEWUSER) in a
	// threaded process with EINVAL, clone3 with no arguments with EINVAL, keyctl
	// succeeds, perf_event_open with no attributes fails with EFAULT.
	check("unshare", unix.Unshare(unix.CLONE_NEWUSER), unix.EPERM)
	_, err = unix.KeyctlInt(unix.KEYCTL_GET_KEYRING_ID, unix.KEY_SPEC_SESSION_KEYRING, 0, 0, 0)
	check("keyctl", err, unix.EPERM)
	_, err = unix.PerfEventOpen(nil, 0, -1, -1, 0)
	check("perf_event_open", err, unix.EPERM)
	_, _, errno := unix.Syscall(unix.SYS_CLONE3, 0, 0, 0)
	check("clone3", errno, unix.ENOSYS)
	// A path that does not exist: without the filter, mount fails with ENOENT.
	check("mount", unix.Mount("none", "/nonexistent-workbench-seccomp", "tmpfs", 0, ""), unix.EPERM)
	_, err = unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET, 0)
	check("socket AF_ALG", err, unix.EPERM)
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err == nil {
		unix.Close(fd)
	}
	check("socket AF_INET", err, nil)

	out, err := exec.Command("/bin/busybox", "sh", "-c", "echo ok; ls / >/dev/null; cat /proc/self/status").CombinedOutput()
	if err == nil && (!strings.HasPrefix(string(out), "ok\n") || !strings.Contains(string(out), "\nSeccomp:\t2\n")) {
		err = fmt.Errorf("output %q", out)
	}
	check("busybox", err, nil)
	return 0
}

// TestKernel installs the default filter in a child process and checks what the
// kernel does with it: refused syscalls fail with the profile's errno, and a shell
// runs under it.
func TestKernel(t *testing.T) {
	if _, err := os.Stat("/bin/busybox"); err != nil {
		t.Fatalf("%v: `make deps` installs busybox-static", err)
	}
	out := runChild(t, "checks")
	for _, name := range []string{"status", "unshare", "keyctl", "perf_event_open", "clone3", "mount", "socket AF_ALG", "socket AF_INET", "busybox"} {
		prefix := "check " + name + ": "
		i := strings.Index(out, prefix)
		if i < 0 {
			t.Errorf("check %s did not run:\n%s", name, out)
			continue
		}
		if line, _, _ := strings.Cut(out[i+len(prefix):], "\n"); line != "ok" {
			t.Errorf("%s: %s", name, line)
		}
	}
}
