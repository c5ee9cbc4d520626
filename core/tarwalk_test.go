package core

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
	"workbench/untar/untartest"
)

// TestExtractTreeKeepsWhatCpKeeps: a copy into a container leaves out entries that
// climb out of its directory (where a layer is refused), keeps setuid bits (which a
// layer strips), and gives entries the owners the copy maps them to.
func TestExtractTreeKeepsWhatCpKeeps(t *testing.T) {
	testutil.RequireRoot(t)
	data := untartest.Tar(t, untartest.Dir("./"), untartest.File("../escaped", ""),
		untartest.Entry{Header: tar.Header{Typeflag: tar.TypeReg, Name: "bin/su", Mode: 0o4755, Uid: 7, Gid: 8}})
	base := t.TempDir()
	into := filepath.Join(base, "into")
	if err := os.Mkdir(into, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.Open(into)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	shifted := func(h *tar.Header) (int, int) { return h.Uid + int(usernsBase), h.Gid + int(usernsBase) }
	if err := extractTree(tar.NewReader(bytes.NewReader(data)), dir, shifted); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(base, "escaped")); !os.IsNotExist(err) {
		t.Errorf("an entry climbed out of the directory: %v", err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(filepath.Join(into, "bin", "su"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Mode&0o7777 != 0o4755 || st.Uid != 7+uint32(usernsBase) || st.Gid != 8+uint32(usernsBase) {
		t.Errorf("bin/su: mode %o owner %d:%d, want 4755 and the shifted owner", st.Mode&0o7777, st.Uid, st.Gid)
	}
}
