package nsutil

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// KillIn kills every process whose network namespace is the one at path (a named
// namespace's file), as removing a namespace would leave them running in it, and
// waits up to a second for them to end. It returns the processes it killed.
func KillIn(path string) []int {
	var ns unix.Stat_t
	if unix.Stat(path, &ns) != nil {
		return nil
	}
	self := os.Getpid()
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		var st unix.Stat_t
		if err != nil || pid == self || unix.Stat(d+"/ns/net", &st) != nil || st.Ino != ns.Ino || st.Dev != ns.Dev {
			continue
		}
		if unix.Kill(pid, unix.SIGKILL) == nil {
			pids = append(pids, pid)
		}
	}
	left := pids
	for deadline := time.Now().Add(time.Second); len(left) > 0 && time.Now().Before(deadline); {
		if gone(left[0]) {
			left = left[1:]
			continue
		}
		time.Sleep(5 * time.Millisecond)
	}
	return pids
}

// gone says whether a process has ended: it is no more, or only its exit status is
// left for its parent.
func gone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// The state follows the command's closing parenthesis.
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == ')' {
			return i+2 < len(b) && (b[i+2] == 'Z' || b[i+2] == 'X')
		}
	}
	return false
}
