package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"workbench/instance"
	"workbench/nsutil"
)

// SuperviseArg is the hidden command the binary is re-executed with to supervise a
// detached container.
const SuperviseArg = "internal-supervise"

// Run makes a container and starts it with this process as its supervisor, attached to
// stdio; Wait on the result for its end. It holds the lock while making it.
func (e *Engine) Run(ctx context.Context, spec RunSpec, stdio Stdio) (*Running, error) {
	unlock, err := e.inst.Lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if spec.Userns {
		// A user namespace's init cannot join a namespace of the machine's later:
		// make the network first, for the init to be made in it.
		c, err := e.create(ctx, spec, true)
		if err != nil {
			return nil, err
		}
		r, err := e.launch(spec.Tty, true, joinAtClone(c), stdio)
		if err == nil {
			err = r.run(ctx, &c, true, nil)
		}
		if err != nil {
			return nil, errors.Join(err, e.destroy(ctx, &c))
		}
		return r, nil
	}
	// Otherwise the init boots while the container is made. Its mount namespace is a
	// copy of this one: the state directory's tmpfs must be there already.
	if err := e.ensureStateFs(); err != nil {
		return nil, err
	}
	r, err := e.launch(spec.Tty, false, "", stdio)
	if err != nil {
		return nil, err
	}
	c, err := e.create(ctx, spec, false)
	if err != nil {
		r.kill()
		return nil, err
	}
	if err := r.run(ctx, &c, false, &spec.Net); err != nil {
		return nil, errors.Join(err, e.destroy(ctx, &c))
	}
	return r, nil
}

// joinAtClone is the network namespace an init is made in: the container's, unless
// that is the machine's, which it is in anyway.
func joinAtClone(c Container) string {
	if c.NetnsPath == nsutil.MachinePath {
		return ""
	}
	return c.NetnsPath
}

// RunDetached makes a container and starts it under a supervisor process of its own
// (a re-execution of this binary in a new session) that outlives the caller, records
// the container's output and exit status, and removes it at the end with --rm.
func (e *Engine) RunDetached(ctx context.Context, spec RunSpec) (Container, error) {
	c, _, err := e.runSupervised(ctx, spec, [3]*os.File{})
	return c, err
}

// RunAttached is RunDetached with the container's streams also passed to files (nil
// ones are left out): the supervisor copies the output there as well as to the log,
// and feeds the input from files[0]. Wait on the result for the container's end; if
// the caller dies the container runs on.
func (e *Engine) RunAttached(ctx context.Context, spec RunSpec, files [3]*os.File) (*Attached, error) {
	c, cmd, err := e.runSupervised(ctx, spec, files)
	if err != nil {
		return nil, err
	}
	return &Attached{e: e, c: c, supervisor: cmd}, nil
}

// Attached is a container supervised by a process of its own and attached to this
// process's streams.
type Attached struct {
	e          *Engine
	c          Container
	supervisor *exec.Cmd
}

// Container is the container's state as of its start.
func (a *Attached) Container() Container { return a.c }

// Resize tells the supervisor the attached terminal changed size.
func (a *Attached) Resize() error { return a.supervisor.Process.Signal(syscall.SIGWINCH) }

// Wait waits for the supervisor to record the container's end and returns its state.
func (a *Attached) Wait(ctx context.Context) (Container, error) {
	_ = a.supervisor.Wait()
	return a.e.WaitExit(ctx, a.c)
}

func (e *Engine) runSupervised(ctx context.Context, spec RunSpec, files [3]*os.File) (Container, *exec.Cmd, error) {
	unlock, err := e.inst.Lock()
	if err != nil {
		return Container{}, nil, err
	}
	defer unlock()
	c, err := e.create(ctx, spec, true)
	if err != nil {
		return c, nil, err
	}
	cmd, err := e.spawnSupervisor(c, files)
	if err != nil {
		return c, nil, errors.Join(err, e.destroy(ctx, &c))
	}
	c, err = e.load(c.ID)
	return c, cmd, err
}

