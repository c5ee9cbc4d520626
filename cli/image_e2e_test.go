package cli

import (
	"strings"
	"testing"

	"workbench/testutil"
)

func TestBuiltinImageRemovedAndMadeAgain(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "--rm", "--net", "none", "busybox", "true")
	out := testutil.MustRun(t, "rmi", "busybox")
	if !strings.HasPrefix(out, "Untagged: busybox:latest\nDeleted: sha256:") {
		t.Fatalf("rmi busybox: %q", out)
	}
	if out := testutil.MustRun(t, "images", "-q"); out != "" {
		t.Fatalf("images lists busybox after rmi busybox: %q", out)
	}
	if r := testutil.Run(t, "", "rmi", "busybox"); r.Code != 1 || !strings.Contains(r.Err, "is not in the store") {
		t.Errorf("rmi busybox twice: %+v", r)
	}
	if out := testutil.MustRun(t, "run", "--rm", "--net", "none", "busybox", "echo", "back"); out != "back\n" {
		t.Fatalf("run busybox after rmi: %q", out)
	}
	if out := testutil.MustRun(t, "images", "--json"); !strings.Contains(out, "busybox:latest") {
		t.Errorf("a run made the built-in image again, but images does not list it: %s", out)
	}
	// rmi acts on every name it can, and reports the others.
	testutil.MustRun(t, "tag", "busybox", "a:1")
	r := testutil.Run(t, "", "image", "rm", "nosuch", "a:1")
	if r.Code != 1 || r.Out != "Untagged: a:1\n" || !strings.Contains(r.Err, "nosuch") {
		t.Errorf("image rm nosuch a:1: %+v", r)
	}
}
