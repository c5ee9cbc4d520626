package core

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"workbench/testutil"
)

// The boundary of a default container, attacked from inside as a hostile container
// would: it must hold at least as well as Docker's default one.

var (
	probeOnce sync.Once
	probePath string
	probeErr  error
)

// probe builds testdata/probe (static) once and copies it into a running container's
// writable layer as /probe.
func probe(t *testing.T, name string) {
	t.Helper()
	probeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "workbench-probe")
		if err != nil {
			probeErr = err
			return
		}
		probePath = filepath.Join(dir, "probe")
		cmd := exec.Command("go", "build", "-o", probePath, "./testdata/probe")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			probeErr = &buildFailure{out: string(out)}
		}
	})
	if probeErr != nil {
		t.Fatalf("build the probe: %v", probeErr)
	}
	b, err := os.ReadFile(probePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(containerNamed(t, name).UpperDir, "probe"), b, 0o755); err != nil {
		t.Fatal(err)
	}
}

type buildFailure struct{ out string }

func (b *buildFailure) Error() string { return b.out }

// probeResults runs the probe in a container and returns each attempt's verdict.
func probeResults(t *testing.T, name string, attempts ...string) map[string]string {
	t.Helper()
	out := testutil.MustRun(t, append([]string{"exec", name, "/probe"}, attempts...)...)
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(line, " ")
		got[k] = v
	}
	return got
}

func TestSeccompAndDevicesRefuseWhatDockerRefuses(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "hostile", "--net", "none", "busybox", "sleep", "1000")
	probe(t, "hostile")
	want := map[string]string{
		// Refused by the seccomp filter (EPERM before the kernel's own checks: a
		// threaded process would get EINVAL from unshare of a user namespace).
		"keyctl": "refused EPERM", "add_key": "refused EPERM", "unshare-user": "refused EPERM",
		"perf_event_open": "refused EPERM", "userfaultfd": "refused EPERM", "bpf": "refused EPERM",
		"kexec_load": "refused EPERM", "open_by_handle_at": "refused EPERM", "mount": "refused EPERM",
		// Any node may be made, only the allowed ones opened (the device cgroup).
		"mknod-kvm": "ok", "open-kvm": "refused EPERM",
	}
	var names []string
	for k := range want {
		names = append(names, k)
	}
	got := probeResults(t, "hostile", names...)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	// The same process with seccomp off: the filter, not something else, refused.
	testutil.MustRun(t, "run", "-d", "--name", "loose", "--net", "none", "--security-opt", "seccomp=unconfined", "busybox", "sleep", "1000")
	probe(t, "loose")
	if got := probeResults(t, "loose", "keyctl", "unshare-user"); got["keyctl"] == "refused EPERM" || got["unshare-user"] != "refused EINVAL" {
		t.Errorf("without seccomp: %v, want keyctl let through and unshare refused by the kernel (EINVAL)", got)
	}
	if s := testutil.MustRun(t, "exec", "hostile", "grep", "Seccomp:", "/proc/1/status"); !strings.Contains(s, "2") {
		t.Errorf("PID 1: %q, want Seccomp: 2 (filter)", s)
	}
}

// TestCallerDescriptorsDoNotReachContainers hands run and exec a descriptor of the
// machine's / without close-on-exec, as `exec 7</` in a shell does: neither the
// container's command nor an exec'd process may hold it.
func TestCallerDescriptorsDoNotReachContainers(t *testing.T) {
	testutil.NewLab(t)
	root, err := os.Open("/")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	withFd := func(args ...string) string {
		cmd := exec.Command(testutil.Binary(t), args...)
		cmd.ExtraFiles = []*os.File{root} // descriptor 3 of the command
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("workbench %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	// ls holds one descriptor of its own (3), to read the directory.
	if out := withFd("run", "--rm", "--net", "none", "busybox", "ls", "/proc/self/fd"); strings.Join(strings.Fields(out), " ") != "0 1 2 3" {
		t.Errorf("the command holds descriptors %q, want 0 1 2 and ls's own 3", out)
	}
	testutil.MustRun(t, "run", "-d", "--name", "web", "--net", "none", "busybox", "sleep", "1000")
	probe(t, "web")
	if out := withFd("exec", "web", "/probe", "extra-fds"); out != "extra-fds ok\n" {
		t.Errorf("an exec'd process holds the caller's descriptors: %q", out)
	}
	if out := withFd("exec", "web", "ls", "/proc/1/fd"); strings.Join(strings.Fields(out), " ") != "0 1 2" {
		t.Errorf("the container's PID 1 holds descriptors %q, want 0 1 2", out)
	}
}

// TestStateIsRootsOnly: state, logs and the command log are readable by root only,
// and no process of ours shows a container's ID on its command line.
func TestStateIsRootsOnly(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "-e", "SECRET=x", "busybox", "sleep", "1000")
	c := containerNamed(t, "web")
	dir := filepath.Dir(filepath.Dir(c.UpperDir))
	run := filepath.Dir(filepath.Dir(dir))
	for path, mode := range map[string]os.FileMode{
		filepath.Join(dir, "state.json"): 0o600, filepath.Join(dir, "container.log"): 0o600,
		filepath.Join(run, "commands.log"): 0o600, filepath.Join(run, "monitor.json"): 0o600,
		filepath.Join(run, "lock"): 0o600, filepath.Join(run, "monitor.sock"): 0o600,
		filepath.Join(run, "network", "state.json"): 0o600, filepath.Join(run, "network"): 0o700,
		dir: 0o700,
	} {
		st, err := os.Lstat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s has mode %o, want %o", path, st.Mode().Perm(), mode)
		}
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), c.ID) || strings.Contains(string(b), c.ShortID()) {
			t.Errorf("%s shows the container's ID: %q", p, b)
		}
	}
	var in []json.RawMessage
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "inspect", "web")), &in); err != nil || len(in) != 1 {
		t.Fatal(err)
	}
}

