package core

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"workbench/testutil"
)

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"web", "a", "Web-1", "x_y.z", "0abc"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-web", ".x", "_x", "a b", "a/b", "é", strings.Repeat("a", 129)} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) accepted a bad name", bad)
		}
	}
}

func FuzzCheckName(f *testing.F) {
	testutil.Seed(f, "web", "-x", "a.b_c-d", "", "a\x00b")
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckName(s)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		if err == nil && (s == "" || strings.ContainsAny(s, "/ \x00\n:") || len(s) > maxNameLen) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestRandomNameAvoidsTaken(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		n := RandomName(func(s string) bool { return seen[s] })
		if seen[n] || CheckName(n) != nil {
			t.Fatalf("RandomName gave %q twice or invalid", n)
		}
		seen[n] = true
	}
}

func TestNewID(t *testing.T) {
	a, b := NewID(), NewID()
	if len(a) != 64 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("bad IDs %q %q", a, b)
	}
}

func TestParseEnv(t *testing.T) {
	lookup := func(k string) (string, bool) { return map[string]string{"HOME": "/h"}[k], k == "HOME" }
	cases := []struct {
		in, want string
		ok, err  bool
	}{
		{"A=1", "A=1", true, false}, {"A=", "A=", true, false}, {"A=b=c", "A=b=c", true, false},
		{"HOME", "HOME=/h", true, false}, {"NOPE", "", false, false}, {"=x", "", false, true},
		{"A B=1", "", false, true},
	}
	for _, c := range cases {
		got, ok, err := ParseEnv(c.in, lookup)
		if got != c.want || ok != c.ok || (err != nil) != c.err {
			t.Errorf("ParseEnv(%q) = %q %v %v", c.in, got, ok, err)
		}
	}
}

func FuzzParseEnv(f *testing.F) {
	testutil.Seed(f, "A=1", "A", "=", "A B=c", "K=\x00")
	f.Fuzz(func(t *testing.T, s string) {
		kv, ok, err := ParseEnv(s, func(string) (string, bool) { return "v", true })
		if err != nil {
			if ok || strings.Contains(err.Error(), "\n") {
				t.Fatalf("ParseEnv(%q): ok with error, or a multi-line error: %v", s, err)
			}
			return
		}
		k, _, has := strings.Cut(kv, "=")
		if !ok || !has || k == "" || strings.ContainsAny(k, " \t\n\x00") || strings.ContainsRune(kv, 0) {
			t.Fatalf("ParseEnv(%q) = %q", s, kv)
		}
	})
}

func TestMergeEnv(t *testing.T) {
	got := strings.Join(MergeEnv([]string{"A=1", "B=2"}, []string{"B=3", "C=4"}), " ")
	if got != "A=1 B=3 C=4" {
		t.Fatalf("MergeEnv = %s", got)
	}
}

func TestParseSignal(t *testing.T) {
	cases := map[string]unix.Signal{"TERM": unix.SIGTERM, "sigkill": unix.SIGKILL, "9": unix.SIGKILL,
		"hup": unix.SIGHUP, " INT ": unix.SIGINT, "RTMIN+1": 35, "64": 64}
	for in, want := range cases {
		if got, err := ParseSignal(in); err != nil || got != want {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "65", "-1", "FOO", "SIG", "9x"} {
		if _, err := ParseSignal(bad); err == nil {
			t.Errorf("ParseSignal(%q) accepted it", bad)
		}
	}
}

func FuzzParseSignal(f *testing.F) {
	testutil.Seed(f, "TERM", "9", "SIGKILL", "rtmin+3", "", "999999999999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := ParseSignal(s)
		if err == nil && (sig < 1 || sig > 64) {
			t.Fatalf("ParseSignal(%q) = %d", s, sig)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
	})
}

func TestLookupIn(t *testing.T) {
	cs := []Container{{ID: "abc123", Name: "web"}, {ID: "abd456", Name: "db"}, {ID: "ffff", Name: "abc"}}
	for in, want := range map[string]string{"web": "abc123", "abd": "abd456", "abc": "ffff", "ff": "ffff"} {
		c, err := lookupIn(cs, in)
		if err != nil || c.ID != want {
			t.Errorf("lookupIn(%q) = %q, %v; want %q", in, c.ID, err, want)
		}
	}
	for _, bad := range []string{"ab", "zzz", ""} {
		if _, err := lookupIn(cs, bad); err == nil {
			t.Errorf("lookupIn(%q) found something", bad)
		}
	}
}

func TestStatus(t *testing.T) {
	now := time.Now()
	c := Container{State: StateExited, ExitCode: 3, Finished: now.Add(-5 * time.Second)}
	if got := c.Status(now); got != "Exited (3) 5 seconds ago" {
		t.Fatalf("Status = %q", got)
	}
}
