package core

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// Docker habits: volumes and mounts, the everyday run flags, and the commands around
// a running container, each against a real container.

func TestBindMountsAndVolumes(t *testing.T) {
	testutil.NewLab(t)
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "in"), []byte("from the machine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := testutil.MustRun(t, "run", "--rm", "--net", "none", "-v", src+":/src:ro", "-v", "data:/data", "--tmpfs", "/scratch:size=8m",
		"--read-only", "busybox", "sh", "-c",
		"cat /src/in; echo x > /src/no 2>/dev/null || echo src-ro; echo kept > /data/f; "+
			"df -k /scratch | tail -1 | awk '{print $2}'; touch /rootfile 2>/dev/null || echo root-ro")
	if out != "from the machine\nsrc-ro\n8192\nroot-ro\n" {
		t.Fatalf("mounts inside: %q", out)
	}
	if out := testutil.MustRun(t, "run", "--rm", "--net", "none", "--mount", "type=volume,src=data,dst=/again", "busybox", "cat", "/again/f"); out != "kept\n" {
		t.Fatalf("the named volume did not keep its data: %q", out)
	}
	// A new volume gets a copy of what the image has at its target.
	if out := testutil.MustRun(t, "run", "--rm", "--net", "none", "-v", "etc:/etc", "busybox", "ls", "/etc"); !strings.Contains(out, "passwd") {
		t.Fatalf("a new volume on /etc was not filled from the image: %q", out)
	}
	// An anonymous volume of a --rm container goes with it.
	before := testutil.MustRun(t, "volume", "ls", "-q")
	testutil.MustRun(t, "run", "--rm", "--net", "none", "-v", "/anon", "busybox", "touch", "/anon/x")
	if after := testutil.MustRun(t, "volume", "ls", "-q"); after != before {
		t.Fatalf("an anonymous volume outlived its --rm container: %q then %q", before, after)
	}
	// rm keeps a container's anonymous volumes, rm -v removes them; named ones stay.
	testutil.MustRun(t, "run", "-d", "--name", "keeps", "--net", "none", "-v", "/anon", "busybox", "sleep", "1000")
	testutil.MustRun(t, "rm", "-f", "keeps")
	kept := testutil.MustRun(t, "volume", "ls", "-q")
	if kept == before {
		t.Fatalf("rm without -v removed the anonymous volume")
	}
	testutil.MustRun(t, "run", "-d", "--name", "drops", "--net", "none", "-v", "/anon", "-v", "named:/named", "busybox", "sleep", "1000")
	testutil.MustRun(t, "rm", "-f", "-v", "drops")
	if after := testutil.MustRun(t, "volume", "ls", "-q"); !strings.Contains(after, "named\n") || strings.Count(after, "\n") != strings.Count(kept, "\n")+1 {
		t.Fatalf("rm -v: volumes %q before, %q after; want only the named one added", kept, after)
	}
	testutil.MustRun(t, "volume", "rm", "named")
	testutil.MustRun(t, "volume", "prune", "-f")
	testutil.MustRun(t, "run", "-d", "--name", "user", "--net", "none", "-v", "data:/data", "busybox", "sleep", "1000")
	if r := testutil.Run(t, "", "volume", "rm", "data"); r.Code == 0 || !strings.Contains(r.Err, "in use by [user]") {
		t.Fatalf("volume rm of a volume in use: %d %q", r.Code, r.Err)
	}
	if out := testutil.MustRun(t, "volume", "inspect", "data"); !strings.Contains(out, `"user"`) || !strings.Contains(out, "/volumes/data/_data") {
		t.Fatalf("volume inspect: %s", out)
	}
	if out := testutil.MustRun(t, "inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}} {{.Source}}{{end}}", "user"); !strings.HasPrefix(out, "volume data /data true /") ||
		!strings.HasSuffix(out, "/volumes/data/_data\n") {
		t.Fatalf("inspect's Mounts: %q", out)
	}
	if out := testutil.MustRun(t, "ps", "--filter", "volume=data", "--format", "{{.Names}} {{.Mounts}}"); out != "user data\n" {
		t.Fatalf("ps of a volume's user: %q", out)
	}
	testutil.MustRun(t, "rm", "-f", "user")
	testutil.MustRun(t, "volume", "rm", "data")
	if r := testutil.Run(t, "", "volume", "prune", "-a"); r.Code != 1 || !strings.Contains(r.Out, "all local volumes not used") || !strings.Contains(testutil.MustRun(t, "volume", "ls", "-q"), "etc") {
		t.Fatalf("volume prune -a without an answer: %+v", r)
	}
	if out := testutil.MustRun(t, "volume", "prune", "-a", "-f"); !regexp.MustCompile(`^Deleted Volumes:\netc\n\nTotal reclaimed space: [1-9][0-9.]*kB\n$`).MatchString(out) {
		t.Fatalf("volume prune -a -f: %q", out)
	}
	if r := testutil.Run(t, "", "run", "--rm", "--mount", "type=bind,src=/nowhere/at/all,dst=/x", "busybox", "true"); r.Code == 0 || !strings.Contains(r.Err, "does not exist") {
		t.Fatalf("a missing --mount bind source: %d %q", r.Code, r.Err)
	}
}

