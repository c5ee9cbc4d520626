package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/testutil"
)

func writeScript(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.lab")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestScriptBrokenExpectationFails(t *testing.T) {
	inst := testutil.NewLab(t)
	path := writeScript(t, "say A lab with one broken expectation.\nexpect ping @host1 198.51.100.100\nexpect no-ping @host1 198.51.100.100\nexpect ok host exec host1 true\n")
	out, code := testutil.Output(t, "--script", path)
	if code != 1 {
		t.Fatalf("exit status %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"FAIL expect no-ping @host1 198.51.100.100", path + ":3: expect no-ping", "3 expectations, 2 passed, 1 failed", "the lab is removed"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(inst.HostNetnsPath("host1")); err == nil {
		t.Errorf("the lab is still standing after the script: %s", inst.HostNetnsPath("host1"))
	}
}

func TestScriptParseErrorRunsNothing(t *testing.T) {
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	path := writeScript(t, "host exec host1 true\nexpect ping host1\nexpect sometimes ps\n")
	out, code := testutil.Output(t, "--script", path)
	if code != 2 {
		t.Fatalf("exit status %d, want 2:\n%s", code, out)
	}
	for _, want := range []string{path + ":2:8: expect ping needs", path + ":3:8: unknown expectation"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(inst.RunDir); err == nil {
		t.Errorf("a script with a parse error made %s", inst.RunDir)
	}
}

func TestScriptFlagsMisused(t *testing.T) {
	testutil.RequireRoot(t)
	testutil.NewInstance(t)
	if out, code := testutil.Output(t, "--keep"); code != 1 || !strings.Contains(out, "--keep goes with --script") {
		t.Errorf("--keep alone: %d %s", code, out)
	}
	if out, code := testutil.Output(t, "--script", "no-such-lab-or-file"); code != 2 || !strings.Contains(out, "no script file no-such-lab-or-file") {
		t.Errorf("unknown script: %d %s", code, out)
	}
}

func TestScriptKeepLeavesTheLab(t *testing.T) {
	inst := testutil.NewLab(t)
	path := writeScript(t, "host exec host1 true\n")
	if out, code := testutil.Output(t, "--script", path, "--keep"); code != 0 || !strings.Contains(out, "left standing") {
		t.Fatalf("--keep: %d %s", code, out)
	}
	if _, err := os.Stat(inst.HostNetnsPath("host1")); err != nil {
		t.Fatalf("--keep removed the lab: %v", err)
	}
	if out, code := testutil.Output(t, "--script", path); code != 1 || !strings.Contains(out, "already has a lab standing") {
		t.Errorf("a second run without --keep should refuse to reset a standing lab: %d %s", code, out)
	}
}

// TestScriptLineErrorsNameTheLine: an over-long line and an unknown regular
// expression flag are each named by file and line, and nothing runs.
func TestScriptLineErrorsNameTheLine(t *testing.T) {
	inst := testutil.NewInstance(t)
	path := writeScript(t, "say long lines\nps "+strings.Repeat("x", 3<<20)+"\nexpect output ps matches /x/zz\n")
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"--script", path}, strings.NewReader(""), &out, &errb)
	want := "workbench: " + path + ":2: the line is longer than 64 KiB: split it\n" +
		"workbench: " + path + `:3:26: unknown flag "z" after /x/: use i, m or s` + "\n"
	if code != 2 || errb.String() != want || out.Len() != 0 {
		t.Errorf("status %d, stdout %q, stderr %q\nwant 2 and stderr %q", code, out.String(), errb.String(), want)
	}
	if _, err := os.Stat(inst.RunDir); err == nil {
		t.Errorf("a script with bad lines made %s", inst.RunDir)
	}
}
