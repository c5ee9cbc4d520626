package panetest

import (
	"testing"

	"workbench/instance"
	"workbench/testutil"
)

// WebLab gives the test a lab of its own (testutil.NewLab) in which the container web
// serves HTTP on port 80, published on host1's port 8080: the journey the kernel
// tests of the trace, iptables and conntrack panes follow.
func WebLab(t testing.TB) instance.Instance {
	t.Helper()
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80")
	return inst
}

// VisitWeb has the lab host outside connect to web's published port, at host1's
// address on the lab's LAN. The server has no page to give: wget fails on the 404 it
// answers, and the connection is what counts.
func VisitWeb(t testing.TB) {
	t.Helper()
	if out, code := testutil.Output(t, "host", "exec", "outside", "wget", "-q", "-T", "2", "-O", "/dev/null", "http://198.51.100.1:8080/"); code != 0 {
		t.Logf("wget from outside: exit %d: %s", code, out)
	}
}
