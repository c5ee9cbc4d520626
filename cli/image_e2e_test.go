package cli

import (
	"strings"
	"testing"
)

func TestBuiltinImageRemovedAndMadeAgain(t *testing.T) {
	dockerLab(t)
	mustWB(t, "run", "--rm", "--net", "none", "busybox", "true")
	out := mustWB(t, "rmi", "busybox")
	if !strings.HasPrefix(out, "Untagged: busybox:latest\nDeleted: sha256:") {
		t.Fatalf("rmi busybox: %q", out)
	}
	if out := mustWB(t, "images", "-q"); out != "" {
		t.Fatalf("images lists busybox after rmi busybox: %q", out)
	}
	if r := wb(t, "", "rmi", "busybox"); r.code != 1 || !strings.Contains(r.err, "is not in the store") {
		t.Errorf("rmi busybox twice: %+v", r)
	}
	if out := mustWB(t, "run", "--rm", "--net", "none", "busybox", "echo", "back"); out != "back\n" {
		t.Fatalf("run busybox after rmi: %q", out)
	}
	if out := mustWB(t, "images", "--json"); !strings.Contains(out, "busybox:latest") {
		t.Errorf("a run made the built-in image again, but images does not list it: %s", out)
	}
	// rmi acts on every name it can, and reports the others.
	mustWB(t, "tag", "busybox", "a:1")
	r := wb(t, "", "image", "rm", "nosuch", "a:1")
	if r.code != 1 || r.out != "Untagged: a:1\n" || !strings.Contains(r.err, "nosuch") {
		t.Errorf("image rm nosuch a:1: %+v", r)
	}
}
