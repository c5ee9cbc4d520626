package core

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// InitPath is where --init's reaper (this binary) is bound in a container; the binary
// run under that name is the reaper.
const InitPath = initPath

// RunReaper is --init's PID 1, as docker run --init's tini is: it starts the command
// as its child in a process group of its own (the terminal's foreground group with
// -t), passes every signal it gets on to the command, reaps every orphan the
// container's processes leave to it, and ends with the command's status (128+N after
// signal N). It runs with exactly the container's privileges: it is executed after
// the set-up stage, so every thread it makes has them.
func RunReaper(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "init: no command to run")
		return 127
	}
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	tty := term.IsTerminal(0)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Foreground: tty}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "init: "+err.Error())
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return 127
		}
		return 126
	}
	child := cmd.Process.Pid
	for sig := range sigs {
		s := sig.(syscall.Signal)
		switch s {
		case syscall.SIGURG: // the Go runtime's own preemption signal
		case syscall.SIGCHLD:
			if code, done := reapAll(child); done {
				return code
			}
		default:
			_ = syscall.Kill(child, s)
		}
	}
	return 0
}

// reapAll reaps every ended child; done says the command itself was among them.
func reapAll(child int) (code int, done bool) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err != nil || pid <= 0 {
			return code, done
		}
		if pid == child {
			code, done = exitCode(ws), true
		}
	}
}

// exitCode is a wait status as a shell reports it: the code, or 128+N for signal N.
func exitCode(ws syscall.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}
