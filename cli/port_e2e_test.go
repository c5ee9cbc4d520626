package cli

import (
	"strings"
	"testing"

	"workbench/testutil"
)

func TestPortAnswersAsDocker(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "-p", "8080:80", "-p", "5353:53/udp", "-p", "127.0.0.1:8443:443", "busybox",
		"sh", "-c", "echo hello > /tmp/index.html; exec httpd -f -p 80 -h /tmp")
	if out := testutil.MustRun(t, "port", "web"); out != "53/udp -> 198.51.100.1:5353\n80/tcp -> 198.51.100.1:8080\n443/tcp -> 127.0.0.1:8443\n" {
		t.Errorf("port web:\n%s", out)
	}
	for port, want := range map[string]string{"80": "198.51.100.1:8080\n", "80/tcp": "198.51.100.1:8080\n", "53/udp": "198.51.100.1:5353\n", "443": "127.0.0.1:8443\n"} {
		if out := testutil.MustRun(t, "port", "web", port); out != want {
			t.Errorf("port web %s: %q, want %q", port, out, want)
		}
	}
	// The address port gives is where the container is reached.
	addr := strings.TrimSpace(testutil.MustRun(t, "port", "web", "80"))
	if r := testutil.Run(t, "", "host", "exec", "outside", "wget", "-q", "-T", "3", "-O", "-", "http://"+addr+"/"); r.Code != 0 || r.Out != "hello\n" {
		t.Errorf("wget %s from outside: %+v", addr, r)
	}
	for _, c := range []struct{ args, want string }{
		{"port web 81", "no public port 81/tcp published for web"},
		{"port web 53", "no public port 53/tcp published for web"},
		{"port web http", "is not a port of the container"},
		{"port web 80/sctp", "tcp or udp"},
		{"port nosuch 80", "no such container"},
	} {
		r := testutil.Run(t, "", strings.Fields(c.args)...)
		if r.Code != 1 || r.Out != "" || !strings.Contains(r.Err, c.want) || strings.Count(r.Err, "\n") != 1 {
			t.Errorf("%s: %+v; want status 1 and one line with %q", c.args, r, c.want)
		}
	}
}
