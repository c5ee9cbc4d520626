package cgview

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSparkline(t *testing.T) {
	if got := Sparkline([]float64{0, 25, 50, 100, 200}, 8, 100); got != "   ▁▃▅██" {
		t.Errorf("Sparkline = %q", got)
	}
	if got := Sparkline([]float64{1, 2, 3, 4}, 2, 4); utf8.RuneCountInString(got) != 2 || got != "▇█" {
		t.Errorf("Sparkline keeps the latest values: %q", got)
	}
	if Sparkline(nil, 0, 1) != "" || Sparkline([]float64{5}, 1, 0) != "▁" {
		t.Error("Sparkline edge cases")
	}
}

func TestCPUChartDrawsQuotaLine(t *testing.T) {
	// A loop held at a 20% quota, then released to 50% under a 50% quota.
	rows := CPUChart([]float64{20, 20, 20, 50, 50}, 6, 4, 50)
	want := []string{
		"      ",
		"──────",
		"    ██",
		" ▆▆▆██",
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("CPUChart =\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range CPUChart([]float64{300, 0}, 3, 2, 0) {
		if utf8.RuneCountInString(r) != 3 {
			t.Errorf("row %q is not 3 cells wide", r)
		}
	}
	if CPUChart(nil, 0, 3, 0) != nil {
		t.Error("CPUChart of width 0")
	}
}

func TestCPUScale(t *testing.T) {
	if CPUScale(nil, 0) != 100 || CPUScale([]float64{150}, 0) != 150 || CPUScale(nil, 120) != 150 {
		t.Error("CPUScale")
	}
}

func TestMemoryBar(t *testing.T) {
	if got := MemoryBar(16<<20, 64<<20, 10); got != "[██░░░░░░] 16MiB / 64MiB (25%)" {
		t.Errorf("MemoryBar = %q", got)
	}
	if got := MemoryBar(128<<20, 64<<20, 6); got != "[████] 128MiB / 64MiB (200%)" {
		t.Errorf("MemoryBar over the limit = %q", got)
	}
	if got := MemoryBar(1<<20, 0, 4); got != "[░░] 1MiB / no limit" {
		t.Errorf("MemoryBar without limit = %q", got)
	}
}
