package testutil

import (
	"os/exec"
	"testing"
)

// RequireTools skips the test unless every one of tools (program names, looked up in
// $PATH) is installed, naming the first that is missing.
func RequireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
}
