package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestInspectShowsDockersDocument(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "web", "-p", "8080:80", "-e", "GREETING=hello", "--restart", "on-failure:2", "busybox", "httpd", "-f", "-p", "80")
	var docs []map[string]any
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "inspect", "web")), &docs); err != nil || len(docs) != 1 {
		t.Fatalf("inspect: %v", err)
	}
	d := docs[0]
	for _, k := range []string{"Id", "Created", "Path", "Args", "State", "Image", "Name", "RestartCount", "HostConfig", "Mounts", "Config", "NetworkSettings", "Namespaces", "Cgroup", "Capabilities", "Workbench"} {
		if _, ok := d[k]; !ok {
			t.Errorf("inspect has no %s", k)
		}
	}
	if d["Name"] != "/web" || d["Path"] != "httpd" {
		t.Errorf("inspect: Name %v, Path %v", d["Name"], d["Path"])
	}
	pid := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.State.Pid}}", "web"))
	comm, err := os.ReadFile("/proc/" + pid + "/comm")
	if err != nil || strings.TrimSpace(string(comm)) != "httpd" {
		t.Fatalf("{{.State.Pid}} = %s is not the container's httpd: %q %v", pid, comm, err)
	}
	ip := strings.TrimSpace(testutil.MustRun(t, "exec", "web", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1"))
	for format, want := range map[string]string{
		"{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}":                           "running true 0",
		"{{.NetworkSettings.IPAddress}}":                                                     ip,
		"{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{$e.IPAddress}}{{end}}":        "bridge " + ip,
		`{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}`:                     "8080",
		"{{index .Config.Env 2}}":                                                            "GREETING=hello",
		"{{.Mounts}}":                                                                        "[]",
		"{{json .Mounts}}":                                                                   "[]",
		"{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}": "on-failure:2",
		"{{.Config.Image}} {{.Config.Cmd}}":                                                  "busybox [httpd -f -p 80]",
		`{{join .Args " "}} {{upper .State.Status}} {{len .Capabilities}}`:                   "-f -p 80 RUNNING 14",
		"{{.Id}}": strings.TrimSpace(testutil.MustRun(t, "ps", "-q", "--no-trunc")),
	} {
		if got := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", format, "web")); got != want {
			t.Errorf("inspect -f %s: %q, want %q", format, got, want)
		}
	}
	var env []string
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "inspect", "--format", "{{json .Config.Env}}", "web")), &env); err != nil || len(env) < 3 {
		t.Errorf("{{json .Config.Env}}: %v %v", env, err)
	}
	var nets map[string]map[string]any
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "inspect", "-f", "{{json .NetworkSettings.Networks}}", "web")), &nets); err != nil || nets["bridge"]["IPAddress"] != ip {
		t.Errorf("{{json .NetworkSettings.Networks}}: %v %v", nets, err)
	}
	cg := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Cgroup.Path}}", "web"))
	if procs, err := os.ReadFile("/proc/" + pid + "/cgroup"); err != nil || !strings.Contains(string(procs), cg) {
		t.Errorf("{{.Cgroup.Path}} %s is not the cgroup of %s: %s", cg, pid, procs)
	}
	veth := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{(index .Workbench.Interfaces 0).HostVeth}}", "web"))
	if out := testutil.MustRun(t, "host", "exec", "host1", "ip", "-br", "link", "show", "master", "wb0"); !strings.Contains(out, veth) {
		t.Errorf("HostVeth %s is not a port of the bridge:\n%s", veth, out)
	}
	// Stopped: no PID, its exit status, and a name that names nothing is reported while
	// the others are still shown.
	testutil.MustRun(t, "stop", "-t", "0", "web")
	r := testutil.Run(t, "", "inspect", "-f", "{{.State.Status}} {{.State.Pid}} {{.State.ExitCode}}", "nosuch", "web")
	if r.Code != 1 || r.Out != "exited 0 137\n" || !strings.Contains(r.Err, "nosuch") || strings.Count(r.Err, "\n") != 1 {
		t.Errorf("inspect nosuch web: %+v", r)
	}
	if r := testutil.Run(t, "", "inspect", "nosuch"); r.Code != 1 || r.Out != "[]\n" {
		t.Errorf("inspect nosuch: %+v; want [] and status 1, as Docker", r)
	}
	if r := testutil.Run(t, "", "inspect", "-f", "{{.Nope}}", "web"); r.Code != 1 || strings.Count(r.Err, "\n") != 1 || !strings.Contains(r.Err, "Nope") {
		t.Errorf("inspect -f {{.Nope}}: %+v", r)
	}
}
