package labs

import (
	"os/exec"
	"strings"
	"testing"
	"time"

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

// everyLab readies a run of every bundled lab: the binary that runs them, and the labs.
func everyLab(t testing.TB) (bin string, all []Lab) {
	t.Helper()
	testutil.RequireRoot(t)
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	return testutil.Binary(t), all
}

// TestLabs runs every bundled lab headless with the real binary, each in an instance
// of its own: the proof that every experiment of the articles still works.
func TestLabs(t *testing.T) {
	bin, all := everyLab(t)
	for _, l := range all {
		t.Run(l.Name, func(t *testing.T) {
			testutil.KeepMachineNetwork(t)
			testutil.NewInstance(t)
			t.Cleanup(func() {
				if out, err := exec.Command(bin, "reset").CombinedOutput(); err != nil {
					t.Errorf("reset after %s: %v: %s", l.Name, err, out)
				}
			})
			out, err := exec.Command(bin, "--script", l.Name).CombinedOutput()
			if err != nil {
				t.Fatalf("lab %s failed (%v):\n%s", l.Name, err, out)
			}
			if !strings.Contains(string(out), " 0 failed") {
				t.Errorf("lab %s: no summary line:\n%s", l.Name, out)
			}
		})
	}
}

// BenchmarkLabs runs every bundled lab once with the real binary, each in an instance
// of its own, and reports the whole suite's time and the slowest lab's.
func BenchmarkLabs(b *testing.B) {
	bin, all := everyLab(b)
	for i := 0; i < b.N; i++ {
		var total, slowest time.Duration
		for _, l := range all {
			testutil.NewInstance(b)
			start := time.Now()
			out, err := exec.Command(bin, "--script", l.Name).CombinedOutput()
			took := time.Since(start)
			if err != nil {
				_ = exec.Command(bin, "reset").Run()
				b.Fatalf("lab %s failed (%v):\n%s", l.Name, err, out)
			}
			total += took
			slowest = max(slowest, took)
		}
		b.ReportMetric(total.Seconds(), "suite-s")
		b.ReportMetric(slowest.Seconds(), "slowest-lab-s")
	}
}
