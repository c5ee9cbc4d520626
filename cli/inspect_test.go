package cli

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/core/network"
	"workbench/images"
)

// inspection is a running container as the engine inspects it.
func inspection() core.Inspection {
	c := core.Container{
		ID: strings.Repeat("ab", 32), Name: "web", Image: "app:v1", ImageID: "sha256:" + strings.Repeat("12", 32),
		Cmd: []string{"/entry.sh", "httpd", "-f"}, State: core.StateRunning, Pid: 4242,
		Host: "host1", NetMode: "bridge", NetnsPath: "/run/workbench/containers/ab/netns", StaticIP: "172.18.0.9",
		ExtraNetworks: []string{"blue"},
		PortSpecs:     []network.PortSpec{{HostPort: 8080, ContainerPort: 80, Proto: "tcp"}},
		Networks: []network.Attachment{
			{Host: "host1", Network: "bridge", IfName: "eth0", IP: "172.18.0.9/16", Gateway: "172.18.0.1", MAC: "02:42:ac:12:00:09", HostVeth: "veth1"},
			{Host: "host1", Network: "blue", IfName: "eth1", IP: "172.30.0.2/24", Gateway: "172.30.0.1", MAC: "02:42:ac:1e:00:02", HostVeth: "veth2"},
		},
		Ports:      []network.PortBinding{{Host: "host1", HostPort: 8080, ContainerIP: "172.18.0.9", ContainerPort: 80, Proto: "tcp"}},
		Limits:     cgroup.Limits{CPUs: 0.5, Memory: 64 << 20, PidsLimit: 100},
		Rootfs:     "/run/x/merged",
		UpperDir:   "/run/x/layer/upper",
		Layers:     []string{"/layers/bottom", "/layers/top"},
		Env:        []string{"PATH=/bin", "A=1"},
		WorkingDir: "/srv", Hostname: "abababababab", Restart: core.RestartPolicy{Name: "on-failure", MaximumRetryCount: 3},
		Security:     core.Security{Caps: append(slices.Clone(core.DefaultCaps[:13]), "CAP_NET_ADMIN"), Seccomp: core.SeccompDefault},
		StorageSize:  512 << 20,
		RestartCount: 2, Init: true,
		Created: time.Date(2024, 5, 1, 12, 0, 0, 5, time.UTC), Started: time.Date(2024, 5, 1, 12, 0, 1, 0, time.UTC),
	}
	return core.Inspection{Container: c, Dir: "/run/x", LogPath: "/run/x/container.log",
		Namespaces:   []core.NamespaceInfo{{Type: "net", Container: 2, Machine: 1}},
		Cgroup:       &core.CgroupInfo{Path: "/workbench/" + c.ID},
		Capabilities: []string{"CAP_CHOWN"}}
}

// imageDetails is the image the container was made of, with an entrypoint.
func imageDetails() *images.Details {
	return &images.Details{Config: images.Config{Entrypoint: []string{"/entry.sh"}, Cmd: []string{"sh"}, ExposedPorts: []string{"443/tcp"}}}
}

// keysOf are the keys of a JSON object, sorted.
func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestInspectDocumentHasDockersKeys(t *testing.T) {
	v := newInspectView(inspection(), imageDetails(), map[string]string{"host1": "198.51.100.1"})
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	// Docker's keys first, then the workbench's own sections, none of them Docker's.
	has := func(where string, keys []string, want ...string) {
		t.Helper()
		for _, k := range want {
			if !slices.Contains(keys, k) {
				t.Errorf("%s has no key %s: %v", where, k, keys)
			}
		}
	}
	has("the document", keysOf(t, raw), "Id", "Created", "Path", "Args", "State", "Image", "Name", "RestartCount",
		"HostConfig", "Mounts", "Config", "NetworkSettings", "GraphDriver", "LogPath",
		"Namespaces", "Cgroup", "Capabilities", "Workbench")
	has("State", keysOf(t, doc["State"]), "Status", "Running", "Paused", "Restarting", "OOMKilled", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt")
	has("Config", keysOf(t, doc["Config"]), "Hostname", "Env", "Cmd", "Image", "WorkingDir", "Entrypoint", "Labels", "User", "Tty", "OpenStdin")
	has("NetworkSettings", keysOf(t, doc["NetworkSettings"]), "IPAddress", "Gateway", "MacAddress", "Ports", "Networks")
	has("HostConfig", keysOf(t, doc["HostConfig"]), "NetworkMode", "PortBindings", "RestartPolicy", "AutoRemove", "CapAdd", "CapDrop", "NanoCpus", "Memory", "PidsLimit")
	// One convention: every key starts with a capital, as Docker's.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				if k == "" || strings.ToUpper(k[:1]) != k[:1] {
					if !strings.HasSuffix(path, "Ports") && !strings.HasSuffix(path, "ExposedPorts") && !strings.HasSuffix(path, "PortBindings") &&
						!strings.HasSuffix(path, "Networks") && !strings.HasSuffix(path, "Data") && !strings.HasSuffix(path, "StorageOpt") {
						t.Errorf("key %s.%s is not Docker's convention", path, k)
					}
				}
				walk(path+"."+k, sub)
			}
		case []any:
			for _, sub := range v {
				walk(path+"[]", sub)
			}
		}
	}
	var generic any
	_ = json.Unmarshal(raw, &generic)
	walk("", generic)
}

