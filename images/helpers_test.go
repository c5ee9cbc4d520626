package images

import (
	"io"
	"log"
	"os"
	"testing"

	"workbench/cmdlog"
	"workbench/testutil"
)

// testStore opens a store in the test instance's image directory, removed after.
func testStore(t testing.TB) *Store {
	t.Helper()
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { os.RemoveAll(inst.DataDir); os.RemoveAll(inst.RunDir) })
	s, err := Open(inst.ImagesDir(), cmdlog.Open(inst.CommandLogPath()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nopLogger silences the test registry.
func nopLogger() *log.Logger { return log.New(io.Discard, "", 0) }
