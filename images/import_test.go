package images

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"golang.org/x/sys/unix"
)

// testImage builds an image of three layers: files, then a whiteout, an opaque
// directory and a changed file, then one more file.
func testImage(t testing.TB) v1.Image {
	t.Helper()
	layers := [][]byte{
		layerTar(t, dir("etc/"), file("etc/a", "a1"), file("etc/gone", "bye"), dir("d/"), file("d/x", "x"), file("keep", "k")),
		layerTar(t, dir("etc/"), file("etc/.wh.gone", ""), file("etc/a", "a2"), dir("d/"), file("d/.wh..wh..opq", ""), file("d/y", "y")),
		layerTar(t, file("new", "n")),
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
	if got := readFile(t, filepath.Join(mnt, "etc/a")); got != "a2" {
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

// serve starts a registry on loopback holding img as test/img:v1 and counts the
// layer blobs it hands out.
func serve(t testing.TB, img v1.Image) (ref string, blobGets *atomic.Int64) {
	t.Helper()
	blobGets = &atomic.Int64{}
	reg := registry.New(registry.Logger(nopLogger()))
	cfgName, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/sha256:") && !strings.HasSuffix(r.URL.Path, cfgName.String()) {
			blobGets.Add(1)
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ref = u.Host + "/test/img:v1"
	nref, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(nref, img); err != nil {
		t.Fatal(err)
	}
	return ref, blobGets
}

func TestPullWhiteoutsAndSecondPull(t *testing.T) {
	s := testStore(t)
	ref, blobGets := serve(t, testImage(t))
	ctx := context.Background()
	var events atomic.Int64
	img, err := s.Pull(ctx, ref, PullOptions{Progress: func(LayerProgress) { events.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if blobGets.Load() != 3 || events.Load() == 0 {
		t.Fatalf("first pull fetched %d layer blobs (want 3), %d progress events", blobGets.Load(), events.Load())
	}
	checkMerged(t, img)
	logHas(t, s, "curl -sL http://"+ref[:strings.Index(ref, "/")]+"/v2/test/img/blobs/sha256:", "| tar -xz -C ", "mknod ", "setfattr -n trusted.overlay.opaque -v y ")
	again, err := s.Pull(ctx, ref, PullOptions{})
	if err != nil || again.ID != img.ID {
		t.Fatalf("second pull: %v", err)
	}
	if blobGets.Load() != 3 {
		t.Fatalf("the second pull downloaded %d layer blobs; every layer was already there", blobGets.Load()-3)
	}
	d, err := s.Inspect(ref)
	if err != nil || len(d.History) != 3 || d.History[0].CreatedBy != "step 3" || d.History[0].Layer.Size != 1 {
		t.Fatalf("history: %+v %v", d, err)
	}
	if _, err := s.Pull(ctx, strings.Replace(ref, ":v1", ":nosuchtag", 1), PullOptions{}); err == nil {
		t.Fatal("pulling a missing tag should fail")
	}
}

func TestPullCorruptLayer(t *testing.T) {
	s := testStore(t)
	img := testImage(t)
	reg := registry.New(registry.Logger(nopLogger()))
	layers, _ := img.Layers()
	bad, _ := layers[1].Digest()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, bad.String()) {
			w.Write([]byte("this is not the blob"))
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ref := u.Host + "/test/img:v1"
	nref, _ := name.ParseReference(ref)
	if err := remote.Write(nref, img); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pull(context.Background(), ref, PullOptions{}); err == nil {
		t.Fatal("a corrupt layer was accepted")
	} else {
		t.Logf("refused: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp")); len(entries) != 0 {
		t.Fatalf("tmp/ keeps %d entries after a failed pull", len(entries))
	}
	if list, _ := os.ReadDir(filepath.Join(s.dir, "images")); len(list) != 0 {
		t.Fatal("a failed pull recorded an image")
	}
}

func TestLoadDockerSave(t *testing.T) {
	s := testStore(t)
	path := filepath.Join(t.TempDir(), "img.tar")
	tag, _ := name.NewTag("example.com/team/app:v2")
	if err := tarball.WriteToFile(path, tag, testImage(t)); err != nil {
		t.Fatal(err)
	}
	loaded, err := s.Load(context.Background(), path, "", nil)
	if err != nil || len(loaded) != 1 || loaded[0].Refs[0] != "example.com/team/app:v2" {
		t.Fatalf("load: %+v %v", loaded, err)
	}
	img, err := s.Resolve(context.Background(), "example.com/team/app:v2")
	if err != nil {
		t.Fatal(err)
	}
	checkMerged(t, img)
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
	loaded, err := s.Load(context.Background(), dir, "ocidir:v3", nil)
	if err != nil || len(loaded) != 1 || loaded[0].Refs[0] != "ocidir:v3" {
		t.Fatalf("load of a layout directory: %+v %v", loaded, err)
	}
	img, err := s.Resolve(context.Background(), "ocidir:v3")
	if err != nil {
		t.Fatal(err)
	}
	checkMerged(t, img)

	tarPath := filepath.Join(t.TempDir(), "layout.tar")
	if err := tarDir(dir, tarPath); err != nil {
		t.Fatal(err)
	}
	loaded, err = s.Load(context.Background(), tarPath, "ocitar:v3", nil)
	if err != nil || len(loaded) != 1 || loaded[0].ID != img.ID {
		t.Fatalf("load of a layout tar: %+v %v", loaded, err)
	}
	if _, err := s.Load(context.Background(), filepath.Join(dir, "index.json"), "", nil); err == nil {
		t.Fatal("loading a file that is no tar should fail")
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
	entries, err := s.log.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range entries {
		all.WriteString(e.Command + "\n")
	}
	for _, f := range fragments {
		if !strings.Contains(all.String(), f) {
			t.Errorf("the command log lacks %q:\n%s", f, all.String())
		}
	}
}

func TestPullWithCredentials(t *testing.T) {
	s := testStore(t)
	reg := registry.New(registry.Logger(nopLogger()))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "alice" || pass != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ref := u.Host + "/private/img:v1"
	nref, _ := name.ParseReference(ref)
	if err := remote.Write(nref, imageOf(t, layerTar(t, file("f", "x"))), remote.WithAuth(&authn.Basic{Username: "alice", Password: "s3cret"})); err != nil {
		t.Fatal(err)
	}
	cfgDir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", cfgDir)
	if _, err := s.Pull(context.Background(), ref, PullOptions{}); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("a pull without credentials should fail and mention them: %v", err)
	}
	auth := base64.StdEncoding.EncodeToString([]byte("alice:s3cret"))
	config := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, u.Host, auth)
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pull(context.Background(), ref, PullOptions{}); err != nil {
		t.Fatalf("a pull with credentials in the Docker config file: %v", err)
	}
}
