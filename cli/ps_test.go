package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"workbench/core"
	"workbench/core/network"
)

// testNow is the fixed "now" of the tests of ages and time flags.
var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// psContainers are two containers as the state has them: a web server on host1 with
// published ports, and an exited job on a user network.
func psContainers() []core.Container {
	return []core.Container{
		{ID: strings.Repeat("ab", 32), Name: "web", Image: "busybox", Cmd: []string{"httpd", "-f", "-v", "-p", "80", "-h", "/www/site"},
			State: core.StateRunning, Host: "host1", NetMode: "bridge",
			Created: testNow.Add(-5 * time.Minute), Started: testNow.Add(-5 * time.Minute),
			Networks: []network.Attachment{{Host: "host1", Network: "bridge", IfName: "eth0", IP: "172.18.0.2/16"}},
			Ports: []network.PortBinding{
				{Host: "host1", HostPort: 8080, ContainerPort: 80, Proto: "tcp"},
				{Host: "host1", HostPort: 9091, ContainerPort: 9091, Proto: "tcp"},
				{Host: "host1", HostPort: 9090, ContainerPort: 9090, Proto: "tcp"},
				{Host: "host1", HostIP: "127.0.0.1", HostPort: 5353, ContainerPort: 53, Proto: "udp"},
			}},
		{ID: strings.Repeat("cd", 32), Name: "job", Image: "alpine:3.20", Cmd: []string{"sh", "-c", "exit 3"},
			State: core.StateExited, ExitCode: 3, Host: "host1", NetMode: "blue", ExtraNetworks: []string{"red"},
			Created: testNow.Add(-3 * time.Hour), Finished: testNow.Add(-2 * time.Hour)},
	}
}

// psRows renders the containers through a --format as ps does.
func psRows(t *testing.T, format string, trunc bool) string {
	t.Helper()
	f, err := parseListFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	var rows []any
	for _, c := range psContainers() {
		if c.Name == "web" {
			c.Labels = map[string]string{"com.example.my-key": "v1", "tier": "front"}
			c.Mounts = []core.Mount{{Type: core.MountVolume, Source: "a-volume-with-a-long-name", Target: "/data"},
				{Type: core.MountBind, Source: "/srv", Target: "/srv"}}
		}
		rows = append(rows, newPsRow(c, map[string]string{"host1": "198.51.100.1"}, trunc, testNow))
	}
	var out strings.Builder
	if err := f.write(&out, psHeader, rows); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestPsDefaultTableIsDockers(t *testing.T) {
	want := "" +
		"CONTAINER ID   IMAGE         COMMAND                  CREATED         STATUS                   PORTS                                                                                      NAMES\n" +
		"abababababab   busybox       \"httpd -f -v -p 80 -…\"   5 minutes ago   Up 5 minutes             198.51.100.1:9090-9091->9090-9091/tcp, 127.0.0.1:5353->53/udp, 198.51.100.1:8080->80/tcp   web\n" +
		"cdcdcdcdcdcd   alpine:3.20   \"sh -c exit 3\"           3 hours ago     Exited (3) 2 hours ago                                                                                              job\n"
	// The columns are aligned as Docker's: three spaces after the widest cell.
	if got := psRows(t, psDefaultFormat, true); got != want {
		t.Fatalf("default ps table:\n%s\nwant\n%s", got, want)
	}
}

func TestPsFormatFields(t *testing.T) {
	for _, c := range []struct {
		format string
		trunc  bool
		want   string
	}{
		{"{{.Names}}", true, "web\njob\n"},
		{"{{.ID}}", false, strings.Repeat("ab", 32) + "\n" + strings.Repeat("cd", 32) + "\n"},
		{"{{.Command}}", false, "\"httpd -f -v -p 80 -h /www/site\"\n\"sh -c exit 3\"\n"},
		{"{{.Command}}", true, "\"httpd -f -v -p 80 -…\"\n\"sh -c exit 3\"\n"},
		{"{{.CreatedAt}}", true, time.Unix(testNow.Add(-5*time.Minute).Unix(), 0).String() + "\n" + time.Unix(testNow.Add(-3*time.Hour).Unix(), 0).String() + "\n"},
		{"{{.RunningFor}}", true, "5 minutes ago\n3 hours ago\n"},
		{"{{.State}}|{{.Status}}", true, "running|Up 5 minutes\nexited|Exited (3) 2 hours ago\n"},
		{"{{.Networks}}", true, "bridge\nblue,red\n"},
		{"{{.Labels}}", true, "com.example.my-key=v1,tier=front\n\n"},
		{`{{.Label "tier"}}/{{.Label "nope"}}`, true, "front/\n/\n"},
		{"{{.Mounts}}", true, "a-volume-with-…,/srv\n\n"},
		{"{{.Mounts}}", false, "a-volume-with-a-long-name,/srv\n\n"},
		{"{{.LocalVolumes}}", true, "1\n0\n"},
		{`{{.Names}}\t{{upper .State}}`, true, "web\tRUNNING\njob\tEXITED\n"},
		{`table {{.Names}}\t{{.Label "com.example.my-key"}}\t{{.Networks}}`, true, "NAMES     my key    NETWORKS\nweb       v1        bridge\njob                 blue,red\n"},
		{`table {{.ID}}`, true, "CONTAINER ID\nabababababab\ncdcdcdcdcdcd\n"},
	} {
		if got := psRows(t, c.format, c.trunc); got != c.want {
			t.Errorf("--format %q (trunc %v):\n%q\nwant\n%q", c.format, c.trunc, got, c.want)
		}
	}
}

func TestPsFormatJSONHasDockersKeys(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(psRows(t, "json", true)), "\n")
	if len(lines) != 2 {
		t.Fatalf("ps --format json printed %d lines, want one object per container", len(lines))
	}
	var obj map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ID", "Image", "Command", "CreatedAt", "RunningFor", "Ports", "State", "Status", "Names", "Labels", "Mounts", "LocalVolumes", "Networks"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("ps --format json has no %s: %v", k, obj)
		}
	}
	if obj["Names"] != "web" || obj["ID"] != "abababababab" || obj["State"] != "running" {
		t.Errorf("ps --format json: %v", obj)
	}
}

