package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"workbench/instance"
	"workbench/testutil"
)

// Crash tests: a command killed (kill -9) at a random instant leaves state that the
// next command reconciles: every live container is listed, rm -f of all and reset
// leave nothing, and the next command succeeds.

const crashRounds = 30

func TestKilledRunDetachedIsReconciled(t *testing.T) {
	crashLoop(t, func(i int) []string {
		return []string{"run", "-d", "--name", fmt.Sprintf("c%d", i), "busybox", "sleep", "100000"}
	}, nil)
}

func TestKilledForegroundRunRmIsReconciled(t *testing.T) {
	crashLoop(t, func(i int) []string {
		return []string{"run", "--rm", "--name", fmt.Sprintf("c%d", i), "busybox", "sh", "-c", "sleep 0.3"}
	}, nil)
}

func TestKilledRemoveIsReconciled(t *testing.T) {
	crashLoop(t, func(i int) []string {
		return []string{"rm", "-f", fmt.Sprintf("c%d", i)}
	}, func(i int) {
		testutil.MustRun(t, "run", "-d", "--name", fmt.Sprintf("c%d", i), "busybox", "sleep", "100000")
	})
}

func TestKilledLoadIsReconciled(t *testing.T) {
	img, err := random.Image(256<<10, 3)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := name.ParseReference("crash/load:v1")
	tarPath := filepath.Join(t.TempDir(), "image.tar")
	if err := tarball.WriteToFile(tarPath, ref, img); err != nil {
		t.Fatal(err)
	}
	crashLoop(t, func(int) []string { return []string{"load", "-i", tarPath} }, nil)
	testutil.MustRun(t, "load", "-i", tarPath)
	if out := testutil.MustRun(t, "images"); !strings.Contains(out, "crash/load") {
		t.Fatalf("images after a load that ran to its end:\n%s", out)
	}
}

// crashLoop kills the command args(i) at a random instant, crashRounds times (before
// each, prepare(i) when not nil), checks after each that the next command works and
// that every live container is listed, and at the end that removing everything
// leaves nothing.
func crashLoop(t *testing.T, args func(i int) []string, prepare func(i int)) {
	testutil.RequireRoot(t)
	testutil.KeepMachineNetwork(t)
	before := testutil.Leftovers()
	testutil.NewInstance(t)
	t.Cleanup(func() { testutil.Run(t, "", "reset") })
	// The lab and the image store are made once, and the window measured.
	testutil.MustRun(t, "run", "--rm", "busybox", "true")
	if prepare != nil {
		prepare(-1)
	}
	window, _ := testutil.Timed(t, args(-1)...)
	rng := testutil.Rand(t)
	killed := 0
	for i := 0; i < crashRounds; i++ {
		if prepare != nil {
			prepare(i)
		}
		if k, _ := testutil.KillAtRandom(t, args(i), window, rng); k {
			killed++
		}
		if r := testutil.Run(t, "", "ps", "-a"); r.Code != 0 {
			t.Fatalf("round %d: ps -a after the kill: exit %d: %s", i, r.Code, r.Err)
		}
		everyLiveContainerListed(t, i)
	}
	t.Logf("%d of %d commands killed before they ended", killed, crashRounds)
	var names []string
	for _, c := range psJSON(t) {
		names = append(names, c.Name)
	}
	// A --rm container listed may end and go before rm looks it up: only such may be
	// missing.
	if len(names) > 0 {
		r := testutil.Run(t, "", append([]string{"rm", "-f"}, names...)...)
		for _, l := range strings.Split(strings.TrimSpace(r.Err), "\n") {
			if r.Code != 0 && !strings.Contains(l, "no such container") {
				t.Fatalf("rm -f of every container listed: exit %d: %s", r.Code, r.Err)
			}
		}
	}
	testutil.MustRun(t, "run", "--rm", "busybox", "true")
	testutil.MustRun(t, "reset")
	if d := testutil.InstanceLeftovers(before); d != "" {
		t.Fatalf("after rm -f of all and reset:\n%s", d)
	}
}

// everyLiveContainerListed checks that every cgroup of the instance that holds a
// process belongs to a container ps -a lists as running (or starting), and that every
// running container's PID 1 is alive.
func everyLiveContainerListed(t *testing.T, round int) {
	t.Helper()
	inst, err := instance.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]Container{}
	for _, c := range psJSON(t) {
		listed[c.ID] = c
		if c.State == StateRunning && !alive(c.Pid, c.PidStart) {
			// Its end may be being recorded right now: give the monitor a moment.
			testutil.Eventually(t, "a dead PID 1 to be recorded", func() bool {
				for _, n := range psJSON(t) {
					if n.ID == c.ID {
						return n.State != StateRunning
					}
				}
				return true
			})
		}
	}
	dirs, _ := filepath.Glob(filepath.Join("/sys/fs/cgroup/pids", inst.CgroupParent(), "*", "cgroup.procs"))
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil || strings.TrimSpace(string(b)) == "" {
			continue
		}
		id := filepath.Base(filepath.Dir(f))
		c, ok := listed[id]
		if !ok {
			// A --rm container may be being removed, or a start being undone, by a
			// command still going: it must be gone soon.
			testutil.Eventually(t, "an unlisted container to go", func() bool {
				b, err := os.ReadFile(f)
				return err != nil || strings.TrimSpace(string(b)) == ""
			})
			continue
		}
		if c.State != StateRunning && c.State != StateCreated {
			t.Errorf("round %d: %s holds processes but is %s", round, c.Name, c.State)
		}
	}
}

// TestExecRacingRemoveSaysOneLine runs execs while the container is removed: each
// runs (and may be killed with the container, 137), or says in one line that the
// container is gone.
func TestExecRacingRemoveSaysOneLine(t *testing.T) {
	testutil.NewLab(t)
	for round := 0; round < 5; round++ {
		testutil.MustRun(t, "run", "-d", "--name", "racer", "--net", "none", "busybox", "sleep", "100000")
		results := make(chan testutil.Result, 20)
		for i := 0; i < 20; i++ {
			go func() { results <- testutil.Run(t, "", "exec", "racer", "true") }()
		}
		time.Sleep(time.Duration(round) * 5 * time.Millisecond)
		testutil.MustRun(t, "rm", "-f", "racer")
		for i := 0; i < 20; i++ {
			r := <-results
			if r.Code == 0 || r.Code == 137 && r.Err == "" {
				continue // it ran, or it ran and was killed with the container
			}
			msg := strings.TrimSpace(r.Err)
			if strings.Count(msg, "\n") > 0 || !(strings.Contains(msg, "is not running") || strings.Contains(msg, "no such container")) {
				t.Errorf("exec racing rm -f: exit %d, %q: want one line saying the container is gone", r.Code, msg)
			}
		}
	}
}
