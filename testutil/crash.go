package testutil

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Crash tests kill a workbench command at a random instant, as `kill -9 PID` would, and
// check that the next command finds the instance whole. A typical loop:
//
//	rng := testutil.Rand(t)
//	d, _ := testutil.Timed(t, "network", "create", "blue") // then undo what it made
//	for range 30 {
//		killed, out := testutil.KillAtRandom(t, []string{"network", "create", "blue"}, d, rng)
//		// the next command must succeed and see blue whole or not at all
//	}

// SeedEnv names the environment variable that fixes the seed of crash tests' random
// kills: WORKBENCH_SEED=N go test -run TestName repeats a failed run.
const SeedEnv = "WORKBENCH_SEED"

// Rand returns the random source of a crash test, seeded from $WORKBENCH_SEED when it
// is set and from the clock otherwise. The seed is logged, so a failing test shows it.
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(SeedEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("$%s=%q is not a seed: give a number", SeedEnv, s)
		}
		seed = n
	}
	t.Logf("random kills with seed %d (repeat with %s=%d)", seed, SeedEnv, seed)
	return rand.New(rand.NewPCG(seed, seed))
}

// Timed runs the workbench binary with args to its end and returns how long it took and
// what it printed (standard output and error); the test fails if the command does. It
// measures the window a crash test draws its kills from.
func Timed(t testing.TB, args ...string) (time.Duration, string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(Binary(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("workbench %s: %v: %s", strings.Join(args, " "), err, out.String())
	}
	return took, out.String()
}

// KillAtRandom runs the workbench binary with args and sends it SIGKILL after a delay
// drawn uniformly from [0, d), as `kill -9 PID` would: only that process is killed, and
// what it started (a child command, a container) is left as the kernel leaves it. It
// returns whether the kill came before the command ended, and what the command printed
// (standard output and error) until then. With d <= 0 the command is killed as soon as
// it has started.
func KillAtRandom(t testing.TB, args []string, d time.Duration, rng *rand.Rand) (killed bool, out string) {
	t.Helper()
	var delay time.Duration
	if d > 0 {
		delay = time.Duration(rng.Int64N(int64(d)))
	}
	var buf bytes.Buffer
	cmd := exec.Command(Binary(t), args...)
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start workbench %s: %v", strings.Join(args, " "), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		if kerr := cmd.Process.Kill(); kerr != nil && !errors.Is(kerr, os.ErrProcessDone) {
			t.Fatalf("kill workbench %s: %v", strings.Join(args, " "), kerr)
		}
		err = <-done
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("workbench %s: %v", strings.Join(args, " "), err)
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ws.Signaled() && ws.Signal() == syscall.SIGKILL, buf.String()
}
