package script

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// fakeCommands answers command lines from a table: the output and the exit status.
type fakeCommands map[string]struct {
	out  string
	code int
}

func (f fakeCommands) run(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
	r, ok := f[strings.Join(args, " ")]
	if !ok {
		fmt.Fprintf(stdout, "unknown command %q\n", args)
		return 127
	}
	fmt.Fprint(stdout, r.out)
	return r.code
}

// fakeLab gives a container a CPU time that grows at a fixed rate.
type fakeLab struct {
	start time.Time
	rate  float64 // CPUs used
}

func (l fakeLab) NetnsPath(_ context.Context, p Place) (string, error) {
	return "", fmt.Errorf("no namespace for %s in this test", p)
}

func (l fakeLab) CPUClock(_ context.Context, name string) (func() (time.Duration, error), error) {
	if name != "busy" {
		return nil, fmt.Errorf("no container %s", name)
	}
	return func() (time.Duration, error) { return time.Duration(float64(time.Since(l.start)) * l.rate), nil }, nil
}

func runScript(t *testing.T, src string, cmds fakeCommands) (*Runner, string, bool) {
	t.Helper()
	s := mustParse(t, src)
	r := NewRunner(s, &Env{Run: cmds.run, Lab: fakeLab{start: time.Now(), rate: 0.5}})
	var out strings.Builder
	ok := r.Run(context.Background(), &out)
	return r, out.String(), ok
}

var commands = fakeCommands{
	"ps":           {out: "ID NAME\nabc web\n"},
	"inspect nope": {out: "workbench: no container nope\n", code: 1},
	"false":        {code: 1},
}

func TestRunnerPasses(t *testing.T) {
	r, out, ok := runScript(t, `say A lab.
workbench ps
expect ok ps
expect fail inspect nope
expect output ps contains web lacks db matches '/abc\s+web/'
expect cpu busy above 30% for 200ms
expect cpu busy below 70% for 200ms
`, commands)
	if !ok || r.Passed != 5 || r.Failed != 0 {
		t.Fatalf("want 5 passed, got ok=%v passed=%d failed=%d:\n%s", ok, r.Passed, r.Failed, out)
	}
	testutil.Contains(t, "the report", out, "== t.lab", "$ workbench ps", "     | abc web", "PASS expect fail inspect nope", "t.lab: 5 expectations, 5 passed, 0 failed")
}

func TestRunnerReportsBrokenExpectation(t *testing.T) {
	r, out, ok := runScript(t, `expect output ps contains db
expect ok inspect nope
expect cpu busy below 20% for 100ms
expect ok ps
`, commands)
	if ok || r.Passed != 1 || r.Failed != 3 {
		t.Fatalf("want 1 passed and 3 failed, got ok=%v %d/%d:\n%s", ok, r.Passed, r.Failed, out)
	}
	testutil.Contains(t, "the report", out,
		"FAIL expect output ps contains db",
		`t.lab:1: expect output ps contains db: the output does not satisfy: contains "db"`,
		"t.lab:2: expect ok inspect nope: exit status 1",
		"t.lab:3: expect cpu busy below 20% for 100ms: busy used",
		"t.lab: 4 expectations, 1 passed, 3 failed",
	)
}

func TestRunnerStopsAtFailedCommand(t *testing.T) {
	r, out, ok := runScript(t, "ps\nfalse\nexpect ok ps\n", commands)
	if ok || r.Stopped() == nil || r.Stopped().Step.Line != 2 || r.Passed != 0 {
		t.Fatalf("want a stop at line 2 and nothing checked:\n%s", out)
	}
	if !strings.Contains(out, "stopped at t.lab:2") || strings.Contains(out, "expect ok ps") {
		t.Errorf("report:\n%s", out)
	}
}

func TestRunnerStepTimeout(t *testing.T) {
	s := mustParse(t, "expect cpu busy above 1% for 5s\n")
	r := NewRunner(s, &Env{Run: commands.run, Lab: fakeLab{start: time.Now(), rate: 1}})
	r.StepTimeout = 100 * time.Millisecond
	res := r.Next(context.Background())
	if !res.Failed || res.Elapsed > 2*time.Second {
		t.Fatalf("want a failure after the step timeout, got %+v", res)
	}
}

func TestPlayerBeats(t *testing.T) {
	s := mustParse(t, "say One.\nfocus iptables\nps\nexpect ok ps\nsay Two.\npause\nps\n")
	p := NewPlayer(s, &Env{Run: commands.run})
	var beats [][]Kind
	for !p.Done() {
		var kinds []Kind
		for _, r := range p.Advance(context.Background()) {
			kinds = append(kinds, r.Step.Kind)
		}
		beats = append(beats, kinds)
		if len(beats) == 1 && (p.Narration != "One." || p.Focus != "iptables") {
			t.Errorf("after the first beat: narration %q focus %q", p.Narration, p.Focus)
		}
	}
	want := fmt.Sprint([][]Kind{{Say, Focus, Command}, {Expect}, {Say, Pause}, {Command}})
	if fmt.Sprint(beats) != want {
		t.Errorf("beats %v, want %v", beats, want)
	}
}

func TestRunnerSubstitutes(t *testing.T) {
	cmds := fakeCommands{
		"inspect -f {{.State.Pid}} web": {out: "4242\n"},
		"echo pid=4242/x":               {out: "yes\n"},
	}
	r, out, ok := runScript(t, "echo pid=$(inspect -f '{{.State.Pid}}' web)/x\nexpect output echo pid=$(workbench inspect -f '{{.State.Pid}}' web)/x contains yes\nexpect fail echo $(inspect nope)\n", cmds)
	if !ok || r.Passed != 2 {
		t.Fatalf("substitution:\n%s", out)
	}
	if !strings.Contains(out, "  = echo pid=4242/x\n") {
		t.Errorf("a command with a substitution should show how it ran:\n%s", out)
	}
	if !strings.Contains(out, "$(inspect nope) failed with exit status 127") {
		t.Errorf("a failed substitution should say so:\n%s", out)
	}
}

func TestCaptureInterfaceSubstitution(t *testing.T) {
	s := mustParse(t, `expect capture @host1:$(inspect -f "{{(index .Workbench.Interfaces 0).HostVeth}}" web) icmp within 1s while ps`)
	c := s.Steps[0].Check.(*captureCheck)
	got, err := c.taps[0].resolve(context.Background(), &Env{Run: fakeCommands{"inspect -f {{(index .Workbench.Interfaces 0).HostVeth}} web": {out: "veth12ab\n"}}.run})
	if err != nil || got.iface != "veth12ab" || got.place != (Place{"host1", true}) {
		t.Fatalf("resolved tap %+v, %v", got, err)
	}
	if _, err := Parse("t.lab", []byte(`expect capture $(ps):eth0 icmp within 1s while ps`)); err == nil || !strings.Contains(err.Error(), "only the interface") {
		t.Errorf("a substituted place: %v", err)
	}
}
