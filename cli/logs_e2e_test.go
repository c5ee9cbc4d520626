package cli

import (
	"regexp"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestLogsTailSinceAndTimestamps(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "talker", "--net", "none", "busybox", "sh", "-c",
		"echo one; sleep 1; echo two >&2; sleep 1; echo three; echo four; exec sleep 1000")
	testutil.Eventually(t, "the container to write its lines", func() bool {
		return strings.Contains(testutil.MustRun(t, "logs", "talker"), "four")
	})
	r := testutil.Run(t, "", "logs", "-t", "talker")
	stamped := regexp.MustCompile(`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (\w+)$`)
	times := map[string]string{}
	for _, l := range append(lines(r.Out), lines(r.Err)...) {
		m := stamped.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("logs -t line %q is not an RFC 3339 time with nine digits, then the line", l)
		}
		times[m[2]] = m[1]
	}
	if len(times) != 4 {
		t.Fatalf("logs -t: %q %q", r.Out, r.Err)
	}
	for _, c := range []struct {
		args     []string
		out, err string
	}{
		{[]string{"--tail", "1"}, "four\n", ""},
		{[]string{"-n", "3"}, "three\nfour\n", "two\n"},
		{[]string{"--tail", "0"}, "", ""},
		{[]string{"--tail", "all"}, "one\nthree\nfour\n", "two\n"},
		{[]string{"--since", times["three"]}, "three\nfour\n", ""},
		{[]string{"--until", times["three"]}, "one\n", "two\n"},
		{[]string{"--since", times["two"], "--until", times["three"]}, "", "two\n"},
		{[]string{"--since", "1h"}, "one\nthree\nfour\n", "two\n"},
		{[]string{"--since", "1h", "--tail", "2"}, "three\nfour\n", ""},
		{[]string{"--until", "1h"}, "", ""},
	} {
		r := testutil.Run(t, "", append(append([]string{"logs"}, c.args...), "talker")...)
		if r.Code != 0 || r.Out != c.out || r.Err != c.err {
			t.Errorf("logs %v: out %q err %q (status %d), want %q %q", c.args, r.Out, r.Err, r.Code, c.out, c.err)
		}
	}
	for _, bad := range [][]string{{"--tail", "-2"}, {"--tail", "lots"}, {"--since", "yesterday"}, {"--until", "2024-13-01"}} {
		r := testutil.Run(t, "", append(append([]string{"logs"}, bad...), "talker")...)
		if r.Code != 1 || r.Out != "" || strings.Count(r.Err, "\n") != 1 {
			t.Errorf("logs %v: %+v; want status 1 and one line", bad, r)
		}
	}
}
