package images_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"workbench/cmdlog"
	"workbench/images"
	"workbench/testutil"
)

// openStore opens a store in the test instance's image directory and removes it after.
func openStore(t testing.TB) *images.Store {
	t.Helper()
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { os.RemoveAll(inst.DataDir); os.RemoveAll(inst.RunDir) })
	s, err := images.Open(inst.ImagesDir(), cmdlog.Open(inst.CommandLogPath()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBusyboxBuiltin(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	img, err := s.Resolve(ctx, "busybox")
	if err != nil {
		t.Fatal(err)
	}
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
}
