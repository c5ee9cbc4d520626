package testutil

import (
	"strings"
	"testing"
	"time"
)

// The harness is tested on sleep and sh in place of the workbench binary.
func TestKillAtRandomKillsOrLetsEnd(t *testing.T) {
	t.Setenv(SeedEnv, "7")
	rng := Rand(t)
	t.Setenv("WORKBENCH_BIN", "/bin/sleep")
	if killed, _ := KillAtRandom(t, []string{"30"}, 50*time.Millisecond, rng); !killed {
		t.Error("sleep 30 killed within 50 ms: KillAtRandom says it was not")
	}
	if killed, _ := KillAtRandom(t, []string{"30"}, 0, rng); !killed {
		t.Error("sleep 30 killed at once: KillAtRandom says it was not")
	}
	t.Setenv("WORKBENCH_BIN", "/bin/sh")
	killed, out := KillAtRandom(t, []string{"-c", "echo out; echo err >&2"}, time.Hour, rng)
	if killed || !strings.Contains(out, "out") || !strings.Contains(out, "err") {
		t.Errorf("a command that ends before its kill: killed %v, printed %q", killed, out)
	}
	if killed, _ := KillAtRandom(t, []string{"-c", "exit 3"}, time.Hour, rng); killed {
		t.Error("a command that failed on its own is reported killed")
	}
	took, out := Timed(t, "-c", "echo timed")
	if took <= 0 || out != "timed\n" {
		t.Errorf("Timed: %v, %q", took, out)
	}
}

func TestRandRepeatsAGivenSeed(t *testing.T) {
	t.Setenv(SeedEnv, "42")
	a, b := Rand(t), Rand(t)
	for range 5 {
		if x, y := a.Int64(), b.Int64(); x != y {
			t.Fatalf("the same seed gave %d and %d", x, y)
		}
	}
}
