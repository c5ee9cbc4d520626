// Package leakcheck holds the test that closes `make test`: it compares the machine
// with the snapshot taken before the suite and fails on anything the suite left behind.
package leakcheck

import (
	"encoding/json"
	"os"
	"testing"

	"workbench/testutil"
)

// TestSuiteLeftNothing needs $WORKBENCH_BASELINE, the file `make test` writes with
// `go run ./leakcheck/baseline` before the suite runs.
func TestSuiteLeftNothing(t *testing.T) {
	path := os.Getenv("WORKBENCH_BASELINE")
	if path == "" {
		t.Skip("WORKBENCH_BASELINE is not set: run through `make test`")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var before testutil.Snapshot
	if err := json.Unmarshal(b, &before); err != nil {
		t.Fatal(err)
	}
	if d := testutil.Diff(before, testutil.Leftovers()); d != "" {
		t.Fatalf("the test suite left these on the machine:\n%s", d)
	}
}