// TestBindTargetThroughSymlinkStaysInside binds onto a path an image made a symlink
// to /tmp: the mount lands on the rootfs's /tmp, as the symlink means inside the
// container; a symlink to a directory only the machine has is refused.
func TestBindTargetThroughSymlinkStaysInside(t *testing.T) {
	testutil.NewLab(t)
	for name, link := range map[string]string{"tmplink": "/tmp", "machinelink": t.TempDir()} {
		testutil.MustRun(t, "run", "--name", name, "--net", "none", "busybox", "true")
		if err := os.Symlink(link, filepath.Join(containerNamed(t, name).UpperDir, "data")); err != nil {
			t.Fatal(err)
		}
		testutil.MustRun(t, "commit", name, name+":v1")
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "bound"), []byte("x"), 0o644)
	if out := testutil.MustRun(t, "run", "--rm", "--net", "none", "-v", src+":/data", "tmplink:v1", "ls", "/tmp", "/data/"); out != "/data/:\nbound\n\n/tmp:\nbound\n" {
		t.Fatalf("the bind through /data -> /tmp: %q", out)
	}
	if _, err := os.Stat("/tmp/bound"); err == nil {
		t.Fatal("the machine's /tmp got the bound file")
	}
	r := testutil.Run(t, "", "run", "--rm", "--net", "none", "-v", src+":/data", "machinelink:v1", "true")
	if r.Code != 125 || !strings.Contains(r.Err, "/data") {
		t.Fatalf("a bind through a symlink that leads nowhere inside: %d %q, want it refused", r.Code, r.Err)
	}
}

func TestEverydayRunFlags(t *testing.T) {
	testutil.NewLab(t)
	envFile := filepath.Join(t.TempDir(), "env")
	os.WriteFile(envFile, []byte("# a comment\nFROM_FILE=yes\n\n"), 0o644)
	out := testutil.MustRun(t, "run", "--rm", "--env-file", envFile, "--dns", "198.51.100.53", "--add-host", "db:198.51.100.7",
		"--cap-drop", "ALL", "--cap-add", "NET_RAW", "--ulimit", "nofile=100:200", "--shm-size", "16m",
		"--entrypoint", "sh", "busybox", "-c",
		"echo $FROM_FILE; grep nameserver /etc/resolv.conf; grep -w db /etc/hosts; grep CapEff /proc/self/status; ulimit -n; df -k /dev/shm | tail -1 | awk '{print $2}'")
	want := "yes\nnameserver 198.51.100.53\n198.51.100.7\tdb\nCapEff:\t0000000000002000\n100\n16384\n"
	if out != want {
		t.Fatalf("run flags inside:\n%q\nwant\n%q", out, want)
	}
	if out := testutil.MustRun(t, "run", "--rm", "--net", "none", "-h", "box", "busybox", "hostname"); out != "box\n" {
		t.Fatalf("run -h box: %q", out)
	}
	testutil.MustRun(t, "run", "-d", "--name", "labelled", "-l", "tier=front", "-p", "8080-8081:80-81", "busybox", "sleep", "1000")
	c := containerNamed(t, "labelled")
	if c.Labels["tier"] != "front" || len(c.Ports) != 2 || c.Ports[1].HostPort != 8081 {
		t.Fatalf("labels %v, ports %+v", c.Labels, c.Ports)
	}
	if out := testutil.MustRun(t, "ps", "--filter", "label=tier=front", "--format", "{{.Names}} {{.Label \"tier\"}}"); out != "labelled front\n" {
		t.Fatalf("ps by label: %q", out)
	}
	if out := testutil.MustRun(t, "inspect", "-f", "{{.Config.Labels.tier}}", "labelled"); out != "front\n" {
		t.Fatalf("inspect's labels: %q", out)
	}
	r := testutil.Run(t, "", "run", "--rm", "--privileged", "--net", "none", "busybox", "sh", "-c",
		"grep -c . /proc/self/status >/dev/null; head -c1 /dev/kmsg >/dev/null && echo device-open; grep Seccomp: /proc/self/status")
	if !strings.Contains(r.Err, "warning: --privileged") || !strings.Contains(r.Out, "device-open") || !strings.Contains(r.Out, "Seccomp:\t0") {
		t.Fatalf("--privileged: %q %q", r.Out, r.Err)
	}
	if r := testutil.Run(t, "", "run", "--rm", "--cap-add", "FLY", "busybox", "true"); r.Code == 0 || !strings.Contains(r.Err, "unknown capability") {
		t.Fatalf("--cap-add FLY: %d %q", r.Code, r.Err)
	}
	// --stop-signal: stop sends USR1, which the command handles.
	testutil.MustRun(t, "run", "-d", "--name", "usr1", "--stop-signal", "USR1", "--stop-timeout", "5", "--net", "none", "busybox", "sh", "-c",
		`trap "exit 30" USR1; echo ready; while true; do sleep 0.05; done`)
	testutil.Eventually(t, "the trap to be set", func() bool { return strings.Contains(testutil.MustRun(t, "logs", "usr1"), "ready") })
	testutil.MustRun(t, "stop", "usr1")
	if c := containerNamed(t, "usr1"); c.ExitCode != 30 {
		t.Fatalf("stop with --stop-signal USR1 ended with %d, want the trap's 30", c.ExitCode)
	}
}

