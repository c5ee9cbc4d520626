package core

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"workbench/testutil"
)

// TestMain removes what the tests built once for all of them.
func TestMain(m *testing.M) {
	code := m.Run()
	if probePath != "" {
		os.RemoveAll(filepath.Dir(probePath))
	}
	os.Exit(code)
}

// psJSON returns every container of the instance.
func psJSON(t testing.TB) []Container {
	t.Helper()
	var cs []Container
	if err := json.Unmarshal([]byte(testutil.MustRun(t, "ps", "-a", "--json")), &cs); err != nil {
		t.Fatalf("ps --json: %v", err)
	}
	return cs
}

// containerNamed finds a container in ps --json output.
func containerNamed(t testing.TB, name string) Container {
	t.Helper()
	for _, c := range psJSON(t) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %s in ps -a", name)
	return Container{}
}
