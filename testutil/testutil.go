// Package testutil helps kernel tests: it skips without root, gives each test an
// instance of its own so tests never touch a person's lab or each other's, runs the
// machine's programs and makes network namespaces for a test, and takes snapshots of
// the machine's own state to prove a test left it as it was.
package testutil

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"workbench/cmdlog"
	"workbench/instance"
)

// RequireRoot skips the test unless it runs as root, the way CI and this machine run.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: namespaces, mounts, cgroups and iptables are real in these tests")
	}
}

// NewInstance returns a fresh instance with a random name and selects it through
// $WORKBENCH_INSTANCE for the test and the processes it starts.
func NewInstance(t testing.TB) instance.Instance {
	t.Helper()
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	inst, err := instance.New("t" + hex.EncodeToString(b[:]))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(instance.EnvName, inst.Name)
	return inst
}

// KeepMachineNetwork fails the test if, when it ends, the machine's own network
// namespace (links, addresses, routes, iptables, forwarding sysctls) differs from now.
func KeepMachineNetwork(t testing.TB) {
	t.Helper()
	before := MachineNetwork()
	t.Cleanup(func() {
		if d := Diff(before, MachineNetwork()); d != "" {
			t.Errorf("the machine's own network namespace changed:\n%s", d)
		}
	})
}

// ReadFile is the content of the file at path; a file that cannot be read fails the
// test.
func ReadFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Commands are the command lines a command log holds, oldest first; a log that
// cannot be read fails the test.
func Commands(t testing.TB, log *cmdlog.Log) []string {
	t.Helper()
	entries, err := log.Entries()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Command
	}
	return out
}

// KernelTest readies a test of the kernel: it skips without root, fails if the
// machine's own network is changed when it ends, and gives it an instance of its own.
func KernelTest(t testing.TB) instance.Instance {
	t.Helper()
	RequireRoot(t)
	KeepMachineNetwork(t)
	return NewInstance(t)
}
