package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"workbench/cmdlog"
	"workbench/core/cgroup"
	"workbench/images"
	"workbench/instance"
	"workbench/testutil"
)

// The race of a commit against a hostile container: the container swaps its own paths
// between a regular file (or a directory) and a symlink to a file (or a directory) of
// the machine as fast as it can while it is committed, paused and not. No layer may
// ever hold what the machine's files hold, and the symlinks are committed as symlinks.
func TestCommitOfASwappingContainerNeverTakesMachineFiles(t *testing.T) {
	inst := testutil.NewLab(t)
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	secret := "SECRET-" + hex.EncodeToString(b[:]) + "\n"
	benign := strings.Repeat("b", len(secret)-1) + "\n" // as long as the secret: a read through the symlink would fit
	machineDir := t.TempDir()
	marker := filepath.Join(machineDir, "marker")
	if err := os.WriteFile(marker, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(machineDir, "machine-only"), []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	swap := func(file, dir string) string {
		return `while :; do rm -rf ` + file + ` ` + dir + `; printf '` + strings.TrimSuffix(benign, "\n") + `\n' > ` + file +
			`; mkdir ` + dir + `; printf '` + strings.TrimSuffix(benign, "\n") + `\n' > ` + dir + `/marker; rm -rf ` + file + ` ` + dir +
			`; ln -s ` + marker + ` ` + file + `; ln -s ` + machineDir + ` ` + dir + `; done`
	}
	testutil.MustRun(t, "run", "-d", "--name", "swapper", "--net", "none", "busybox", "sh", "-c",
		"("+swap("/data1", "/sub1")+") & ("+swap("/data2", "/sub2")+") & wait")
	c := containerNamed(t, "swapper")
	g, err := cgroup.Open(inst, c.CgroupID)
	if err != nil {
		t.Fatal(err)
	}
	store, err := images.Open(inst.ImagesDir(), cmdlog.Open(os.DevNull))
	if err != nil {
		t.Fatal(err)
	}

	symlinks, layers := 0, map[string]bool{}
	for i := 0; i < 60; i++ {
		args := []string{"commit", "swapper", "swapped:" + itoa(i)}
		if i < 30 {
			args = append(args, "--pause=false")
		}
		r := testutil.Run(t, "", args...)
		if r.Code != 0 {
			t.Errorf("%s: exit %d: %s", strings.Join(args, " "), r.Code, r.Err)
			continue
		}
		if state := freezerState(t, g); state != "" && state != "THAWED" {
			t.Fatalf("after %s the container's freezer reads %s", strings.Join(args, " "), state)
		}
		if cur := containerNamed(t, "swapper"); cur.State != StateRunning {
			t.Fatalf("after %s the container is %s", strings.Join(args, " "), cur.State)
		}
		img, err := store.Resolve(context.Background(), "swapped:"+itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		top := img.Layers[len(img.Layers)-1]
		for _, p := range []string{"data1", "data2"} {
			symlinks += checkSwapped(t, filepath.Join(top, p), marker, benign)
		}
		for _, p := range []string{"sub1", "sub2"} {
			symlinks += checkSwapped(t, filepath.Join(top, p), machineDir, "")
		}
		for _, l := range img.Layers {
			layers[l] = true
		}
	}
	for l := range layers {
		scanForSecret(t, l, secret)
	}
	if symlinks == 0 {
		t.Errorf("no commit caught a path of the container as a symlink: the race was not run")
	}
	t.Logf("%d symlinks committed as symlinks", symlinks)
	if frozen, thawed := freezes(t, inst); frozen != 30 || thawed != 30 {
		t.Errorf("the command log records %d freezes and %d thaws for 30 paused commits", frozen, thawed)
	}
}

// checkSwapped checks what a commit recorded at p, a path the container swaps between
// a regular file holding benign (or a directory, when benign is "") and a symlink to
// target: either is fine, read as it was. It returns 1 for a symlink.
func checkSwapped(t *testing.T, p, target, benign string) int {
	t.Helper()
	fi, err := os.Lstat(p)
	switch {
	case os.IsNotExist(err):
		return 0
	case err != nil:
		t.Fatal(err)
	case fi.Mode()&fs.ModeSymlink != 0:
		if got, err := os.Readlink(p); err != nil || got != target {
			t.Errorf("%s is a symlink to %q (%v), want %q", p, got, err, target)
		}
		return 1
	case benign == "" && fi.IsDir():
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			if e.Name() != "marker" {
				t.Errorf("%s holds %s, which only the machine's directory has", p, e.Name())
			}
		}
	case benign != "" && fi.Mode().IsRegular():
		if got := readTestFile(t, p); got != benign && got != "" && !strings.HasPrefix(benign, got) {
			t.Errorf("%s holds %q, want the container's %q", p, got, benign)
		}
	default:
		t.Errorf("%s is a %v", p, fi.Mode())
	}
	return 0
}

// scanForSecret fails if any regular file under a layer directory holds the start of
// the secret.
func scanForSecret(t *testing.T, layer, secret string) {
	t.Helper()
	needle := secret[:20]
	err := filepath.WalkDir(layer, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		if strings.Contains(readTestFile(t, p), needle) {
			t.Errorf("layer file %s holds the machine's secret", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// freezerState reads the state of the group's freezer ("" without one).
func freezerState(t *testing.T, g *cgroup.Group) string {
	t.Helper()
	for _, d := range g.Dirs() {
		if b, err := os.ReadFile(filepath.Join(d, "freezer.state")); err == nil {
			return strings.TrimSpace(string(b))
		}
		if b, err := os.ReadFile(filepath.Join(d, "cgroup.events")); err == nil && strings.Contains(string(b), "frozen 1") {
			return "FROZEN"
		}
	}
	return ""
}

func readTestFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// freezes counts the freezer writes the command log holds, freezing and thawing.
func freezes(t *testing.T, inst instance.Instance) (frozen, thawed int) {
	t.Helper()
	for _, c := range testutil.Commands(t, cmdlog.Open(inst.CommandLogPath())) {
		switch {
		case strings.HasPrefix(c, "echo FROZEN > "), strings.HasPrefix(c, "echo 1 > ") && strings.HasSuffix(c, "/cgroup.freeze"):
			frozen++
		case strings.HasPrefix(c, "echo THAWED > "), strings.HasPrefix(c, "echo 0 > ") && strings.HasSuffix(c, "/cgroup.freeze"):
			thawed++
		}
	}
	return frozen, thawed
}

func TestCommitPausesARunningContainerAndAlwaysResumesIt(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "c", "--net", "none", "busybox", "sh", "-c", "echo hi > /hello; sleep 100000")
	c := containerNamed(t, "c")
	g, err := cgroup.Open(inst, c.CgroupID)
	if err != nil {
		t.Fatal(err)
	}

	// A commit that fails once the container is paused (the image's config is gone)
	// resumes it all the same.
	configs, _ := filepath.Glob(filepath.Join(inst.ImagesDir(), "configs", "*.json"))
	if len(configs) != 1 {
		t.Fatalf("the store holds configs %v, want busybox's alone", configs)
	}
	config := readTestFile(t, configs[0])
	if err := os.Remove(configs[0]); err != nil {
		t.Fatal(err)
	}
	if r := testutil.Run(t, "", "commit", "c", "broken:v1"); r.Code == 0 || !strings.Contains(r.Err, "read the config") {
		t.Fatalf("commit without the image's config: exit %d: %s", r.Code, r.Err)
	}
	if frozen, thawed := freezes(t, inst); frozen != 1 || thawed != 1 {
		t.Errorf("the failed commit froze %d and thawed %d times, want 1 and 1", frozen, thawed)
	}
	if state := freezerState(t, g); state != "THAWED" {
		t.Fatalf("after a failed commit the container's freezer reads %s", state)
	}
	if _, err := os.Stat(filepath.Join(inst.ContainersDir(), c.ID, pausedFile)); !os.IsNotExist(err) {
		t.Errorf("the pause mark is left after the commit: %v", err)
	}

	if err := os.WriteFile(configs[0], []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.MustRun(t, "commit", "c", "paused:v1")
	if frozen, thawed := freezes(t, inst); frozen != 2 || thawed != 2 {
		t.Errorf("after a second commit: froze %d and thawed %d times, want 2 and 2", frozen, thawed)
	}
	testutil.MustRun(t, "commit", "--pause=false", "c", "unpaused:v1")
	testutil.MustRun(t, "stop", "-t", "0", "c")
	testutil.MustRun(t, "commit", "c", "stopped:v1")
	if frozen, _ := freezes(t, inst); frozen != 2 {
		t.Errorf("--pause=false or a stopped container was frozen: %d freezes, want 2", frozen)
	}
	for _, ref := range []string{"paused:v1", "unpaused:v1", "stopped:v1"} {
		if out := testutil.MustRun(t, "run", "--rm", "--net", "none", ref, "cat", "/hello"); out != "hi\n" {
			t.Errorf("%s holds %q in /hello", ref, out)
		}
	}
}

// A commit interrupted while the container is paused resumes it before it ends; one
// killed leaves it paused with its mark, and the next command resumes it.
func TestCommitInterruptedOrKilledLeavesTheContainerRunning(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "big", "--net", "none", "busybox", "sh", "-c", "truncate -s 50G /big && touch /ready && sleep 100000")
	c := containerNamed(t, "big")
	testutil.Eventually(t, "the container to write its big file", func() bool {
		_, err := os.Stat(filepath.Join(c.UpperDir, "ready"))
		return err == nil
	})
	g, err := cgroup.Open(inst, c.CgroupID)
	if err != nil {
		t.Fatal(err)
	}
	mark := filepath.Join(inst.ContainersDir(), c.ID, pausedFile)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		cmd := exec.Command(testutil.Binary(t), "commit", "big", "big:v1")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		testutil.Eventually(t, "the commit to pause the container", func() bool { return freezerState(t, g) == "FROZEN" })
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if err := <-exited; err == nil {
			t.Fatalf("the commit ended well despite %v: make the container's sparse file larger", sig)
		}
		if sig == syscall.SIGINT {
			if !strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("the interrupted commit said: %s", stderr.String())
			}
		} else {
			if state := freezerState(t, g); state != "FROZEN" {
				t.Errorf("the killed commit left the freezer %s: the test cannot tell the next command thaws it", state)
			}
			if _, err := os.Stat(mark); err != nil {
				t.Errorf("the killed commit left no pause mark: %v", err)
			}
			testutil.MustRun(t, "ps")
		}
		if state := freezerState(t, g); state != "THAWED" {
			t.Fatalf("after a commit ended by %v the container's freezer reads %s", sig, state)
		}
		if _, err := os.Stat(mark); !os.IsNotExist(err) {
			t.Errorf("after a commit ended by %v the pause mark is left: %v", sig, err)
		}
	}
	if r := testutil.Run(t, "", "image", "inspect", "big:v1"); r.Code == 0 {
		t.Errorf("an interrupted commit recorded its image")
	}
}
