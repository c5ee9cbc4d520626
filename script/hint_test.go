package script

import (
	"context"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestParseHint(t *testing.T) {
	s := mustParse(t, "say A lab.\nps\n  hint   ps lists the containers  \nexpect ok ps\n# a comment between\n\nhint $(not run) \"kept\" as written\nexpect fail ps\nhints ps\n")
	if len(s.Steps) != 5 {
		t.Fatalf("%d steps, want 5 (a hint line is no step): %+v", len(s.Steps), s.Steps)
	}
	for i, want := range []string{"", "ps lists the containers", `$(not run) "kept" as written`, "", ""} {
		if s.Steps[i].Hint != want {
			t.Errorf("step %d (line %d) hint %q, want %q", i, s.Steps[i].Line, s.Steps[i].Hint, want)
		}
	}
	if last := s.Steps[4]; last.Kind != Command || last.Command.Args[0] != "hints" {
		t.Errorf("`hints ps` is a command, not a hint: %+v", last)
	}
}

func TestParseHintErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"hint first", "x.lab:1:1: a hint goes right after the expectation or command"},
		{"expect ok ps\nhint", "x.lab:2:1: hint needs the text"},
		{"expect ok ps\n  hint \t ", "x.lab:2:3: hint needs the text"},
		{"say A lab.\nhint too early", "x.lab:2:1: a hint explains an expectation or a command, and line 1 is neither"},
		{"ps\npause\nhint late", "x.lab:3:1: a hint explains an expectation or a command, and line 2 is neither"},
		{"expect ok ps\nhint one\nhint two", "x.lab:3:1: the step on line 1 has a hint already"},
	}
	checkParseErrors(t, cases)
	// A hint after a bad line belongs to a step that is not there: only the bad line is named.
	_, err := Parse("x.lab", []byte("expect maybe ps\nhint about it\n"))
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.HasPrefix(err.Error(), "x.lab:1:8:") {
		t.Errorf("a hint after a bad line: %v", err)
	}
}

func TestRunnerShowsHintOfFailure(t *testing.T) {
	r, out, ok := runScript(t, `expect ok ps
hint never shown: ps passes
expect output ps contains db
hint db is not running: run it first
false
hint false always fails
expect ok ps
`, commands)
	if ok || r.Failed != 1 || r.Stopped() == nil {
		t.Fatalf("want one failed expectation and a stop:\n%s", out)
	}
	if strings.Contains(out, "never shown") {
		t.Errorf("the hint of a step that passed is shown:\n%s", out)
	}
	testutil.Contains(t, "the report", out,
		"     => line 3: the output does not satisfy: contains \"db\"\n     hint: db is not running: run it first\n",
		"     => line 5: the command failed with exit status 1; the steps after it did not run\n     hint: false always fails\n",
		"  t.lab:3: expect output ps contains db: the output does not satisfy: contains \"db\"\n    hint: db is not running: run it first\n",
		"  t.lab:5: false: exit status 1\n    hint: false always fails\n",
	)
}

func TestPlayerHint(t *testing.T) {
	s := mustParse(t, "expect output ps contains db\nhint db is not running\nexpect ok ps\nhint not shown\nexpect fail ps\n")
	p := NewPlayer(s, &Env{Run: commands.run})
	for i, want := range []string{"db is not running", "", ""} {
		p.Advance(context.Background())
		if p.Hint != want {
			t.Errorf("after beat %d the hint is %q, want %q", i+1, p.Hint, want)
		}
	}
}
