package images

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"golang.org/x/sys/unix"

	"workbench/testutil"
	"workbench/untar/untartest"
)

// testImage builds an image of three layers: files, then a whiteout, an opaque
// directory and a changed file, then one more file.
func testImage(t testing.TB) v1.Image {
	t.Helper()
	layers := [][]byte{
		untartest.Tar(t, untartest.Dir("etc/"), untartest.File("etc/a", "a1"), untartest.File("etc/gone", "bye"), untartest.Dir("d/"), untartest.File("d/x", "x"), untartest.File("keep", "k")),
		untartest.Tar(t, untartest.Dir("etc/"), untartest.File("etc/.wh.gone", ""), untartest.File("etc/a", "a2"), untartest.Dir("d/"), untartest.File("d/.wh..wh..opq", ""), untartest.File("d/y", "y")),
		untartest.Tar(t, untartest.File("new", "n")),
	}
	return imageOf(t, layers...)
}

// imageOf makes an image of the given layer tars with a config a container can use.
func imageOf(t testing.TB, layers ...[]byte) v1.Image {
	t.Helper()
	img := empty.Image
	for i, data := range layers {
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		if err != nil {
			t.Fatal(err)
		}
		img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: fmt.Sprintf("step %d", i+1)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config.Cmd = []string{"cat", "/keep"}
	cf.Config.Env = []string{"PATH=/bin", "GREETING=hi"}
	cf.Config.WorkingDir = "/etc"
	cf.Config.ExposedPorts = map[string]struct{}{"80/tcp": {}}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// mergedView mounts the image's layers as overlayfs lower directories, as a container
// sees them, and returns the mount point.
func mergedView(t testing.TB, img *Image) string {
	t.Helper()
	mnt := t.TempDir()
	lower := make([]string, len(img.Layers))
	for i, l := range img.Layers {
		lower[len(img.Layers)-1-i] = l
	}
	if err := unix.Mount("overlay", mnt, "overlay", unix.MS_RDONLY, "lowerdir="+strings.Join(lower, ":")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Unmount(mnt, unix.MNT_DETACH) })
	return mnt
}

// checkMerged checks what a container of testImage sees.
func checkMerged(t testing.TB, img *Image) {
	t.Helper()
	if len(img.Layers) != 3 || img.Config.WorkingDir != "/etc" || img.Config.ExposedPorts[0] != "80/tcp" {
		t.Fatalf("image: %+v", img)
	}
	mnt := mergedView(t, img)
	if got := testutil.ReadFile(t, filepath.Join(mnt, "etc/a")); got != "a2" {
		t.Errorf("etc/a = %q, want the upper layer's a2", got)
	}
	for _, gone := range []string{"etc/gone", "d/x"} {
		if _, err := os.Lstat(filepath.Join(mnt, gone)); !os.IsNotExist(err) {
			t.Errorf("%s should be deleted in the merged view: %v", gone, err)
		}
	}
	for _, p := range []string{"d/y", "keep", "new"} {
		if _, err := os.Stat(filepath.Join(mnt, p)); err != nil {
			t.Errorf("%s missing from the merged view: %v", p, err)
		}
	}
}

// loadOne loads the image at path (tagged tag when the file names none), checks that it
// is the one image loaded and named ref, and returns it as the store resolves it, with
// its layers checked.
func loadOne(t *testing.T, s *Store, path, tag, ref string) *Image {
	t.Helper()
	loaded, err := s.Load(context.Background(), path, tag, nil)
	if err != nil || len(loaded) != 1 || loaded[0].Refs[0] != ref {
		t.Fatalf("load of %s: %+v %v", path, loaded, err)
	}
	img, err := s.Resolve(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	checkMerged(t, img)
	return img
}

func TestLoadDockerSave(t *testing.T) {
	s := testStore(t)
	path := filepath.Join(t.TempDir(), "img.tar")
	tag, _ := name.NewTag("example.com/team/app:v2")
	if err := tarball.WriteToFile(path, tag, testImage(t)); err != nil {
		t.Fatal(err)
	}
	img := loadOne(t, s, path, "", "example.com/team/app:v2")
	logHas(t, s, "tar -xOf "+path+" ")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	again, err := s.LoadStream(context.Background(), f, "", nil)
	if err != nil || len(again) != 1 || again[0].ID != img.ID {
		t.Fatalf("load from a stream: %+v %v", again, err)
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp")); len(entries) != 0 {
		t.Fatalf("tmp/ keeps %d entries after a streamed load", len(entries))
	}
}

func TestLoadOCILayout(t *testing.T) {
	s := testStore(t)
	dir := filepath.Join(t.TempDir(), "layout")
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(testImage(t), layout.WithAnnotations(map[string]string{annotationRefName: "v3"})); err != nil {
		t.Fatal(err)
	}
	img := loadOne(t, s, dir, "ocidir:v3", "ocidir:v3")
	logHas(t, s, "tar -xf "+dir+"/blobs/sha256/")

	tarPath := filepath.Join(t.TempDir(), "layout.tar")
	if err := tarDir(dir, tarPath); err != nil {
		t.Fatal(err)
	}
	loaded, err := s.Load(context.Background(), tarPath, "ocitar:v3", nil)
	if err != nil || len(loaded) != 1 || loaded[0].ID != img.ID {
		t.Fatalf("load of a layout tar: %+v %v", loaded, err)
	}
	if _, err := s.Load(context.Background(), filepath.Join(dir, "index.json"), "", nil); err == nil {
		t.Fatal("loading a file that is no tar should fail")
	}
}

// TestLoadNamesTheInput: a bad input is named as the user gave it (the file, or
// standard input), never by the temporary copy the store reads.
func TestLoadNamesTheInput(t *testing.T) {
	s := testStore(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	empty := filepath.Join(dir, "empty.tar")
	noIndex := filepath.Join(dir, "noindex.tar")
	os.WriteFile(text, []byte("hello\n"), 0o644)
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(noIndex, untartest.Tar(t, untartest.File("oci-layout", `{"imageLayoutVersion":"1.0.0"}`)), 0o644)
	stdin := func(data string) func() ([]Loaded, error) {
		return func() ([]Loaded, error) { return s.LoadStream(context.Background(), strings.NewReader(data), "", nil) }
	}
	fromFile := func(path string) func() ([]Loaded, error) {
		return func() ([]Loaded, error) { return s.Load(context.Background(), path, "", nil) }
	}
	for _, c := range []struct {
		load func() ([]Loaded, error)
		want string
	}{
		{stdin(""), "load: standard input is empty: pipe a `docker save` tarball or an OCI archive into it"},
		{stdin("hello\n"), "load: standard input is not a tar, or a truncated one: pipe a `docker save` tarball or an OCI archive into it"},
		{stdin("\x1f\x8b rest"), "load: standard input is gzip-compressed: pipe it through gunzip first"},
		{stdin(string(untartest.Tar(t, untartest.File("etc/passwd", "root")))), "load: standard input is a tar without manifest.json or oci-layout: pipe a `docker save` tarball or an OCI archive into it"},
		{fromFile(text), "load " + text + ": the file is not a tar, or a truncated one: give a `docker save` tarball, an OCI layout directory or its tar"},
		{fromFile(empty), "load " + empty + ": the file is empty: give a `docker save` tarball, an OCI layout directory or its tar"},
		{fromFile(filepath.Join(dir, "nosuch.tar")), "load " + filepath.Join(dir, "nosuch.tar") + ": no such file or directory: give a `docker save` tarball, an OCI layout directory or its tar"},
		{fromFile(noIndex), "load " + noIndex + ": not an OCI image layout: stat index.json: no such file or directory"},
	} {
		_, err := c.load()
		if err == nil || err.Error() != c.want {
			t.Errorf("load = %v\nwant %s", err, c.want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp")); len(entries) != 0 {
		t.Fatalf("tmp/ keeps %d entries after failed loads", len(entries))
	}
}

// saveTarball writes img as a `docker save` tarball tagged ref and returns its path.
func saveTarball(t testing.TB, img v1.Image, ref string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "img.tar")
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadRefusesWritesThroughSymlinks: a layer entry a/b where a is a symlink of the
// same layer or of a layer below is refused with one message, and the load leaves no
// layer of its own behind.
func TestLoadRefusesWritesThroughSymlinks(t *testing.T) {
	s := testStore(t)
	base := untartest.Tar(t, untartest.Dir("etc/"), untartest.File("etc/hostname", "h"))
	good := saveTarball(t, imageOf(t, base), "good:v1")
	if _, err := s.Load(context.Background(), good, "", nil); err != nil {
		t.Fatal(err)
	}
	link := untartest.Tar(t, untartest.Symlink("a", "/etc"))
	for _, c := range []struct {
		layers [][]byte
		want   string
	}{
		{[][]byte{base, link, untartest.Tar(t, untartest.File("a/b", "x"))}, "layer 3 of evil:v1 writes a/b through the symlink a -> /etc: refused"},
		{[][]byte{base, untartest.Tar(t, untartest.Symlink("a", "/etc"), untartest.File("a/b", "x"))}, "layer 2 of evil:v1 writes a/b through the symlink a -> /etc: refused"},
		{[][]byte{base, untartest.Tar(t, untartest.Dir("x/"), untartest.Symlink("x/l", "../etc")), untartest.Tar(t, untartest.File("keep", "k")), untartest.Tar(t, untartest.File("x/l/deep/b", "x"))}, "layer 4 of evil:v1 writes x/l/deep/b through the symlink x/l -> ../etc: refused"},
	} {
		path := saveTarball(t, imageOf(t, c.layers...), "evil:v1")
		_, err := s.Load(context.Background(), path, "", nil)
		if want := "load " + path + ": " + c.want; err == nil || err.Error() != want {
			t.Errorf("load = %v\nwant %s", err, want)
		}
		var tse *ThroughSymlinkError
		if !errors.As(err, &tse) {
			t.Errorf("load = %v: want a ThroughSymlinkError", err)
		}
		if _, err := s.Resolve(context.Background(), "evil:v1"); err == nil {
			t.Error("the refused image is in the store")
		}
		layers, _ := os.ReadDir(filepath.Join(s.dir, "layers"))
		if len(layers) != 2 { // the good image's layer: its directory and its .json
			t.Errorf("a refused load left layers behind: %d entries in layers/", len(layers))
		}
		if entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp")); len(entries) != 0 {
			t.Errorf("tmp/ keeps %d entries after a refused load", len(entries))
		}
	}
	// A layer that replaces the symlink with a directory, deletes it, or hides it
	// under an opaque directory writes through nothing.
	for i, layers := range [][][]byte{
		{link, untartest.Tar(t, untartest.Dir("a/"), untartest.File("a/b", "x"))},
		{link, untartest.Tar(t, untartest.File(".wh.a", "")), untartest.Tar(t, untartest.File("a/b", "x"))},
		{untartest.Tar(t, untartest.Dir("d/"), untartest.Symlink("d/a", "/etc")), untartest.Tar(t, untartest.File("d/.wh..wh..opq", "")), untartest.Tar(t, untartest.File("d/a/b", "x"))},
	} {
		ref := fmt.Sprintf("fine:v%d", i)
		if _, err := s.Load(context.Background(), saveTarball(t, imageOf(t, layers...), ref), "", nil); err != nil {
			t.Errorf("%s: %v", ref, err)
			continue
		}
		img, err := s.Resolve(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		mnt := mergedView(t, img)
		b := filepath.Join(mnt, "a", "b")
		if i == 2 {
			b = filepath.Join(mnt, "d", "a", "b")
		}
		if got := testutil.ReadFile(t, b); got != "x" {
			t.Errorf("%s: %s = %q", ref, b, got)
		}
	}
}

// tarDir writes the files of dir into a tar at path.
func tarDir(dir, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tw.AddFS(os.DirFS(dir)); err != nil {
		return err
	}
	return tw.Close()
}

// logHas fails unless the store's command log holds every one of the fragments.
func logHas(t testing.TB, s *Store, fragments ...string) {
	t.Helper()
	all := strings.Join(testutil.Commands(t, s.log), "\n")
	for _, f := range fragments {
		if !strings.Contains(all, f) {
			t.Errorf("the command log lacks %q:\n%s", f, all)
		}
	}
}
