package images

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// builtinStore is a fresh store with the built-in busybox image in it.
func builtinStore(t *testing.T) (*Store, *Image) {
	t.Helper()
	s := testStore(t)
	img, err := s.Resolve(context.Background(), "busybox")
	if err != nil {
		t.Fatal(err)
	}
	return s, img
}

func TestBusyboxBuiltin(t *testing.T) {
	s, img := builtinStore(t)
	ctx := context.Background()
	if img.Ref != "busybox:latest" || len(img.Layers) != 1 || img.Config.Cmd[0] != "sh" {
		t.Fatalf("unexpected image %+v", img)
	}
	l := img.Layers[0]
	for _, p := range []string{"bin/busybox", "bin/sh", "etc/passwd", "etc/group", "etc/hosts", "etc/resolv.conf", "etc/hostname", "proc", "sys", "dev", "root"} {
		if _, err := os.Lstat(filepath.Join(l, p)); err != nil {
			t.Errorf("built-in layer lacks %s: %v", p, err)
		}
	}
	st, err := os.Stat(filepath.Join(l, "tmp"))
	if err != nil || st.Mode()&os.ModeSticky == 0 || st.Mode().Perm() != 0o777 {
		t.Errorf("tmp should be 1777: %v %v", st.Mode(), err)
	}
	again, err := s.Resolve(ctx, "docker.io/library/busybox:latest")
	if err != nil || again.ID != img.ID {
		t.Fatalf("second resolve: %v %v", again, err)
	}
	byID, err := s.Resolve(ctx, img.ID[7:19])
	if err != nil || byID.ID != img.ID {
		t.Fatalf("resolve by ID prefix: %v %v", byID, err)
	}
	start := time.Now()
	for i := 0; i < 100; i++ {
		if _, err := s.Resolve(ctx, "busybox"); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("resolve of an existing image: %v", time.Since(start)/100)
	if _, err := s.Resolve(ctx, "nosuchimage"); err == nil {
		t.Fatal("resolving an unknown image should fail")
	}
	if err := os.Rename(l, l+".moved"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, "busybox"); err == nil || !strings.Contains(err.Error(), "missing from the store") {
		t.Fatalf("an image with a missing layer should say so: %v", err)
	}
}

func TestTagListRemove(t *testing.T) {
	s, img := builtinStore(t)
	if err := s.Tag("busybox", "mybox:v1"); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 1 || len(list[0].Refs) != 2 {
		t.Fatalf("list after tag: %+v %v", list, err)
	}
	inUse := func(id string) error { return os.ErrPermission }
	if _, err := s.Remove("mybox:v1", false, inUse); err != nil {
		t.Fatalf("untag of one of two refs: %v", err)
	}
	if _, err := s.Remove("busybox", false, inUse); err == nil {
		t.Fatal("removing an image in use must be refused")
	}
	if _, err := os.Stat(img.Layers[0]); err != nil {
		t.Fatal("a refused rmi removed the layer")
	}
	if _, err := s.Remove("busybox", false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(img.Layers[0]); !os.IsNotExist(err) {
		t.Fatalf("the layer of a removed image should go: %v", err)
	}
}

func TestBusyboxConcurrentFirstUse(t *testing.T) {
	s := testStore(t)
	errs := make(chan error, 4)
	ids := make(chan string, 4)
	for i := 0; i < 4; i++ {
		go func() {
			img, err := s.Resolve(context.Background(), "busybox")
			errs <- err
			if err == nil {
				ids <- img.ID
			}
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	first := <-ids
	for i := 1; i < 4; i++ {
		if id := <-ids; id != first {
			t.Fatalf("concurrent first uses made different images: %s %s", first, id)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "layers")); len(entries) != 2 {
		t.Fatalf("want one layer directory and its record, got %d entries", len(entries))
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp")); len(entries) != 0 {
		t.Fatalf("tmp/ keeps %d entries", len(entries))
	}
}
