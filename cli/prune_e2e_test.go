package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestPruneRemovesWhatDockersDoes(t *testing.T) {
	dockerLab(t)
	mustWB(t, "network", "create", "blue")
	mustWB(t, "network", "create", "red")
	mustWB(t, "network", "create", "green")
	mustWB(t, "run", "-d", "--name", "up", "--net", "red", "busybox", "sleep", "1000")
	mustWB(t, "run", "--name", "stopped", "--net", "green", "busybox", "true")
	mustWB(t, "run", "--name", "done", "--net", "none", "busybox", "sh", "-c", "head -c 100000 /dev/zero > /filler")
	dangling := strings.TrimSpace(mustWB(t, "commit", "done"))
	mustWB(t, "commit", "done", "kept:v1")
	stoppedID := strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.Id}}", "stopped"))
	doneID := strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.Id}}", "done"))

	// Without -f the question is asked; no answer removes nothing.
	r := wb(t, "", "container", "prune")
	if r.code != 1 || r.out != "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] \n" || !strings.Contains(r.err, "cancelled") {
		t.Errorf("container prune without an answer: %+v", r)
	}
	if n := len(lines(mustWB(t, "ps", "-a", "-q"))); n != 3 {
		t.Fatalf("a cancelled prune removed containers: %d left", n)
	}
	r = wb(t, "y\n", "container", "prune")
	re := regexp.MustCompile(`^WARNING! This will remove all stopped containers\.\nAre you sure you want to continue\? \[y/N\] Deleted Containers:\n(` + doneID + "\n" + stoppedID + "|" + stoppedID + "\n" + doneID + `)\n\nTotal reclaimed space: \d+(\.\d+)?kB\n$`)
	if r.code != 0 || !re.MatchString(r.out) || r.err != "" {
		t.Errorf("container prune answered y:\n%s%s", r.out, r.err)
	}
	if out := mustWB(t, "ps", "-a", "--format", "{{.Names}}"); out != "up\n" {
		t.Errorf("after container prune: %q", out)
	}
	if out := mustWB(t, "container", "prune", "-f"); out != "Total reclaimed space: 0B\n" {
		t.Errorf("container prune with nothing to remove: %q", out)
	}

	// A stopped container keeps its network: it is attached again when it starts.
	mustWB(t, "network", "create", "yellow")
	mustWB(t, "run", "--name", "idle", "--net", "yellow", "busybox", "true")
	idleID := strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.Id}}", "idle"))
	if out := mustWB(t, "network", "prune", "-f"); out != "Deleted Networks:\nblue\ngreen\n\n" {
		t.Errorf("network prune: %q", out)
	}
	out := mustWB(t, "network", "ls")
	for _, n := range []string{"red", "yellow", "bridge"} {
		if !strings.Contains(out, n) || strings.Contains(out, "blue") {
			t.Errorf("after network prune, %s is missing or blue is there:\n%s", n, out)
		}
	}

	out = mustWB(t, "image", "prune", "-f")
	if !regexp.MustCompile(`^Deleted Images:\ndeleted: ` + dangling + `\n(deleted: sha256:[0-9a-f]{64}\n)*\nTotal reclaimed space: \S+B\n$`).MatchString(out) {
		t.Errorf("image prune:\n%s", out)
	}
	imgs := mustWB(t, "images")
	if !strings.Contains(imgs, "kept") || !strings.Contains(imgs, "busybox") || strings.Contains(imgs, "<none>") {
		t.Errorf("after image prune:\n%s", imgs)
	}
	out = mustWB(t, "image", "prune", "-a", "-f")
	if !strings.HasPrefix(out, "Deleted Images:\nuntagged: kept:v1\ndeleted: sha256:") || !regexp.MustCompile(`\nTotal reclaimed space: \d+(\.\d+)?kB\n$`).MatchString(out) {
		t.Errorf("image prune -a:\n%s", out)
	}
	if imgs := mustWB(t, "images"); strings.Contains(imgs, "kept") || !strings.Contains(imgs, "busybox") {
		t.Errorf("image prune -a must leave the image a container uses:\n%s", imgs)
	}

	// system prune: everything at once, once nothing uses the rest.
	mustWB(t, "rm", "-f", "up")
	mustWB(t, "run", "--name", "last", "--net", "none", "busybox", "true")
	lastID := strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.Id}}", "last"))
	r = wb(t, "", "system", "prune", "-a")
	if r.code != 1 || !strings.HasPrefix(r.out, "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all images without at least one container associated to them\n\nAre you sure you want to continue? [y/N] ") {
		t.Errorf("system prune -a without an answer: %+v", r)
	}
	out = mustWB(t, "system", "prune", "-a", "-f")
	if !regexp.MustCompile(`^Deleted Containers:\n(` + lastID + `\n` + idleID + `|` + idleID + `\n` + lastID + `)\n\nDeleted Networks:\nred\nyellow\n\nDeleted Images:\nuntagged: busybox:latest\n(deleted: sha256:[0-9a-f]{64}\n)+\nTotal reclaimed space: \d+(\.\d+)?MB\n$`).MatchString(out) {
		t.Errorf("system prune -a -f:\n%s", out)
	}
	if out := mustWB(t, "ps", "-a", "-q") + mustWB(t, "images", "-q"); out != "" {
		t.Errorf("after system prune -a: %q", out)
	}
}
