package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestPsFiltersAndFormatsOnRealContainers(t *testing.T) {
	testutil.NewLab(t)
	webID := strings.TrimSpace(testutil.MustRun(t, "run", "-d", "--name", "web", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/tmp", "-c", "/dev/null"))
	testutil.MustRun(t, "network", "create", "blue")
	testutil.MustRun(t, "run", "-d", "--name", "bluebox", "--net", "blue", "busybox", "sleep", "1000")
	if r := testutil.Run(t, "", "run", "--name", "job", "--net", "none", "busybox", "sh", "-c", "exit 3"); r.Code != 3 {
		t.Fatalf("job: %+v", r)
	}

	names := func(args ...string) string {
		t.Helper()
		return strings.Join(lines(testutil.MustRun(t, append([]string{"ps", "--format", "{{.Names}}"}, args...)...)), " ")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "bluebox web"},
		{[]string{"-a"}, "job bluebox web"},
		{[]string{"-f", "status=exited"}, "job"}, // a status filter needs no -a, as Docker's
		{[]string{"--filter", "status=running", "--filter", "status=exited"}, "job bluebox web"},
		{[]string{"--filter", "name=web"}, "web"},
		{[]string{"-a", "--filter", "name=^/b"}, "bluebox"},
		{[]string{"-a", "--filter", "network=blue"}, "bluebox"},
		{[]string{"-a", "--filter", "network=bridge", "--filter", "network=none"}, "job web"},
		{[]string{"-a", "--filter", "network=bridge", "--filter", "status=running"}, "web"},
		{[]string{"-a", "--filter", "exited=3"}, "job"},
		{[]string{"-a", "--filter", "label=tier"}, ""},
		{[]string{"-a", "--filter", "id=" + webID[:6]}, "web"},
		{[]string{"-n", "1"}, "job"},
		{[]string{"-l"}, "job"},
	} {
		if got := names(c.args...); got != c.want {
			t.Errorf("ps %v: %q, want %q", c.args, got, c.want)
		}
	}

	out := testutil.MustRun(t, "ps", "--filter", "name=web")
	rows := lines(out)
	header := regexp.MustCompile(`^CONTAINER ID   IMAGE     COMMAND +CREATED +STATUS +PORTS +NAMES$`)
	row := regexp.MustCompile(`^` + webID[:12] + `   busybox   "httpd -f -p 80 -h /…"   \S.* ago +Up .+ +198\.51\.100\.1:8080->80/tcp   web$`)
	if len(rows) != 2 || !header.MatchString(rows[0]) || !row.MatchString(rows[1]) {
		t.Errorf("ps is not Docker's table:\n%s", out)
	}
	out = testutil.MustRun(t, "ps", "--no-trunc", "--filter", "name=web", "--format", "{{.ID}} {{.Command}} {{.Ports}}")
	if want := webID + ` "httpd -f -p 80 -h /tmp -c /dev/null" 198.51.100.1:8080->80/tcp` + "\n"; out != want {
		t.Errorf("ps --no-trunc: %q, want %q", out, want)
	}
	out = testutil.MustRun(t, "ps", "-a", "--filter", "name=job", "--format", `{{.Image}}|{{.State}}|{{.Status}}|{{.Networks}}|{{.Labels}}|{{.Label "tier"}}|{{.Mounts}}|{{.CreatedAt}}|{{.RunningFor}}`)
	if !regexp.MustCompile(`^busybox\|exited\|Exited \(3\) .+ ago\|none\|\|\|\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+\|.+ ago\n$`).MatchString(out) {
		t.Errorf("ps --format fields: %q", out)
	}
	out = testutil.MustRun(t, "ps", "--format", "table {{.Names}}\\t{{.Networks}}")
	if want := "NAMES     NETWORKS\nbluebox   blue\nweb       bridge\n"; out != want {
		t.Errorf("ps --format table:\n%s\nwant\n%s", out, want)
	}
	out = testutil.MustRun(t, "ps", "-q", "-a")
	if ids := lines(out); len(ids) != 3 || ids[2] != webID[:12] {
		t.Errorf("ps -q -a: %q", out)
	}
	if out := testutil.MustRun(t, "ps", "-q", "--no-trunc", "--filter", "name=web"); out != webID+"\n" {
		t.Errorf("ps -q --no-trunc: %q", out)
	}
	out = testutil.MustRun(t, "ps", "--format", "json", "--filter", "name=web")
	var obj map[string]string
	if err := json.Unmarshal([]byte(out), &obj); err != nil || obj["Names"] != "web" || obj["ID"] != webID[:12] || obj["Ports"] != "198.51.100.1:8080->80/tcp" {
		t.Errorf("ps --format json: %q %v", out, err)
	}
	for _, bad := range [][]string{{"--filter", "status=sleeping"}, {"--filter", "nope"}, {"--format", "{{.Names"}, {"--format", "{{.Nope}}"}} {
		r := testutil.Run(t, "", append([]string{"ps"}, bad...)...)
		if r.Code != 1 || r.Out != "" || strings.Count(r.Err, "\n") != 1 {
			t.Errorf("ps %v: %+v; want status 1 and one line", bad, r)
		}
	}
}