func TestPsBadFormatIsOneLine(t *testing.T) {
	for _, f := range []string{"{{.Names", "{{nosuchfunc .Names}}"} {
		_, err := parseListFormat(f)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--format") {
			t.Errorf("--format %q: %v", f, err)
		}
	}
	f, err := parseListFormat("{{.Nope}}")
	if err != nil {
		t.Fatal(err)
	}
	err = f.write(&strings.Builder{}, psHeader, []any{newPsRow(psContainers()[0], nil, true, testNow)})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "Nope") || strings.Contains(err.Error(), "psRow") {
		t.Errorf("a field ps does not have: %v", err)
	}
}

func TestDisplayablePortsGroupsAsDocker(t *testing.T) {
	lan := map[string]string{"host1": "198.51.100.1"}
	bind := func(hp, cp int, proto string) network.PortBinding {
		return network.PortBinding{Host: "host1", HostPort: hp, ContainerPort: cp, Proto: proto}
	}
	for _, c := range []struct {
		ports []network.PortBinding
		want  string
	}{
		{nil, ""},
		{[]network.PortBinding{bind(8080, 80, "tcp")}, "198.51.100.1:8080->80/tcp"},
		{[]network.PortBinding{bind(81, 81, "tcp"), bind(80, 80, "tcp"), bind(82, 82, "tcp")}, "198.51.100.1:80-82->80-82/tcp"},
		{[]network.PortBinding{bind(80, 80, "tcp"), bind(82, 82, "tcp")}, "198.51.100.1:80->80/tcp, 198.51.100.1:82->82/tcp"},
		{[]network.PortBinding{bind(53, 53, "udp"), bind(53, 53, "tcp")}, "198.51.100.1:53->53/tcp, 198.51.100.1:53->53/udp"},
		{[]network.PortBinding{bind(8080, 80, "tcp"), bind(8081, 81, "tcp")}, "198.51.100.1:8080->80/tcp, 198.51.100.1:8081->81/tcp"},
		{[]network.PortBinding{{Host: "real", HostPort: 80, ContainerPort: 80, Proto: "tcp"}}, "0.0.0.0:80->80/tcp"},
		{[]network.PortBinding{{Host: "host1", HostIP: "127.0.0.1", HostPort: 80, ContainerPort: 80, Proto: "tcp"}}, "127.0.0.1:80->80/tcp"},
	} {
		if got := displayablePorts(core.Container{Ports: c.ports}, lan); got != c.want {
			t.Errorf("ports %+v: %q, want %q", c.ports, got, c.want)
		}
	}
}

