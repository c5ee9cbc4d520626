package cli

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

func TestDemoLists(t *testing.T) {
	testutil.NewInstance(t)
	out, code := testutil.Output(t, "demo")
	if code != 0 || !strings.Contains(out, "000-bridge-by-hand") || !strings.Contains(out, "004-kube-service") || !regexp.MustCompile(`(?m)^001-network-modes +- +The four`).MatchString(out) {
		t.Fatalf("demo list: %d\n%s", code, out)
	}
}

// demoApp is `workbench demo ARGS` running in tmux in the test's instance: keys go to
// it and its screen is read.
type demoApp struct {
	t *testing.T
	*testutil.Screen
}

// startDemo runs `workbench demo` with args in a tmux of its own, which ends with the
// test, showing its screen if the test failed; the lab is reset then too.
func startDemo(t *testing.T, args string) demoApp {
	t.Helper()
	testutil.RequireRoot(t)
	inst, err := currentInstance()
	if err != nil {
		t.Fatal(err)
	}
	term := testutil.Terminal{Width: 160, Height: 45, Env: []string{"WORKBENCH_INSTANCE=" + inst.Name}}
	return demoApp{t, testutil.StartScreen(t, term, testutil.Binary(t)+" demo "+args)}
}

// next presses `.` and waits for the step's line in the banner.
func (d demoApp) next(want string) string {
	d.t.Helper()
	d.Keys(".")
	return d.See(want)
}

// quit presses q and waits for the app to end.
func (d demoApp) quit() {
	d.t.Helper()
	d.Keys("q")
	d.WaitFor("no lab banner after q", func(text string) bool { return !strings.Contains(text, " lab 0") })
}

// TestDemoPlaysInTheApp plays a lab in the full-screen app inside tmux: each `.` runs
// one step, the banner shows the narration and the verdicts, `q` quits.
func TestDemoPlaysInTheApp(t *testing.T) {
	testutil.NewLab(t)
	d := startDemo(t, "001")
	d.See("lab 001-network-modes")
	d.See("The four network modes side by side")
	d.next("$ run -d --name mode-none")
	for i := 0; i < 3; i++ {
		d.Keys(".")
		time.Sleep(300 * time.Millisecond)
	}
	if s := d.See("PASS expect"); strings.Contains(s, "FAIL") {
		t.Errorf("a step failed in the demo:\n%s", s)
	}
	d.quit()
}

// demoProgress is what `workbench demo` lists for 001-network-modes.
func demoProgress(t *testing.T) string {
	t.Helper()
	out, code := testutil.Output(t, "demo")
	m := regexp.MustCompile(`(?m)^001-network-modes +(.*?)  +The four`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("demo list: exit %d:\n%s", code, out)
	}
	return m[1]
}

// TestDemoResumesAndStartsAtAStep plays two steps of a lab and quits; `demo` lists how
// far it got, the next `demo` makes the lab again up to there and goes on with the
// third step, --step 6 starts at step 6 and --from-start at the first.
func TestDemoResumesAndStartsAtAStep(t *testing.T) {
	testutil.NewLab(t)
	d := startDemo(t, "001")
	d.next("$ run -d --name mode-none")
	d.next(`PASS expect output exec mode-none ip -o link contains "1: lo:"`)
	d.quit()
	if got := demoProgress(t); got != "step 2 of 26" {
		t.Fatalf("after two steps the list shows %q", got)
	}
	d = startDemo(t, "001")
	d.See("lab 001-network-modes")
	if s := d.next("expect output exec mode-none ip route lacks default"); !strings.Contains(s, "PASS expect output exec mode-none ip route") {
		t.Errorf("the third step, on the lab made again up to it:\n%s", s)
	}
	d.quit()
	if got := demoProgress(t); got != "step 3 of 26" {
		t.Fatalf("after the resumed step the list shows %q", got)
	}
	d = startDemo(t, "001 --step 6")
	d.next("$ run -d --name mode-bridge")
	d.quit()
	if got := demoProgress(t); got != "step 6 of 26" {
		t.Fatalf("after --step 6 and one step the list shows %q", got)
	}
	d = startDemo(t, "001 --from-start")
	d.next("$ run -d --name mode-none")
	d.quit()
	if got := demoProgress(t); got != "step 1 of 26" {
		t.Fatalf("after --from-start and one step the list shows %q", got)
	}
}

// TestDemoBadInput: a step out of range, an unknown lab, flags that contradict each
// other, and a lab that no demo made get one line each, and nothing runs.
func TestDemoBadInput(t *testing.T) {
	testutil.NewLab(t)
	for _, c := range []struct{ args, want string }{
		{"demo 001 --step 0", "--step 0: 001-network-modes has steps 1 to 26"},
		{"demo 001 --step 999", "--step 999: 001-network-modes has steps 1 to 26"},
		{"demo 001 --step -3", "--step -3: 001-network-modes has steps 1 to 26"},
		{"demo 001 --step seven", `--step "seven" is not a whole number`},
		{"demo no-such-lab", `no lab is named "no-such-lab"`},
		{"demo 00", "give more of the name"},
		{"demo 001 --step 2 --from-start", "--from-start and --step both say where to start"},
		{"demo --step 2", "--from-start and --step go with the name of a lab"},
	} {
		out, code := testutil.Output(t, strings.Fields(c.args)...)
		if code == 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, c.want) {
			t.Errorf("workbench %s: exit %d, want one line with %q:\n%s", c.args, code, c.want, out)
		}
	}
	if got := demoProgress(t); got != "-" {
		t.Errorf("bad input changed the progress: %q", got)
	}
	testutil.Output(t, "run", "-d", "--name", "mine", "busybox", "sleep", "60")
	out, code := testutil.Output(t, "demo", "001")
	if code == 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "that no demo made") {
		t.Errorf("a demo over a lab no demo made: exit %d:\n%s", code, out)
	}
	if out, _ := testutil.Output(t, "ps", "--format", "{{.Names}}"); !strings.Contains(out, "mine") {
		t.Errorf("the refused demo removed the lab standing: %s", out)
	}
}

// TestDemoStartAt: where a demo of a lab of 26 steps starts, from its flags and the
// steps played before.
func TestDemoStartAt(t *testing.T) {
	for _, c := range []struct {
		start      demoStart
		played, at int
		note, err  string
	}{
		{demoStart{}, 0, 1, "", ""},
		{demoStart{}, 7, 8, "", ""},
		{demoStart{}, 25, 26, "", ""},
		{demoStart{}, 26, 1, "was played to its end", ""},
		{demoStart{}, 40, 1, "was played to its end", ""},
		{demoStart{}, -2, 1, "", ""},
		{demoStart{fromStart: true}, 7, 1, "", ""},
		{demoStart{step: 3, stepGiven: true}, 7, 3, "", ""},
		{demoStart{step: 26, stepGiven: true}, 0, 26, "", ""},
		{demoStart{step: 27, stepGiven: true}, 0, 0, "", "--step 27: lab has steps 1 to 26"},
		{demoStart{step: 0, stepGiven: true}, 0, 0, "", "--step 0: lab has steps 1 to 26"},
		{demoStart{step: 2, stepGiven: true, fromStart: true}, 0, 0, "", "give one of them"},
	} {
		at, note, err := c.start.at("lab", 26, c.played)
		if at != c.at || !strings.Contains(note, c.note) || (note == "") != (c.note == "") || (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%+v after %d steps: at %d, note %q, err %v", c.start, c.played, at, note, err)
		}
	}
}
