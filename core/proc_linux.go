package core

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// procStart is a process's start time in clock ticks since boot (field 22 of
// /proc/PID/stat), 0 when it does not exist. A PID with the same start time is the
// same process, not a reused number.
func procStart(pid int) uint64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+1:])
	// After the command come the state (field 3) ... starttime is field 22.
	if len(f) < 20 || string(f[0]) == "Z" || string(f[0]) == "X" {
		return 0
	}
	n, err := strconv.ParseUint(string(f[19]), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// alive says whether the process pid with this start time still runs.
func alive(pid int, start uint64) bool {
	return pid > 0 && start != 0 && procStart(pid) == start
}

// waitGone waits until the process pid (with this start time) has ended or the
// timeout passes; it reports whether it ended. It sleeps in poll(2) on a pidfd.
func waitGone(pid int, start uint64, timeout time.Duration) bool {
	if !alive(pid, start) {
		return true
	}
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return !alive(pid, start)
	}
	defer unix.Close(fd)
	if !alive(pid, start) {
		return true
	}
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if n > 0 || err != nil {
			return err == nil || !alive(pid, start)
		}
	}
}
