package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// Binary returns the path of the workbench binary for end-to-end tests: $WORKBENCH_BIN
// when `make test` set it, otherwise one built once per test process.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("WORKBENCH_BIN"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(file))
		dir, err := os.MkdirTemp("", "workbench-bin")
		if err == nil {
			err = os.Chmod(dir, 0o755) // tests run it as other users too
		}
		if err != nil {
			buildErr = err
			return
		}
		builtPath = filepath.Join(dir, "workbench")
		cmd := exec.Command("go", "build", "-o", builtPath, ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("build workbench: %v", buildErr)
	}
	return builtPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }
