package network

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/instance"
	"workbench/nsutil"
	"workbench/testutil"
)

// newLab returns a manager of a fresh test instance whose lab exists; everything of it
// is removed when the test ends, and the machine's own network must be unchanged.
func newLab(t testing.TB) (*Manager, instance.Instance) {
	t.Helper()
	inst := testutil.KernelTest(t)
	m := New(inst, cmdlog.Open(inst.CommandLogPath()))
	t.Cleanup(func() {
		if err := m.Reset(context.Background()); err != nil {
			t.Errorf("reset: %v", err)
		}
		os.RemoveAll(inst.RunDir)
	})
	if err := m.EnsureLab(t.Context()); err != nil {
		t.Fatal(err)
	}
	return m, inst
}

// newSandbox makes a container-like network namespace of the test's instance (removed
// by Reset) and returns its path.
func newSandbox(t testing.TB, inst instance.Instance, name string) string {
	t.Helper()
	if err := addNamedNetns(inst.HostNetnsName("ct" + name)); err != nil {
		t.Fatal(err)
	}
	return inst.HostNetnsPath("ct" + name)
}

// attached makes a container-like namespace named name and attaches it as container
// id to host1's default network.
func attached(t testing.TB, m *Manager, inst instance.Instance, name, id string) (netns string, a Attachment) {
	t.Helper()
	netns = newSandbox(t, inst, name)
	a, err := m.Attach(t.Context(), AttachRequest{ContainerID: id, NetnsPath: netns})
	if err != nil {
		t.Fatal(err)
	}
	return netns, a
}

// inNs runs a command in a namespace and returns its output, failing the test on error.
func inNs(t testing.TB, path string, args ...string) string {
	t.Helper()
	out, err := nsutil.Output(path, exec.Command(args[0], args[1:]...))
	if err != nil {
		t.Fatalf("%s in %s: %v", strings.Join(args, " "), path, err)
	}
	return string(out)
}

// tryNs runs a command in a namespace and says whether it succeeded.
func tryNs(path string, args ...string) bool {
	_, err := nsutil.Output(path, exec.Command(args[0], args[1:]...))
	return err == nil
}

// serve starts a busybox httpd in a namespace serving a file that says who it is,
// stopped when the test ends.
func serve(t testing.TB, path, dir, port, body string) {
	t.Helper()
	if err := writeFile(dir+"/index.html", body); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("busybox", "httpd", "-f", "-p", port, "-h", dir)
	if err := nsutil.Start(path, cmd); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	time.Sleep(100 * time.Millisecond)
}

// fetch gets a URL from inside a namespace with busybox wget.
func fetch(path, url string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// busybox 1.35's wget crashes with -T: the context bounds the wait instead.
	out, err := nsutil.Output(path, exec.CommandContext(ctx, "busybox", "wget", "-q", "-O", "-", url))
	return string(out), err
}

// capture runs tcpdump in a namespace for the first packet matching filter while do
// runs, and returns what it printed.
func capture(t testing.TB, path, iface, filter string, do func()) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var out strings.Builder
	cmd := exec.CommandContext(ctx, "tcpdump", "-l", "-n", "-c", "1", "-i", iface, filter)
	cmd.Stdout = &out
	if err := nsutil.Start(path, cmd); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	do()
	cmd.Wait()
	return out.String()
}
