// Package nsutil runs code and commands inside another network namespace without
// moving the whole process: the calling goroutine is pinned to its OS thread, the
// thread enters the namespace, and it returns before the thread is released.
package nsutil

import (
	"bytes"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/vishvananda/netns"
)

// MachinePath is the network namespace of the process's main thread: the machine's own
// when workbench is started on the machine. It is valid in every workbench process and
// may be stored in state, because the main thread never leaves that namespace: init
// pins the main goroutine to it and Do moves only threads of its own. (PID 1's
// namespace file cannot be opened on every machine, so it is not used.)
const MachinePath = "/proc/self/ns/net"

func init() {
	// Keep the main goroutine, and nothing else, on the main thread, so that no
	// goroutine that enters another namespace can ever run on it.
	runtime.LockOSThread()
}

// Do runs fn on a thread of its own inside the network namespace at path, and waits for
// it. Sockets and netlink handles opened in fn stay bound to that namespace after Do
// returns.
func Do(path string, fn func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- doLocked(path, fn) }()
	return <-errc
}

// doLocked enters the namespace on the calling goroutine's thread, runs fn, and leaves.
func doLocked(path string, fn func() error) error {
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("read the current network namespace: %w", err)
	}
	defer orig.Close()
	target, err := netns.GetFromPath(path)
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("open network namespace %s: %w", path, err)
	}
	defer target.Close()
	if err := netns.Set(target); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("enter network namespace %s: %w", path, err)
	}
	fnErr := fn()
	if err := netns.Set(orig); err != nil {
		// The thread is stuck in the other namespace: keep it locked so that the
		// runtime discards it when the goroutine ends instead of reusing it.
		return fmt.Errorf("leave network namespace %s: %w", path, err)
	}
	runtime.UnlockOSThread()
	return fnErr
}

// Start starts cmd with its process inside the network namespace at path. The child
// inherits the namespace of the thread that forks it, so only that thread moves.
func Start(path string, cmd *exec.Cmd) error {
	return Do(path, cmd.Start)
}

// Run runs cmd inside the network namespace at path and waits for it.
func Run(path string, cmd *exec.Cmd) error {
	if err := Start(path, cmd); err != nil {
		return err
	}
	return cmd.Wait()
}

// Output runs cmd inside the network namespace at path and returns its standard output.
// On failure the error carries the start of the command's standard error.
func Output(path string, cmd *exec.Cmd) ([]byte, error) {
	var out bytes.Buffer
	errOut := limitedBuffer{max: stderrLimit}
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := Run(path, cmd); err != nil {
		if msg := errOut.String(); msg != "" {
			return out.Bytes(), fmt.Errorf("%s: %w: %s", cmd.Path, err, msg)
		}
		return out.Bytes(), fmt.Errorf("%s: %w", cmd.Path, err)
	}
	return out.Bytes(), nil
}