// spawnSupervisor starts the supervisor of a created container and waits until it
// says the container runs, or why it does not.
func (e *Engine) spawnSupervisor(c Container, files [3]*os.File) (*exec.Cmd, error) {
	repR, repW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer repR.Close()
	// Descriptors 4 to 6 are always open (on /dev/null when not attached), so that
	// no file the supervisor opens can take their place; the attach= argument says
	// which are attached.
	extra, attach := []*os.File{repW}, ""
	for i, f := range files {
		if f == nil {
			null, err := os.Open(os.DevNull)
			if err != nil {
				repW.Close()
				return nil, err
			}
			defer null.Close()
			f = null
		} else {
			attach += string("ioe"[i])
		}
		extra = append(extra, f)
	}
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"workbench", SuperviseArg, c.ID, "instance=" + e.inst.Name, "attach=" + attach},
		Env: append(os.Environ(), instance.EnvName+"="+e.inst.Name), ExtraFiles: extra,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}}
	err = cmd.Start()
	repW.Close()
	if err != nil {
		return nil, fmt.Errorf("start the supervisor of %s: %w", c.Name, err)
	}
	msg, err := io.ReadAll(repR)
	if err == nil && len(msg) > 0 {
		err = decodeFailure(msg)
	}
	if err == nil {
		if st, lerr := e.load(c.ID); lerr != nil || st.State != StateRunning {
			err = fmt.Errorf("the supervisor of %s ended before starting it", c.Name)
		}
	}
	if err != nil {
		_ = cmd.Wait()
		return nil, err
	}
	if files == [3]*os.File{} {
		go func() { _ = cmd.Wait() }() // reap it if this process lives longer
	}
	return cmd, nil
}

// Supervise is the body of the supervisor process of a container: it starts the
// container (the caller that spawned it holds the lock meanwhile), tells it through
// file descriptor 3 (closed without a word on success, why not otherwise), then waits
// for the container's end and records it. Descriptors 4, 5 and 6 are the input, output
// and error streams, used when attach names them ("i", "o", "e"); SIGWINCH says the
// attached terminal (descriptor 4) changed size. It returns the process's status.
func Supervise(ctx context.Context, inst instance.Instance, id, attach string) int {
	report := os.NewFile(3, "report")
	e := newEngine(inst)
	c, err := e.load(id)
	if err != nil {
		report.Write(encodeFailure(err))
		return 1
	}
	var stdio Stdio
	if strings.Contains(attach, "i") && c.Interactive {
		stdio.In = attachedFd(4)
	}
	if strings.Contains(attach, "o") {
		stdio.Out = attachedFd(5)
	}
	if strings.Contains(attach, "e") {
		stdio.Err = attachedFd(6)
	}
	r, err := e.launch(c.Tty, c.Userns, joinAtClone(c), stdio)
	if err == nil {
		err = r.run(ctx, &c, true, nil)
	}
	if err != nil {
		report.Write(encodeFailure(err))
		return 1
	}
	report.Close()
	if in, ok := stdio.In.(*os.File); ok && c.Tty {
		go followTerminalSize(r, in)
	}
	if _, err := r.Wait(ctx); err != nil {
		return 1
	}
	return 0
}

// attachedFd returns an attached stream's descriptor as a file.
func attachedFd(fd int) *os.File {
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "attached")
}

// followTerminalSize passes the attached terminal's size on to the container's, now
// and at every SIGWINCH.
func followTerminalSize(r *Running, tty *os.File) {
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	for {
		if ws, err := unix.IoctlGetWinsize(int(tty.Fd()), unix.TIOCGWINSZ); err == nil {
			_ = r.Resize(ws.Row, ws.Col)
		}
		<-winch
	}
}

// encodeFailure is how a supervisor tells why it could not start its container.
func encodeFailure(err error) []byte {
	se := &StartError{Msg: err.Error()}
	errors.As(err, &se)
	b, _ := json.Marshal(se)
	return b
}

// decodeFailure reads what encodeFailure wrote.
func decodeFailure(b []byte) error {
	var se StartError
	if err := json.Unmarshal(b, &se); err != nil || se.Msg == "" {
		return errors.New(string(b))
	}
	if se.Code == 0 {
		return errors.New(se.Msg)
	}
	return &se
}
