package cli

import (
	"regexp"
	"strings"
	"testing"

	"workbench/testutil"
)

func TestPruneRemovesWhatDockersDoes(t *testing.T) {
	testutil.NewLab(t)
	testutil.MustRun(t, "network", "create", "blue")
	testutil.MustRun(t, "network", "create", "red")
	testutil.MustRun(t, "network", "create", "green")
	testutil.MustRun(t, "run", "-d", "--name", "up", "--net", "red", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "--name", "stopped", "--net", "green", "busybox", "true")
	testutil.MustRun(t, "run", "--name", "done", "--net", "none", "busybox", "sh", "-c", "head -c 100000 /dev/zero > /filler")
	dangling := strings.TrimSpace(testutil.MustRun(t, "commit", "done"))
	testutil.MustRun(t, "commit", "done", "kept:v1")
	stoppedID := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Id}}", "stopped"))
	doneID := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Id}}", "done"))

	// Without -f the question is asked; no answer removes nothing.
	r := testutil.Run(t, "", "container", "prune")
	if r.Code != 1 || r.Out != "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] \n" || !strings.Contains(r.Err, "cancelled") {
		t.Errorf("container prune without an answer: %+v", r)
	}
	if n := len(lines(testutil.MustRun(t, "ps", "-a", "-q"))); n != 3 {
		t.Fatalf("a cancelled prune removed containers: %d left", n)
	}
	r = testutil.Run(t, "y\n", "container", "prune")
	re := regexp.MustCompile(`^WARNING! This will remove all stopped containers\.\nAre you sure you want to continue\? \[y/N\] Deleted Containers:\n(` + doneID + "\n" + stoppedID + "|" + stoppedID + "\n" + doneID + `)\n\nTotal reclaimed space: \d+(\.\d+)?kB\n$`)
	if r.Code != 0 || !re.MatchString(r.Out) || r.Err != "" {
		t.Errorf("container prune answered y:\n%s%s", r.Out, r.Err)
	}
	if out := testutil.MustRun(t, "ps", "-a", "--format", "{{.Names}}"); out != "up\n" {
		t.Errorf("after container prune: %q", out)
	}
	if out := testutil.MustRun(t, "container", "prune", "-f"); out != "Total reclaimed space: 0B\n" {
		t.Errorf("container prune with nothing to remove: %q", out)
	}

	// A stopped container keeps its network: it is attached again when it starts.
	testutil.MustRun(t, "network", "create", "yellow")
	testutil.MustRun(t, "run", "--name", "idle", "--net", "yellow", "busybox", "true")
	idleID := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Id}}", "idle"))
	if out := testutil.MustRun(t, "network", "prune", "-f"); out != "Deleted Networks:\nblue\ngreen\n\n" {
		t.Errorf("network prune: %q", out)
	}
	out := testutil.MustRun(t, "network", "ls")
	for _, n := range []string{"red", "yellow", "bridge"} {
		if !strings.Contains(out, n) || strings.Contains(out, "blue") {
			t.Errorf("after network prune, %s is missing or blue is there:\n%s", n, out)
		}
	}

	out = testutil.MustRun(t, "image", "prune", "-f")
	if !regexp.MustCompile(`^Deleted Images:\ndeleted: ` + dangling + `\n(deleted: sha256:[0-9a-f]{64}\n)*\nTotal reclaimed space: \S+B\n$`).MatchString(out) {
		t.Errorf("image prune:\n%s", out)
	}
	imgs := testutil.MustRun(t, "images")
	if !strings.Contains(imgs, "kept") || !strings.Contains(imgs, "busybox") || strings.Contains(imgs, "<none>") {
		t.Errorf("after image prune:\n%s", imgs)
	}
	out = testutil.MustRun(t, "image", "prune", "-a", "-f")
	if !strings.HasPrefix(out, "Deleted Images:\nuntagged: kept:v1\ndeleted: sha256:") || !regexp.MustCompile(`\nTotal reclaimed space: \d+(\.\d+)?kB\n$`).MatchString(out) {
		t.Errorf("image prune -a:\n%s", out)
	}
	if imgs := testutil.MustRun(t, "images"); strings.Contains(imgs, "kept") || !strings.Contains(imgs, "busybox") {
		t.Errorf("image prune -a must leave the image a container uses:\n%s", imgs)
	}

	// system prune: everything at once, once nothing uses the rest.
	testutil.MustRun(t, "rm", "-f", "up")
	testutil.MustRun(t, "run", "--name", "last", "--net", "none", "busybox", "true")
	lastID := strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Id}}", "last"))
	r = testutil.Run(t, "", "system", "prune", "-a")
	if r.Code != 1 || !strings.HasPrefix(r.Out, "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all images without at least one container associated to them\n\nAre you sure you want to continue? [y/N] ") {
		t.Errorf("system prune -a without an answer: %+v", r)
	}
	out = testutil.MustRun(t, "system", "prune", "-a", "-f")
	if !regexp.MustCompile(`^Deleted Containers:\n(` + lastID + `\n` + idleID + `|` + idleID + `\n` + lastID + `)\n\nDeleted Networks:\nred\nyellow\n\nDeleted Images:\nuntagged: busybox:latest\n(deleted: sha256:[0-9a-f]{64}\n)+\nTotal reclaimed space: \d+(\.\d+)?MB\n$`).MatchString(out) {
		t.Errorf("system prune -a -f:\n%s", out)
	}
	if out := testutil.MustRun(t, "ps", "-a", "-q") + testutil.MustRun(t, "images", "-q"); out != "" {
		t.Errorf("after system prune -a: %q", out)
	}
}
