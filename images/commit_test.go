package images

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
)

// containerUpper mounts img read-write as a container would, makes changes through the
// mount (add, change, delete, replace a directory) and returns the upper directory.
func containerUpper(t *testing.T, img *Image) string {
	t.Helper()
	base := t.TempDir()
	upper, work, mnt := filepath.Join(base, "upper"), filepath.Join(base, "work"), filepath.Join(base, "merged")
	for _, d := range []string{upper, work, mnt} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lower := make([]string, len(img.Layers))
	for i, l := range img.Layers {
		lower[len(img.Layers)-1-i] = l
	}
	opts := "lowerdir=" + strings.Join(lower, ":") + ",upperdir=" + upper + ",workdir=" + work
	if err := unix.Mount("overlay", mnt, "overlay", 0, opts); err != nil {
		t.Fatal(err)
	}
	defer unix.Unmount(mnt, unix.MNT_DETACH)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(mnt, "added"), []byte("new"), 0o644))
	must(os.WriteFile(filepath.Join(mnt, "etc/a"), []byte("a3"), 0o644))
	must(os.Remove(filepath.Join(mnt, "keep")))
	must(os.RemoveAll(filepath.Join(mnt, "d")))
	must(os.Mkdir(filepath.Join(mnt, "d"), 0o755))
	must(os.WriteFile(filepath.Join(mnt, "d/z"), []byte("z"), 0o644))
	return upper
}

func TestDiffAndCommit(t *testing.T) {
	s := testStore(t)
	ref, _ := serve(t, testImage(t))
	ctx := context.Background()
	img, err := s.Pull(ctx, ref, PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	upper := containerUpper(t, img)
	changes, err := Changes(upper, img.Layers)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.String())
	}
	want := "A /added,C /d,D /d/y,A /d/z,C /etc,C /etc/a,D /keep"
	if strings.Join(got, ",") != want {
		t.Fatalf("diff:\n got %s\nwant %s", strings.Join(got, ","), want)
	}
	committed, err := s.Commit(ctx, upper, ref, "committed:v1", CommitOptions{Comment: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(committed.Layers) != 4 || committed.Ref != "committed:v1" || committed.Config.Cmd[0] != "cat" {
		t.Fatalf("committed image: %+v", committed)
	}
	mnt := mergedView(t, committed)
	if testutil.ReadFile(t, filepath.Join(mnt, "etc/a")) != "a3" || testutil.ReadFile(t, filepath.Join(mnt, "added")) != "new" || testutil.ReadFile(t, filepath.Join(mnt, "d/z")) != "z" {
		t.Fatal("the committed image lacks the container's changes")
	}
	for _, gone := range []string{"keep", "d/y", "etc/gone"} {
		if _, err := os.Lstat(filepath.Join(mnt, gone)); !os.IsNotExist(err) {
			t.Errorf("%s should stay deleted in the committed image: %v", gone, err)
		}
	}
	d, err := s.Inspect("committed:v1")
	if err != nil || d.History[0].CreatedBy != "workbench commit" || d.History[0].Comment != "test" {
		t.Fatalf("history of the commit: %+v %v", d.History, err)
	}
}
