package labs

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"workbench/script"
	"workbench/testutil"
)

func TestEveryLabParses(t *testing.T) {
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no bundled lab")
	}
	for _, l := range all {
		s, err := l.Script()
		if err != nil {
			t.Errorf("%s: %v", l.Name, err)
			continue
		}
		if l.Title == "" || len(s.Steps) == 0 {
			t.Errorf("%s: a lab starts with a `say` line that names it", l.Name)
		}
	}
	if _, err := Get("no-such-lab"); err == nil || !strings.Contains(err.Error(), "no lab is named") {
		t.Errorf("Get of an unknown lab: %v", err)
	}
	if _, err := Get("004"); err == nil || !strings.Contains(err.Error(), "give more of the name") {
		t.Errorf("Get of an ambiguous prefix: %v", err)
	}
	if l, err := Get("003"); err != nil || l.Name != "003-out-and-in" {
		t.Errorf("Get of a unique prefix: %v %v", l.Name, err)
	}
}

// wgetTimeout is busybox wget's -T, which makes it crash (exit 139) whatever the
// network does.
var wgetTimeout = regexp.MustCompile(`\bwget\b.*\s-T\b`)

// passesOnAnyFailure says why a lab line would check nothing, or "": a negative
// expectation must fail for the reason it names (a refused connection, a timeout, a
// DROP counter), so `expect fail`, `no-ping` and `no-tcp`, which pass on any failure,
// have no place in a bundled lab.
func passesOnAnyFailure(source string) string {
	for _, neg := range []string{"expect fail ", "expect no-ping ", "expect no-tcp "} {
		if strings.HasPrefix(source, neg) {
			return neg + "passes whatever made it fail: check the reason in the output (Connection refused, 100% packet loss) or a DROP counter"
		}
	}
	if wgetTimeout.MatchString(source) {
		return "busybox wget -T crashes (exit 139) whatever the network does: use nc -w or timeout"
	}
	return ""
}

// TestLabExpectationsExplainThemselves: every expectation of a bundled lab has a hint,
// and none passes whatever made a command fail.
func TestLabExpectationsExplainThemselves(t *testing.T) {
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		s, err := l.Script()
		if err != nil {
			t.Fatalf("%s: %v", l.Name, err)
		}
		for _, st := range s.Steps {
			if st.Kind == script.Expect && st.Hint == "" {
				t.Errorf("%s:%d: an expectation without a hint: say on a `hint` line what to look at when it fails", l.Name, st.Line)
			}
			if why := passesOnAnyFailure(st.Source); why != "" {
				t.Errorf("%s:%d: %s", l.Name, st.Line, why)
			}
		}
	}
}

// everyLab readies a run of every bundled lab with the binary, built first, and
// returns the labs.
func everyLab(t testing.TB) []Lab {
	t.Helper()
	testutil.RequireRoot(t)
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	testutil.Binary(t)
	return all
}

// TestLabs runs every bundled lab headless with the real binary, each in an instance
// of its own: the proof that every experiment of the articles still works.
func TestLabs(t *testing.T) {
	for _, l := range everyLab(t) {
		t.Run(l.Name, func(t *testing.T) {
			testutil.NewLab(t)
			out, code := testutil.Output(t, "--script", l.Name)
			if code != 0 {
				t.Fatalf("lab %s failed (exit %d):\n%s", l.Name, code, out)
			}
			if !strings.Contains(out, " 0 failed") {
				t.Errorf("lab %s: no summary line:\n%s", l.Name, out)
			}
		})
	}
}

// BenchmarkLabs runs every bundled lab once with the real binary, each in an instance
// of its own, and reports the whole suite's time and the slowest lab's.
func BenchmarkLabs(b *testing.B) {
	all := everyLab(b)
	for i := 0; i < b.N; i++ {
		var total, slowest time.Duration
		for _, l := range all {
			testutil.NewInstance(b)
			start := time.Now()
			out, code := testutil.Output(b, "--script", l.Name)
			took := time.Since(start)
			if code != 0 {
				testutil.Output(b, "reset")
				b.Fatalf("lab %s failed (exit %d):\n%s", l.Name, code, out)
			}
			total += took
			slowest = max(slowest, took)
		}
		b.ReportMetric(total.Seconds(), "suite-s")
		b.ReportMetric(slowest.Seconds(), "slowest-lab-s")
	}
}