func TestInspectDocumentValues(t *testing.T) {
	in := inspection()
	v := newInspectView(in, imageDetails(), map[string]string{"host1": "198.51.100.1"})
	checks := []struct {
		what      string
		got, want any
	}{
		{"Name", v.Name, "/web"},
		{"Path", v.Path, "/entry.sh"},
		{"Args", v.Args, []string{"httpd", "-f"}},
		{"Created", v.Created, "2024-05-01T12:00:00.000000005Z"},
		{"State.Pid", v.State.Pid, 4242},
		{"State.Status", v.State.Status, "running"},
		{"State.FinishedAt", v.State.FinishedAt, "0001-01-01T00:00:00Z"},
		{"Image", v.Image, in.ImageID},
		{"Config.Image", v.Config.Image, "app:v1"},
		{"Config.Entrypoint", v.Config.Entrypoint, []string{"/entry.sh"}},
		{"Config.Cmd", v.Config.Cmd, []string{"httpd", "-f"}},
		{"Config.ExposedPorts", len(v.Config.ExposedPorts), 2},
		{"NetworkSettings.IPAddress", v.NetworkSettings.IPAddress, "172.18.0.9"},
		{"NetworkSettings.IPPrefixLen", v.NetworkSettings.IPPrefixLen, 16},
		{"Networks.blue.IPAddress", v.NetworkSettings.Networks["blue"].IPAddress, "172.30.0.2"},
		{"Networks.bridge.IPAMConfig", v.NetworkSettings.Networks["bridge"].IPAMConfig.IPv4Address, "172.18.0.9"},
		{"NetworkSettings.Ports", v.NetworkSettings.Ports["80/tcp"], []inspectPortBinding{{HostIP: "198.51.100.1", HostPort: "8080"}}},
		{"HostConfig.PortBindings", v.HostConfig.PortBindings["80/tcp"], []inspectPortBinding{{HostPort: "8080"}}},
		{"HostConfig.CapAdd", v.HostConfig.CapAdd, []string{"CAP_NET_ADMIN"}},
		{"HostConfig.CapDrop", v.HostConfig.CapDrop, []string{core.DefaultCaps[13]}},
		{"HostConfig.NanoCpus", v.HostConfig.NanoCPUs, int64(500000000)},
		{"HostConfig.RestartPolicy", v.HostConfig.RestartPolicy, inspectRestartPolicy{"on-failure", 3}},
		{"GraphDriver.LowerDir", v.GraphDriver.Data["LowerDir"], "/layers/top:/layers/bottom"},
		{"Workbench.HostVeth", v.Workbench.Interfaces[1].HostVeth, "veth2"},
		{"Cgroup.Path", v.Cgroup.Path, in.Cgroup.Path},
	}
	for _, c := range checks {
		g, _ := json.Marshal(c.got)
		w, _ := json.Marshal(c.want)
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", c.what, g, w)
		}
	}
	// A stopped container has no PID, its networks without addresses.
	in.State, in.Finished = core.StateExited, in.Started.Add(time.Second)
	in.Networks, in.Ports = nil, nil
	v = newInspectView(in, nil, nil)
	if v.State.Pid != 0 || v.State.Running || v.NetworkSettings.IPAddress != "" || len(v.NetworkSettings.Networks) != 2 || v.Config.Entrypoint != nil {
		t.Errorf("stopped: %+v %+v %+v", v.State, v.NetworkSettings, v.Config)
	}
}

func TestInspectFormatUsesDockersNamesAndFunctions(t *testing.T) {
	v := newInspectView(inspection(), imageDetails(), map[string]string{"host1": "198.51.100.1"})
	for format, want := range map[string]string{
		"{{.State.Pid}}":                        "4242",
		"{{.ID}}":                               v.ID,
		"{{.Id}}":                               v.ID, // Docker's JSON key, through the fallback
		"{{.HostConfig.CpuShares}}":             "0",
		"{{.NetworkSettings.IPAddress}}":        "172.18.0.9",
		"{{json .Config.Env}}":                  `["PATH=/bin","A=1"]`,
		`{{join .Config.Env ","}}`:              "PATH=/bin,A=1",
		"{{upper .State.Status}}":               "RUNNING",
		"{{lower .Name}}":                       "/web",
		"{{title .Config.Hostname}}":            "Abababababab",
		`{{index (split .Config.Image ":") 1}}`: "v1",
		"{{index .Config.Env 1}}":               "A=1",
		"{{println .Name}}":                     "/web\n",
		"{{.Mounts}}":                           "[]",
		"{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}": "blue=172.30.0.2 bridge=172.18.0.9 ",
		"{{json .NetworkSettings.Ports}}":                                              `{"80/tcp":[{"HostIp":"198.51.100.1","HostPort":"8080"}]}`,
		"{{.Cgroup.Path}} {{(index .Workbench.Interfaces 0).HostVeth}}":                v.Cgroup.Path + " veth1",
	} {
		tmpl, err := parseListFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := printInspectFormat(&out, tmpl.tmpl, v); err != nil || out.String() != want+"\n" {
			t.Errorf("-f %s: %q %v, want %q", format, out.String(), err, want)
		}
	}
	tmpl, _ := parseListFormat("{{.NoSuchField}}")
	err := printInspectFormat(&strings.Builder{}, tmpl.tmpl, v)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "NoSuchField") {
		t.Errorf("a field the document lacks: %v", err)
	}
}
