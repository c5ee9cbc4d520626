package testutil

import (
	"syscall"
	"testing"
)

// TestStartEndsWhatTheTestLeft: a command started and left running ends with its test,
// one waited for is left alone (sleep stands in for the workbench binary).
func TestStartEndsWhatTheTestLeft(t *testing.T) {
	t.Setenv("WORKBENCH_BIN", "/bin/sleep")
	var pid int
	t.Run("left", func(t *testing.T) { pid = Start(t, "30").Process.Pid })
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("sleep 30 (pid %d) runs on after its test", pid)
	}
	t.Run("waited", func(t *testing.T) {
		if err := Start(t, "0").Wait(); err != nil {
			t.Errorf("sleep 0: %v", err)
		}
	})
}
