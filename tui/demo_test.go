package tui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/script"
	"workbench/tui/panetest"
)

// newDemo plays the lab src, named t, in an app of three panes on a screen of 120 by
// 40; run records the commands it runs.
func newDemo(t *testing.T, src string) (d *demoModel, run *fakeRun) {
	t.Helper()
	s, err := script.Parse("t.lab", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	app, run := newApp(t, 120, 40, 3)
	d = &demoModel{app: app, demo: NewDemo("t", script.NewPlayer(s, &script.Env{Run: run.run}))}
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d, run
}

// demoKey feeds a key to the demo and, for a beat, the beat's result back, as the
// program does.
func demoKey(t *testing.T, d *demoModel, k string) {
	t.Helper()
	_, cmd := d.Update(panetest.Key(k))
	if cmd == nil {
		return
	}
	if beat, ok := cmd().(demoBeatMsg); ok {
		d.Update(beat)
	}
}

func TestDemoBanner(t *testing.T) {
	d, run := newDemo(t, "say A lab of two beats.\nfocus iptables\nps\npause\nsay Now a check.\nfocus log\nexpect ok ps\nexpect fail ps\n")
	if d.app.height != 40-demoBannerLines {
		t.Fatalf("the app got %d lines under the banner, want %d", d.app.height, 40-demoBannerLines)
	}
	view := d.View().Content
	if !strings.Contains(view, "lab t") || !strings.Contains(view, "A lab of two beats.") || !strings.Contains(view, "step 0 of 4") {
		t.Fatalf("banner before the first beat:\n%s", view)
	}
	demoKey(t, d, ".")
	if got := d.app.focused().Title(); got != "iptables" {
		t.Errorf("focus after the first beat: %q, want iptables", got)
	}
	if view := d.View().Content; !strings.Contains(view, "$ ps") || len(run.got) != 1 {
		t.Errorf("after the first beat (ran %q):\n%s", run.got, view)
	}
	demoKey(t, d, ".") // the pause
	demoKey(t, d, ".")
	if got := d.app.focused().Title(); got != "Command log" {
		t.Errorf("focus after `focus log`: %q", got)
	}
	if view := d.View().Content; !strings.Contains(view, "PASS expect ok ps") || !strings.Contains(view, "Now a check.") {
		t.Errorf("after the check:\n%s", view)
	}
	demoKey(t, d, ".")
	view = d.View().Content
	if !strings.Contains(view, "FAIL expect fail ps") || !strings.Contains(view, "1 passed  1 failed") || !strings.Contains(view, "the lab is over") {
		t.Errorf("at the end:\n%s", view)
	}
	if lines := strings.Split(view, "\n"); len(lines) != 40 {
		t.Errorf("the demo draws %d lines on a 40-line screen", len(lines))
	}
}

// TestDemoBannerHint: a failed step's hint is shown above what it printed, and goes
// away with the next beat.
func TestDemoBannerHint(t *testing.T) {
	d, _ := newDemo(t, "say Checks.\nexpect output ps contains nothing-like-this\nhint look at ps first\nexpect ok ps\n")
	demoKey(t, d, ".")
	view := d.View().Content
	lines := strings.Split(ansi.Strip(view), "\n")
	if !strings.Contains(lines[2], "FAIL expect output ps") || !strings.Contains(lines[3], "hint: look at ps first") || !strings.Contains(lines[4], "│ ok: ps") {
		t.Errorf("the banner after a failed step with a hint:\n%s", strings.Join(lines[:demoBannerLines], "\n"))
	}
	if len(lines) != 40 {
		t.Errorf("the demo draws %d lines on a 40-line screen", len(lines))
	}
	demoKey(t, d, ".")
	if view := d.View().Content; strings.Contains(view, "hint:") || !strings.Contains(view, "PASS expect ok ps") {
		t.Errorf("the hint stays after a step that passed:\n%s", view)
	}
}

// TestDemoBannerWraps: a narration and a result longer than the screen is wide are
// shown whole, wrapped, and the app is sized under the taller banner.
func TestDemoBannerWraps(t *testing.T) {
	long := strings.Repeat("The packet crosses the bridge and meets the DNAT rule. ", 4) + "END-OF-NARRATION"
	s, err := script.Parse("t.lab", []byte("say "+long+"\nexpect ok ps "+strings.Repeat("x", 100)+" END-OF-PASS\n"))
	if err != nil {
		t.Fatal(err)
	}
	app, run := newApp(t, 80, 40, 3)
	d := &demoModel{app: app, demo: NewDemo("t", script.NewPlayer(s, &script.Env{Run: run.run}))}
	d.Update(tea.WindowSizeMsg{Width: 80, Height: 40})
	demoKey(t, d, ".")
	lines := strings.Split(ansi.Strip(d.View().Content), "\n")
	text := strings.Join(lines[:d.bannerHeight], " ")
	for _, want := range []string{"END-OF-NARRATION", "PASS expect ok ps", "END-OF-PASS"} {
		if !strings.Contains(text, want) {
			t.Errorf("the banner cuts %q:\n%s", want, strings.Join(lines[:d.bannerHeight], "\n"))
		}
	}
	if d.bannerHeight <= demoBannerLines || app.height != 40-d.bannerHeight || len(lines) != 40 {
		t.Errorf("banner %d lines, app %d lines, screen %d lines: want a taller banner and the app under it on 40", d.bannerHeight, app.height, len(lines))
	}
}

// TestDemoBackRestart: `,` goes back one step and R to the start with the player,
// the progress says where the lab is, and the help lists the lab's keys.
func TestDemoBackRestart(t *testing.T) {
	s, err := script.Parse("t.lab", []byte("say One.\nps\nsay Two.\nexpect ok ps\nsay Three.\nexpect ok ps\n"))
	if err != nil {
		t.Fatal(err)
	}
	app, run := newApp(t, 120, 40, 3)
	d := &demoModel{app: app, demo: NewDemo("t", script.NewPlayer(s, &script.Env{Run: run.run}))}
	app.extraKeys = d.demo.keys
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	demoKey(t, d, ".")
	demoKey(t, d, ".")
	if view := ansi.Strip(d.View().Content); !strings.Contains(view, "step 2 of 3") {
		t.Fatalf("after two steps:\n%s", view)
	}
	demoKey(t, d, ",")
	view := ansi.Strip(d.View().Content)
	if !strings.Contains(view, "step 1 of 3") || !strings.Contains(view, "back at step 2 of 3") || !strings.Contains(view, "One.") {
		t.Errorf("after a step back:\n%s", view)
	}
	demoKey(t, d, "R")
	if view := ansi.Strip(d.View().Content); !strings.Contains(view, "step 0 of 3") {
		t.Errorf("after a restart:\n%s", view)
	}
	if !slices.Contains(run.got, "reset --keep-images") {
		t.Errorf("going back ran %q, not the player's reset", run.got)
	}
	demoKey(t, d, "?")
	help := ansi.Strip(d.View().Content)
	for _, want := range []string{"Lab keys", ".  next step", ",  step back", "R  restart the lab"} {
		if !strings.Contains(strings.Join(strings.Fields(help), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the help lacks %q:\n%s", want, help)
		}
	}
}
