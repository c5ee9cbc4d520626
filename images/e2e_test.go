package images

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"workbench/testutil"
	"workbench/untar/untartest"
)

// workbench runs the binary with the test's instance and returns its output; the test
// fails unless it succeeds when wantOK, and fails when not.
func workbench(t testing.TB, wantOK bool, args ...string) string {
	t.Helper()
	out, code := testutil.Output(t, args...)
	if (code == 0) != wantOK {
		t.Fatalf("workbench %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// endToEnd readies a test of the binary: an instance of its own, reset and removed at
// the end, and the built-in busybox layer, to put under the test's layers so that its
// containers have a shell.
func endToEnd(t *testing.T) (busybox []byte) {
	t.Helper()
	inst := testutil.KernelTest(t)
	t.Cleanup(func() {
		testutil.Run(t, "", "reset")
		os.RemoveAll(inst.DataDir)
		os.RemoveAll(inst.RunDir)
	})
	bb, _, err := busyboxLayer()
	if err != nil {
		t.Fatal(err)
	}
	return bb
}

func TestEndToEndPullLoadRunCommit(t *testing.T) {
	bb := endToEnd(t)
	layers := [][]byte{
		bb,
		untartest.Tar(t, untartest.Dir("etc/"), untartest.File("etc/a", "a1"), untartest.File("etc/gone", "bye"), untartest.Dir("d/"), untartest.File("d/x", "x"), untartest.File("keep", "k")),
		untartest.Tar(t, untartest.Dir("etc/"), untartest.File("etc/.wh.gone", ""), untartest.File("etc/a", "a2"), untartest.Dir("d/"), untartest.File("d/.wh..wh..opq", ""), untartest.File("d/y", "y")),
	}
	img := imageOf(t, layers...)
	ref, _ := serve(t, img)

	out := workbench(t, true, "pull", ref)
	if !strings.Contains(out, "Pulled") {
		t.Fatalf("pull said: %s", out)
	}
	if out := workbench(t, true, "pull", ref); !strings.Contains(out, "already in the store") {
		t.Fatalf("second pull should find every layer: %s", out)
	}
	out = workbench(t, true, "run", "--net", "none", "--name", "c1", ref, "sh", "-c", "cat /etc/a; ls /d; test -e /etc/gone || echo gone; echo new > /added")
	if out != "a2y\ngone\n" {
		t.Fatalf("the container sees:\n%s", out)
	}
	if out := workbench(t, false, "rmi", ref); !strings.Contains(out, "used by container c1") {
		t.Fatalf("rmi of an image in use: %s", out)
	}
	if out := workbench(t, true, "diff", "c1"); out != "A /added\n" {
		t.Fatalf("diff: %q", out)
	}
	workbench(t, true, "commit", "c1", "committed:v1")
	if out := workbench(t, true, "run", "--rm", "--net", "none", "committed:v1", "cat", "/added"); out != "new\n" {
		t.Fatalf("the committed image holds: %q", out)
	}
	if out := workbench(t, true, "image", "history", "committed:v1"); !strings.Contains(out, "workbench commit c1") {
		t.Fatalf("history: %s", out)
	}

	path := filepath.Join(t.TempDir(), "saved.tar")
	tag, _ := name.NewTag("saved/app:v1")
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		t.Fatal(err)
	}
	if out := workbench(t, true, "load", "-i", path); !strings.Contains(out, "Loaded image: saved/app:v1") {
		t.Fatalf("load: %s", out)
	}
	if out := workbench(t, true, "run", "--rm", "--net", "none", "saved/app:v1", "cat", "/keep"); out != "k" {
		t.Fatalf("the loaded image holds: %q", out)
	}
	if out := workbench(t, true, "images"); !strings.Contains(out, "saved/app") || !strings.Contains(out, "committed") {
		t.Fatalf("images: %s", out)
	}
}

func TestEndToEndRunHonoursConfig(t *testing.T) {
	bb := endToEnd(t)
	ref, _ := serve(t, imageOf(t, bb, untartest.Tar(t, untartest.File("keep", "k"))))
	workbench(t, true, "pull", ref)
	if out := workbench(t, true, "run", "--rm", "--net", "none", ref); out != "k" {
		t.Fatalf("the image's Cmd (cat /keep) printed %q", out)
	}
	if out := workbench(t, true, "run", "--rm", "--net", "none", ref, "sh", "-c", "pwd; echo $GREETING"); out != "/etc\nhi\n" {
		t.Fatalf("WorkingDir and Env: %q", out)
	}
}

// TestEndToEndLoadRefusesSymlinkWrite runs `workbench load` on a hostile tarball whose
// second layer writes through the first one's symlink: one line on stderr, status 1,
// and no layer left in the store.
func TestEndToEndLoadRefusesSymlinkWrite(t *testing.T) {
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { os.RemoveAll(inst.DataDir); os.RemoveAll(inst.RunDir) })
	path := saveTarball(t, imageOf(t, untartest.Tar(t, untartest.Dir("etc/"), untartest.Symlink("a", "/etc")), untartest.Tar(t, untartest.File("a/b", "x"))), "evil:v1")
	r := testutil.Run(t, "", "load", "-i", path)
	want := "workbench: load " + path + ": layer 2 of evil:v1 writes a/b through the symlink a -> /etc: refused\n"
	if r.Code != 1 || r.Err != want {
		t.Fatalf("load: status %d, stderr %q\nwant status 1 and %q", r.Code, r.Err, want)
	}
	if layers, _ := os.ReadDir(filepath.Join(inst.ImagesDir(), "layers")); len(layers) != 0 {
		t.Errorf("the refused load left %d entries in layers/", len(layers))
	}
}
