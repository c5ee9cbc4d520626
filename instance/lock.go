package instance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// LockTimeout is how long a command waits for another one that holds the lab.
const LockTimeout = time.Minute

// Lock takes the instance's state lock and returns the function that releases it.
// Every command that changes state (containers, hosts, networks, images) holds it for
// the whole change, taken once by whoever opens the engine, the lab or the image store
// for that change. While another command holds it, Lock waits until ctx ends or
// LockTimeout has passed; the error then names the command that holds it.
func (i Instance) Lock(ctx context.Context) (unlock func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, LockTimeout)
	defer cancel()
	return i.LockContext(ctx)
}

// LockContext is Lock without its timeout: it waits until ctx ends. Only the monitor
// waits so, since it must record a container's end however long a command holds the
// lab.
func (i Instance) LockContext(ctx context.Context) (unlock func(), err error) {
	f, err := i.openLock()
	if err != nil {
		return nil, err
	}
	wait := time.Millisecond
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return i.held(f), nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			f.Close()
			return nil, fmt.Errorf("take state lock %s: %w", i.LockPath(), err)
		}
		select {
		case <-ctx.Done():
			holder := i.holder(f)
			f.Close()
			return nil, fmt.Errorf("another workbench command holds the lab (%s): wait for it to end, or stop it", holder)
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// TryLock takes the state lock only if no other command holds it.
func (i Instance) TryLock() (unlock func(), ok bool) {
	f, err := i.openLock()
	if err != nil {
		return nil, false
	}
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		f.Close()
		return nil, false
	}
	return i.held(f), true
}

func (i Instance) openLock() (*os.File, error) {
	if err := os.MkdirAll(i.RunDir, 0o711); err != nil {
		return nil, fmt.Errorf("make state directory %s: %w", i.RunDir, err)
	}
	f, err := os.OpenFile(i.LockPath(), os.O_RDWR|os.O_CREATE|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open state lock: %w", err)
	}
	return f, nil
}

// held writes this process's PID in the lock file, for a waiting command to name it,
// and returns what releases the lock.
func (i Instance) held(f *os.File) func() {
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())), 0)
	}
	return func() { f.Close() }
}

// holder names the process the lock file says holds the lock.
func (i Instance) holder(f *os.File) string {
	b := make([]byte, 16)
	n, _ := f.ReadAt(b, 0)
	pid := strings.TrimSpace(string(b[:n]))
	if _, err := strconv.Atoi(pid); err != nil {
		return "pid unknown"
	}
	cmd, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil || len(cmd) == 0 {
		return "pid " + pid
	}
	return "pid " + pid + ": " + strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " "))
}
