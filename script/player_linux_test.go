package script

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"workbench/testutil"
)

// binaryCommands runs each command line with the workbench binary, in the test's
// instance, as the lab scripts' commands run in the workbench.
func binaryCommands(t testing.TB) Commander {
	bin := testutil.Binary(t)
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
		var exit *exec.ExitError
		if err := cmd.Run(); errors.As(err, &exit) {
			return exit.ExitCode()
		} else if err != nil {
			return 127
		}
		return 0
	}
}

// linksLab adds two links to host1, one per step, and checks them: adding a link that
// is there already fails, so each step runs only on a lab that was really removed.
const linksLab = `say One.
host exec host1 ip link add one0 type bridge
say Two.
focus topology
host exec host1 ip link add two0 type bridge
expect output host exec host1 ip -br link contains one0 contains two0
hint both links are added, one per step
pause
say Three.
expect output host exec host1 ip -br link contains one0
hint the first link stays
`

// newRealPlayer plays src against the workbench in an instance of the test's own,
// reset at the end, and records every progress it reports.
func newRealPlayer(t *testing.T, src string) (*Player, *[]Progress) {
	t.Helper()
	testutil.KernelTest(t)
	s, err := Parse("links.lab", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	run := binaryCommands(t)
	t.Cleanup(func() {
		if code := run(context.Background(), []string{"reset"}, nil, io.Discard, io.Discard); code != 0 {
			t.Errorf("reset: exit status %d", code)
		}
	})
	p := NewPlayer(s, &Env{Run: run})
	var got []Progress
	p.OnProgress = func(pr Progress) { got = append(got, pr) }
	return p, &got
}

// TestPlayerBackAndRestart plays a small lab on the real workbench, goes back a step
// and restarts at a step: each time the lab is removed and the steps before replayed,
// or the step that runs next would fail.
func TestPlayerBackAndRestart(t *testing.T) {
	p, progress := newRealPlayer(t, linksLab)
	ctx := context.Background()
	if p.Steps() != 5 || p.Step() != 0 {
		t.Fatalf("steps: %d of %d, want 0 of 5", p.Step(), p.Steps())
	}
	if _, err := p.Back(ctx); err == nil || !strings.Contains(err.Error(), "first step") {
		t.Errorf("Back at the first step: %v", err)
	}
	for range 3 {
		p.Advance(ctx)
	}
	if p.Step() != 3 || p.Passed != 1 || p.Narration != "Two." || p.Focus != "topology" {
		t.Fatalf("after three steps: step %d, %d passed, narration %q, focus %q", p.Step(), p.Passed, p.Narration, p.Focus)
	}
	ran, err := p.Back(ctx)
	if err != nil {
		t.Fatalf("Back: %v", err)
	}
	if p.Step() != 2 || len(ran) != 5 || p.Passed != 0 || p.Narration != "Two." {
		t.Fatalf("after Back: step %d, %d lines replayed, %d passed, narration %q", p.Step(), len(ran), p.Passed, p.Narration)
	}
	if res := p.Advance(ctx); len(res) != 1 || res[0].Failed || p.Passed != 1 {
		t.Fatalf("the step after Back: %+v", res)
	}
	if _, err := p.Restart(ctx, 2); err != nil {
		t.Fatalf("Restart at step 2: %v", err)
	}
	if p.Step() != 1 || p.Narration != "One." || p.Focus != "" {
		t.Errorf("after Restart(2): step %d, narration %q, focus %q", p.Step(), p.Narration, p.Focus)
	}
	if res := p.Advance(ctx); p.Stopped() != nil {
		t.Fatalf("step 2 after Restart(2) failed, so two0 was still there: %+v", res)
	}
	if _, err := p.Restart(ctx, 5); err != nil || p.Step() != 4 {
		t.Fatalf("Restart at the last step, through the pause: step %d, %v", p.Step(), err)
	}
	if res := p.Advance(ctx); len(res) != 2 || res[1].Failed || !p.Done() || p.Step() != 5 {
		t.Fatalf("the last step: %+v (step %d)", res, p.Step())
	}
	for _, at := range []int{0, 6, -1} {
		if _, err := p.Restart(ctx, at); err == nil || !strings.Contains(err.Error(), "has steps 1 to 5") {
			t.Errorf("Restart(%d): %v", at, err)
		}
	}
	want := []Progress{{1, 5}, {2, 5}, {3, 5}, {2, 5}, {3, 5}, {1, 5}, {2, 5}, {4, 5}, {5, 5}}
	if !equalProgress(*progress, want) {
		t.Errorf("reported progress %v, want %v", *progress, want)
	}
}

// TestPlayerRestartStopsAtAFailedCommand: a command that fails while the steps before
// are played stops the restart with an error naming its line.
func TestPlayerRestartStopsAtAFailedCommand(t *testing.T) {
	p, _ := newRealPlayer(t, "say One.\nhost exec host1 ip link add one0 type bridge\nhost exec host1 ip link add one0 type bridge\nsay Three.\nexpect ok ps\n")
	_, err := p.Restart(context.Background(), 3)
	if err == nil || !strings.Contains(err.Error(), "links.lab:3: step 2 failed") || p.Step() != 2 || !p.Done() {
		t.Fatalf("Restart over a failing command: step %d, %v", p.Step(), err)
	}
}

func equalProgress(a, b []Progress) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