func TestEllipsisCutsCharacters(t *testing.T) {
	for in, want := range map[string]string{"short": "short", "exactly-twenty-chars": "exactly-twenty-chars", "twenty-one-characters": "twenty-one-characte…", "ééééééééééééééééééééé": "ééééééééééééééééééé…"} {
		if got := ellipsis(in, 20); got != want {
			t.Errorf("ellipsis(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPsFilters(t *testing.T) {
	cs := psContainers()
	cs[0].Labels = map[string]string{"tier": "front", "team": "a"}
	cs[1].Labels = map[string]string{"tier": "back"}
	paused := cs[0]
	paused.Name, paused.ID, paused.Paused = "frozen", strings.Repeat("ef", 32), true
	rows := []psRow{newPsRow(cs[0], nil, true, testNow), newPsRow(cs[1], nil, true, testNow), newPsRow(paused, nil, true, testNow)}
	for _, c := range []struct {
		filters []string
		want    string
	}{
		{nil, "web job frozen"},
		{[]string{"name=web"}, "web"},
		{[]string{"name=^/web$"}, "web"},
		{[]string{"name=^web$"}, "web"},
		{[]string{"name=o"}, "job frozen"},
		{[]string{"name=web", "name=job"}, "web job"},
		{[]string{"id=abab"}, "web"},
		{[]string{"status=running"}, "web"},
		{[]string{"status=exited"}, "job"},
		{[]string{"status=exited", "status=running"}, "web job"},
		{[]string{"status=paused"}, "frozen"},
		{[]string{"label=tier"}, "web job frozen"},
		{[]string{"label=tier=front"}, "web frozen"},
		{[]string{"label=tier", "label=team=a"}, "web frozen"},
		{[]string{"label=tier=back", "label=team=a"}, ""},
		{[]string{"network=bridge"}, "web frozen"},
		{[]string{"network=red"}, "job"},
		{[]string{"network=red", "network=bridge"}, "web job frozen"},
		{[]string{"exited=3"}, "job"},
		{[]string{"exited=0"}, ""},
		{[]string{"name=web", "status=exited"}, ""},
		{[]string{"network=blue", "status=exited", "label=tier=back"}, "job"},
	} {
		f, err := parsePsFilters(c.filters)
		if err != nil {
			t.Fatalf("%v: %v", c.filters, err)
		}
		var got []string
		for _, r := range rows {
			if f.match(r) {
				got = append(got, r.c.Name)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("--filter %v: %v, want %q", c.filters, got, c.want)
		}
	}
}

func TestPsFiltersRefuseBadOnesInOneLine(t *testing.T) {
	for _, c := range []struct{ filter, want string }{
		{"name", "is not KEY=VALUE"},
		{"status=sleeping", "the states are created, restarting, running"},
		{"label==x", "names no label"},
		{"name=(", "is not a regular expression"},
		{"exited=x", "exit status from 0 to 255"},
		{"health=healthy", "use name, id, status, label, network, volume or exited"},
	} {
		_, err := parsePsFilters([]string{c.filter})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("--filter %s: %v; want one line with %q", c.filter, err, c.want)
		}
	}
	if f, _ := parsePsFilters([]string{"status=exited"}); !f.showsAll() {
		t.Error("a status filter shows containers in every state, as Docker's")
	}
}
