package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// Stdio are the streams a container's process is attached to while it runs. Its
// output always goes to the log as well.
type Stdio struct {
	// In feeds the process's standard input; nil gives it /dev/null.
	In io.Reader
	// Out and Err receive its output; nil records it in the log only.
	Out, Err io.Writer
}

// defaultWinsize is a new terminal's size until the attached terminal's is known.
var defaultWinsize = pty.Winsize{Rows: 24, Cols: 80}

// Running is a container whose PID 1 this process started and supervises.
type Running struct {
	e       *Engine
	c       Container
	cmd     *exec.Cmd
	exited  chan error // the init's end, as cmd.Wait returns it
	pipes   initPipes
	stdio   Stdio // kept for the terminal, which comes later
	log     *logWriter
	copiers sync.WaitGroup
	tty     *os.File
}

// spawn starts the init from a thread of its own, in the network namespace at join
// when not "". The init's parent-death signal is tied to the thread that forked it,
// and the Go runtime ends any thread a goroutine leaves locked: so the thread stays
// locked, waiting for the init, until the init ends, and then ends with it.
func (r *Running) spawn(join string) error {
	started := make(chan error, 1)
	r.exited = make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		if join != "" {
			if err := enterNetns(join); err != nil {
				started <- err
				return
			}
		}
		if err := r.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		r.exited <- r.cmd.Wait()
	}()
	return <-started
}

// enterNetns moves the calling thread into the network namespace at path.
func enterNetns(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open network namespace %s: %w", path, err)
	}
	defer unix.Close(fd)
	if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("enter network namespace %s: %w", path, err)
	}
	return nil
}

// Container is the container's state as of its start.
func (r *Running) Container() Container { return r.c }

// Resize sets the window size of the container's terminal (with -t).
func (r *Running) Resize(rows, cols uint16) error {
	if r.tty == nil {
		return nil
	}
	return pty.Setsize(r.tty, &pty.Winsize{Rows: rows, Cols: cols})
}

// streams makes the container's standard streams: a pseudo-terminal with -t, pipes
// otherwise, and starts copying them to the log and the attached streams.
func (r *Running) streams(tty bool, stdio Stdio) (files [3]*os.File, err error) {
	if tty {
		// The terminal is made by the init in the container's own /dev/pts and sent
		// back (attachTerminal); until then the init's streams are /dev/null.
		r.stdio = stdio
		return files, nil
	}
	if f, ok := stdio.In.(*os.File); ok {
		// A copy: the caller keeps its own, the init's is closed here once passed on.
		if files[0], err = dupFile(f); err != nil {
			return files, err
		}
	} else if stdio.In != nil {
		inR, inW, err := os.Pipe()
		if err != nil {
			return files, err
		}
		go func() {
			_, _ = io.Copy(inW, stdio.In)
			inW.Close()
		}()
		files[0] = inR
	}
	for i, name := range []string{"stdout", "stderr"} {
		pr, pw, err := os.Pipe()
		if err != nil {
			return files, err
		}
		attached := stdio.Out
		if i == 1 {
			attached = stdio.Err
		}
		r.copy(r.log.stream(name, attached), pr)
		files[i+1] = pw
	}
	return files, nil
}

// attachTerminal takes the master of the container's terminal and passes it to and
// from the attached streams and the log.
func (r *Running) attachTerminal(master *os.File) {
	r.tty = master
	_ = pty.Setsize(master, &defaultWinsize)
	r.copy(r.log.stream("stdout", r.stdio.Out), master)
	if r.stdio.In != nil {
		go func() { _, _ = io.Copy(master, r.stdio.In) }()
	}
}

// copy copies src to dst until src ends, then closes src.
func (r *Running) copy(dst io.Writer, src *os.File) {
	r.copiers.Add(1)
	go func() {
		defer r.copiers.Done()
		_, _ = io.Copy(dst, src)
		src.Close()
	}()
}

// abort undoes streams after a failed start.
func (r *Running) abort(files [3]*os.File, err error) error {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
	r.copiers.Wait()
	if r.tty != nil {
		r.tty.Close()
	}
	r.log.Close()
	return err
}

// Wait waits for the container's PID 1 to end, records its exit status, releases its
// kernel objects (and removes it with --rm), and returns its final state.
func (r *Running) Wait(ctx context.Context) (Container, error) {
	err := <-r.exited
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return r.c, fmt.Errorf("wait for container %s: %w", r.c.Name, err)
		}
		code = exitCode(ee.Sys().(syscall.WaitStatus))
	}
	r.copiers.Wait()
	if r.tty != nil {
		r.tty.Close()
	}
	r.log.Close()
	return r.e.finish(ctx, r.c.ID, code, "")
}

// finish records the end of a container, releases it, and removes it with --rm.
func (e *Engine) finish(ctx context.Context, id string, code int, why string) (Container, error) {
	unlock, err := e.inst.Lock()
	if err != nil {
		return Container{}, err
	}
	defer unlock()
	c, err := e.load(id)
	if err != nil {
		// Removed meanwhile (rm -f, reset): nothing is left to record.
		return Container{ID: id, State: StateExited, ExitCode: code}, nil
	}
	c.State, c.ExitCode, c.Finished, c.Error = StateExited, code, time.Now(), why
	if c.AutoRemove {
		return c, e.destroy(ctx, &c)
	}
	err = e.release(ctx, &c)
	return c, errors.Join(err, e.save(c))
}