func TestNetworkAliasAndCreate(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "network", "create", "app")
	testutil.MustRun(t, "create", "--name", "db", "--network", "app", "--network-alias", "database", "busybox", "sleep", "1000")
	if c := containerNamed(t, "db"); c.State != StateCreated || alive(c.OwnerPid, c.OwnerStart) {
		t.Fatalf("created: %s (owner %d)", c.State, c.OwnerPid)
	}
	testutil.MustRun(t, "start", "db")
	testutil.MustRun(t, "run", "-d", "--name", "web", "--network", "app", "busybox", "sleep", "1000")
	if out := testutil.MustRun(t, "exec", "web", "ping", "-c1", "-W2", "database"); !strings.Contains(out, "1 packets received") {
		t.Fatalf("the alias does not answer: %s", out)
	}
	testutil.MustRun(t, "rename", "db", "store")
	if out := testutil.MustRun(t, "exec", "web", "cat", "/etc/hosts"); !strings.Contains(out, "store database") {
		t.Fatalf("the peer's hosts file does not have the new name: %s", out)
	}
	testutil.MustRun(t, "rm", "-f", "store", "web")
}

func TestPauseTopAttachEvents(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "busy", "--net", "none", "busybox", "sh", "-c", "while true; do echo tick; sleep 0.1; done")
	testutil.MustRun(t, "pause", "busy")
	if ps := testutil.MustRun(t, "ps"); !strings.Contains(ps, "(Paused)") {
		t.Fatalf("ps does not show the pause:\n%s", ps)
	}
	if out := testutil.MustRun(t, "ps", "--filter", "status=paused", "--format", "{{.Names}} {{.State}}"); out != "busy paused\n" {
		t.Fatalf("ps --filter status=paused: %q", out)
	}
	if out := testutil.MustRun(t, "inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "busy"); out != "paused true\n" {
		t.Fatalf("inspect of a paused container: %q", out)
	}
	n := strings.Count(testutil.MustRun(t, "logs", "busy"), "tick")
	time.Sleep(400 * time.Millisecond)
	if m := strings.Count(testutil.MustRun(t, "logs", "busy"), "tick"); m != n {
		t.Fatalf("a paused container went on: %d ticks then %d", n, m)
	}
	testutil.MustRun(t, "unpause", "busy")
	if top := testutil.MustRun(t, "top", "busy"); !strings.HasPrefix(top, "UID") || !strings.Contains(top, "while true") {
		t.Fatalf("top:\n%s", top)
	}
	// attach gets the output from now on, and the end.
	attach := exec.Command(testutil.Binary(t), "attach", "busy")
	outPipe, _ := attach.StdoutPipe()
	if err := attach.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, _ := outPipe.Read(buf); !strings.Contains(string(buf[:n]), "tick") {
		t.Fatalf("attach read %q", buf[:n])
	}
	testutil.MustRun(t, "kill", "busy")
	if err := attach.Wait(); err == nil || attach.ProcessState.ExitCode() != 137 {
		t.Fatalf("attach ended with %v, want the container's 137", err)
	}
	testutil.MustRun(t, "rm", "busy")
	ev := testutil.MustRun(t, "events", "--since", "1m", "--until", "0s", "--filter", "container=busy")
	for _, action := range []string{"create", "start", "pause", "unpause", "kill", "die", "destroy"} {
		if !strings.Contains(ev, "container "+action+" ") {
			t.Errorf("events lack %s:\n%s", action, ev)
		}
	}
	if ev := testutil.MustRun(t, "events", "--since", "1m", "--until", "0s", "--filter", "event=die", "--format", "{{.Actor.Attributes.exitCode}}"); strings.TrimSpace(ev) != "137" {
		t.Errorf("events --filter event=die --format: %q", ev)
	}
	// Networks and images have their events too.
	testutil.MustRun(t, "network", "create", "evnet")
	testutil.MustRun(t, "network", "rm", "evnet")
	testutil.MustRun(t, "tag", "busybox", "ev/copy:1")
	testutil.MustRun(t, "rmi", "ev/copy:1")
	ev = testutil.MustRun(t, "events", "--since", "1m", "--until", "0s", "--filter", "type=network", "--filter", "type=image",
		"--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")
	for _, line := range []string{"network create evnet", "network destroy evnet", "image tag ev/copy:1", "image untag ev/copy:1"} {
		if !strings.Contains(ev, line+"\n") {
			t.Errorf("events lack %q:\n%s", line, ev)
		}
	}
}

