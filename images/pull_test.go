package images

import (
	"context"
	"encoding/base64"
	"fmt"
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
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"workbench/untar/untartest"
)

// serve pushes img to a test registry as HOST/test/img:v1 and returns that reference,
// with the number of layer blobs fetched from it so far.
func serve(t testing.TB, img v1.Image) (ref string, blobGets *atomic.Int64) {
	t.Helper()
	blobGets = &atomic.Int64{}
	cfgName, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	ref = registryWith(t, "test/img:v1", img, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/sha256:") && !strings.HasSuffix(r.URL.Path, cfgName.String()) {
			blobGets.Add(1)
		}
		return false
	})
	return ref, blobGets
}

// registryWith runs a test registry behind gate, which may answer a request itself
// (it then returns true), pushes img to it as HOST/repo with push's options, and
// returns that reference.
func registryWith(t testing.TB, repo string, img v1.Image, gate func(w http.ResponseWriter, r *http.Request) bool, push ...remote.Option) string {
	t.Helper()
	reg := registry.New(registry.Logger(nopLogger()))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !gate(w, r) {
			reg.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	ref := u.Host + "/" + repo
	nref, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(nref, img, push...); err != nil {
		t.Fatal(err)
	}
	return ref
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
	layers, _ := img.Layers()
	bad, _ := layers[1].Digest()
	ref := registryWith(t, "test/img:v1", img, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, bad.String()) {
			w.Write([]byte("this is not the blob"))
			return true
		}
		return false
	})
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

func TestPullWithCredentials(t *testing.T) {
	s := testStore(t)
	ref := registryWith(t, "private/img:v1", imageOf(t, untartest.Tar(t, untartest.File("f", "x"))), func(w http.ResponseWriter, r *http.Request) bool {
		if user, pass, ok := r.BasicAuth(); !ok || user != "alice" || pass != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return true
		}
		return false
	}, remote.WithAuth(&authn.Basic{Username: "alice", Password: "s3cret"}))
	host, _, _ := strings.Cut(ref, "/")
	cfgDir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", cfgDir)
	if _, err := s.Pull(context.Background(), ref, PullOptions{}); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("a pull without credentials should fail and mention them: %v", err)
	}
	auth := base64.StdEncoding.EncodeToString([]byte("alice:s3cret"))
	config := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, host, auth)
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pull(context.Background(), ref, PullOptions{}); err != nil {
		t.Fatalf("a pull with credentials in the Docker config file: %v", err)
	}
}