// TestEtcSymlinkImageWritesNothingOutside runs images whose /etc is a symlink to a
// directory of the machine: the files the set-up makes under /etc land where the
// symlink leads inside the rootfs, or the start is refused; never in the machine's
// directory.
func TestEtcSymlinkImageWritesNothingOutside(t *testing.T) {
	testutil.NewLab(t)
	hostile := func(name, path, link string) {
		// The image is made from an exited container's layer, changed from outside.
		testutil.MustRun(t, "run", "--name", name, "--net", "none", "busybox", "true")
		upper := containerNamed(t, name).UpperDir
		if err := os.RemoveAll(filepath.Join(upper, path)); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(link, filepath.Join(upper, path)); err != nil {
			t.Fatal(err)
		}
		testutil.MustRun(t, "commit", name, name+":v1")
	}
	// /etc -> /tmp: a directory of both the machine and the image.
	var before []string
	for _, f := range []string{"hostname", "hosts", "resolv.conf"} {
		if _, err := os.Lstat("/tmp/" + f); err == nil {
			before = append(before, f)
		}
	}
	hostile("etctmp", "etc", "/tmp")
	out := testutil.MustRun(t, "run", "--rm", "--net", "none", "--hostname", "inside", "etctmp:v1", "sh", "-c", "cat /etc/hostname; readlink /etc")
	if out != "inside\n/tmp\n" {
		t.Fatalf("the container sees %q", out)
	}
	for _, f := range []string{"hostname", "hosts", "resolv.conf"} {
		if _, err := os.Lstat("/tmp/" + f); err == nil && !contains(before, f) {
			t.Errorf("the set-up made the machine's /tmp/%s", f)
			os.Remove("/tmp/" + f)
		}
	}
	// /etc -> a directory only the machine has: refused, nothing made there.
	target := t.TempDir()
	hostile("etclink", "etc", target)
	if r := testutil.Run(t, "", "run", "--rm", "--net", "none", "etclink:v1", "true"); r.Code != 125 || !strings.Contains(r.Err, "/etc") {
		t.Fatalf("an image whose /etc leads nowhere inside it: exit %d %q, want it refused", r.Code, r.Err)
	}
	if ents, _ := os.ReadDir(target); len(ents) != 0 {
		t.Fatalf("the set-up wrote into the machine's %s: %v", target, ents)
	}
	hostile("proclink", "proc", "/etc")
	if r := testutil.Run(t, "", "run", "--rm", "--net", "none", "proclink:v1", "true"); r.Code != 125 || !strings.Contains(r.Err, "/proc is a symlink") {
		t.Fatalf("an image whose /proc is a symlink: exit %d %q, want it refused", r.Code, r.Err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestWritableLayerIsBounded fills a container's writable layer: it stops at its
// bound, and another container's layer is untouched.
func TestWritableLayerIsBounded(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "other", "--net", "none", "busybox", "sleep", "1000")
	r := testutil.Run(t, "", "run", "--rm", "--net", "none", "--storage-opt", "size=8m", "busybox", "sh", "-c",
		"dd if=/dev/zero of=/fill bs=1M count=32 2>&1; ls -l /fill")
	if !strings.Contains(r.Out, "No space left on device") {
		t.Fatalf("filling an 8m layer: %q", r.Out)
	}
	if out := testutil.MustRun(t, "exec", "other", "sh", "-c", "dd if=/dev/zero of=/f bs=1M count=16 2>/dev/null && echo fine"); out != "fine\n" {
		t.Fatalf("another container's layer: %q", out)
	}
	if r := testutil.Run(t, "", "run", "--storage-opt", "size=lots", "busybox", "true"); r.Code == 0 || !strings.Contains(r.Err, "--storage-opt") {
		t.Fatalf("--storage-opt size=lots: %d %q", r.Code, r.Err)
	}
}