// TestCopyInAndOut copies both ways, with docker cp's rules, into a container that has
// a symlink to a directory of the machine: what is copied lands inside it.
func TestCopyInAndOut(t *testing.T) {
	testutil.NewLab(t)
	machineDir := t.TempDir()
	testutil.MustRun(t, "run", "-d", "--name", "box", "--net", "none", "busybox", "sh", "-c", "ln -s "+machineDir+" /evil; mkdir /srv; exec sleep 1000")
	testutil.Eventually(t, "the container to make its symlink /evil", func() bool { return testutil.Run(t, "", "exec", "box", "test", "-L", "/evil").Code == 0 })
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "site", "css"), 0o755)
	os.WriteFile(filepath.Join(src, "site", "index.html"), []byte("hello\n"), 0o644)
	testutil.MustRun(t, "cp", filepath.Join(src, "site"), "box:/srv")
	if out := testutil.MustRun(t, "exec", "box", "cat", "/srv/site/index.html"); out != "hello\n" {
		t.Fatalf("cp into an existing directory: %q", out)
	}
	testutil.MustRun(t, "cp", filepath.Join(src, "site")+"/.", "box:/www")
	if out := testutil.MustRun(t, "exec", "box", "ls", "/www"); out != "css\nindex.html\n" {
		t.Fatalf("cp of a directory's contents to a new name: %q", out)
	}
	// Into the symlink: it is resolved inside the container, never on the machine.
	if r := testutil.Run(t, "", "cp", filepath.Join(src, "site", "index.html"), "box:/evil/"); r.Code == 0 {
		t.Fatal("cp into a symlink that leads nowhere inside the container succeeded")
	}
	if ents, _ := os.ReadDir(machineDir); len(ents) != 0 {
		t.Fatalf("cp wrote through a container's symlink into the machine: %v", ents)
	}
	testutil.MustRun(t, "exec", "box", "ln", "-s", "/tmp", "/tmplink")
	testutil.MustRun(t, "cp", filepath.Join(src, "site", "index.html"), "box:/tmplink/cp-"+filepath.Base(machineDir)+".html")
	if _, err := os.Stat("/tmp/cp-" + filepath.Base(machineDir) + ".html"); err == nil {
		t.Fatal("cp through /tmplink -> /tmp wrote the machine's /tmp")
	}
	if out := testutil.MustRun(t, "exec", "box", "cat", "/tmp/cp-"+filepath.Base(machineDir)+".html"); out != "hello\n" {
		t.Fatalf("cp through a symlink inside the container: %q", out)
	}
	out := t.TempDir()
	testutil.MustRun(t, "cp", "box:/srv/site", out)
	if b, _ := os.ReadFile(filepath.Join(out, "site", "index.html")); string(b) != "hello\n" {
		t.Fatalf("cp out: %q", b)
	}
	testutil.MustRun(t, "cp", "box:/evil", filepath.Join(out, "link"))
	if l, err := os.Readlink(filepath.Join(out, "link")); err != nil || l != machineDir {
		t.Fatalf("a symlink was not copied as a symlink: %q %v", l, err)
	}
	r := testutil.Run(t, "", "cp", "box:/srv/site/index.html", "-")
	if !strings.Contains(r.Out, "hello") || !strings.Contains(r.Out, "index.html") {
		t.Fatalf("cp to - is not a tar of the file: %q", r.Out)
	}
	testutil.MustRun(t, "stop", "-t", "0", "box")
	testutil.MustRun(t, "cp", filepath.Join(src, "site", "index.html"), "box:/stopped.html")
	testutil.MustRun(t, "start", "box")
	if out := testutil.MustRun(t, "exec", "box", "cat", "/stopped.html"); out != "hello\n" {
		t.Fatalf("cp into a stopped container: %q", out)
	}
	if r := testutil.Run(t, "", "cp", "box:/nosuch", out); r.Code == 0 || !strings.Contains(r.Err, "no such file") {
		t.Fatalf("cp of a missing path: %d %q", r.Code, r.Err)
	}
}
