package cli

import (
	"strings"
	"testing"
	"time"

	"workbench/core"
)

func TestLogWindow(t *testing.T) {
	w, err := logOptions{tail: "all", since: "10m", until: "2024-05-01T11:55:00Z"}.window(testNow)
	if err != nil || w.tail != -1 {
		t.Fatalf("%+v %v", w, err)
	}
	for at, want := range map[time.Duration]bool{-11 * time.Minute: false, -10 * time.Minute: true, -6 * time.Minute: true, -5 * time.Minute: false, 0: false} {
		if got := w.shows(testNow.Add(at)); got != want {
			t.Errorf("a line written %v from now: shown %v, want %v", at, got, want)
		}
	}
	if w, err := (logOptions{tail: "5"}).window(testNow); err != nil || w.tail != 5 || !w.shows(testNow) {
		t.Errorf("--tail 5: %+v %v", w, err)
	}
	for _, o := range []logOptions{{tail: "-1"}, {tail: "x"}, {tail: ""}, {tail: "all", since: "soon"}, {tail: "all", until: "later"}} {
		if _, err := o.window(testNow); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func TestLogTimestampsHaveOneWidth(t *testing.T) {
	at := func(ns int) core.LogEntry {
		return core.LogEntry{Stream: "stdout", Time: time.Date(2024, 5, 1, 14, 0, 0, ns, time.FixedZone("CEST", 2*3600)), Log: "x\n"}
	}
	for ns, want := range map[int]string{
		0:         "2024-05-01T12:00:00.000000000Z x\n",
		123400000: "2024-05-01T12:00:00.123400000Z x\n",
		123456789: "2024-05-01T12:00:00.123456789Z x\n",
	} {
		if got := logLine(at(ns), true); got != want {
			t.Errorf("logs -t line: %q, want %q", got, want)
		}
	}
	if got := logLine(at(5), false); got != "x\n" {
		t.Errorf("logs line: %q", got)
	}
}
