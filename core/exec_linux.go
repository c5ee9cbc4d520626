package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"

	"workbench/core/launch"
	"workbench/errkind"
)

// ExecSpec is what `exec` asks for.
type ExecSpec struct {
	// Args is the command and its arguments.
	Args []string
	// Env holds KEY=VALUE pairs added to the container's environment.
	Env []string
	// WorkingDir overrides the container's working directory.
	WorkingDir string
	// User overrides the container's user.
	User string
	// Tty runs the process on a pseudo-terminal.
	Tty bool
}

// Execution is a process started by Exec in a running container; this process is its
// parent and passes its streams on.
type Execution struct {
	proc   *launch.Process
	tty    *os.File
	copies sync.WaitGroup
	// Pid is the process's PID on the machine.
	Pid int
}

// Exec starts a process in a running container, joined from outside: nothing of the
// workbench is inside the container to ask. A clone of this process enters the
// container's cgroup, then every namespace of its PID 1 through a pidfd (mount, UTS,
// IPC, network, cgroup, and user with --userns; its PID namespace is entered by the
// thread that clones, for the process to be born in it), and takes the container's
// user, capabilities, no_new_privs and seccomp filter before it executes the command.
// Wait for its status.
func (e *Engine) Exec(ctx context.Context, c Container, spec ExecSpec, stdio Stdio) (*Execution, error) {
	notRunning := fmt.Errorf("container %s is not running: start it (workbench start %s) or run a new one", c.Name, c.Name)
	if c.State != StateRunning {
		return nil, notRunning
	}
	if len(spec.Args) == 0 {
		return nil, errors.New("no command: give one after the container, e.g. workbench exec web sh")
	}
	fd, err := unix.PidfdOpen(c.Pid, 0)
	if err != nil {
		return nil, notRunning
	}
	pidfd := os.NewFile(uintptr(fd), "pidfd")
	defer pidfd.Close()
	root, err := openRoot("/proc/" + strconv.Itoa(c.Pid) + "/root")
	// Both opened, the process is checked: a PID reused meanwhile would fail here.
	if err != nil || !alive(c.Pid, c.PidStart) || unix.PidfdSendSignal(fd, 0, nil, 0) != nil {
		if root != nil {
			root.Close()
		}
		return nil, notRunning
	}
	defer root.Close()
	cwd := firstNonEmpty(spec.WorkingDir, c.WorkingDir)
	if err := checkDirInRoot(root, cwd); err != nil {
		return nil, &StartError{Code: 126, Msg: fmt.Sprintf("exec in %s: chdir to the working directory %s: %v", c.Name, cwd, err)}
	}
	run := c
	run.Env, run.User, run.Tty = MergeEnv(c.Env, spec.Env), firstNonEmpty(spec.User, c.User), spec.Tty
	if spec.Tty {
		run.Env = MergeEnv(run.Env, []string{"TERM=xterm"})
	}
	x := &Execution{}
	var stdioFiles, mine [3]*os.File
	if !spec.Tty {
		if stdioFiles, mine, err = execStreams(stdio); err != nil {
			return nil, err
		}
	}
	defer closeAll(stdioFiles[:])
	// The container may end at any moment (rm -f): then that is the one thing to say.
	// Its PID 1 gone, its namespaces cannot be joined (ESRCH); ending, its PID
	// namespace takes no new process (ENOMEM) and it is gone a moment later.
	gone := func(err error) error {
		if errors.Is(err, unix.ESRCH) || !alive(c.Pid, c.PidStart) ||
			errors.Is(err, unix.ENOMEM) && waitGone(c.Pid, c.PidStart, time.Second) {
			return notRunning
		}
		return err
	}
	pr, err := e.containerProcess(&run, root, spec.Args, cwd, stdioFiles)
	if err != nil {
		closeAll(mine[:])
		return nil, gone(fmt.Errorf("exec in %s: %w", c.Name, err))
	}
	p := launch.New()
	var opts launch.Options
	if err := joinCgroup(e, &c, p, &opts); err != nil {
		closeAll(mine[:])
		return nil, gone(err)
	}
	nstypes := uintptr(unix.CLONE_NEWNS | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC | unix.CLONE_NEWNET | unix.CLONE_NEWCGROUP)
	text := "nsenter --target " + strconv.Itoa(c.Pid) + " --mount --uts --ipc --net --cgroup --pid"
	if c.Userns {
		nstypes |= unix.CLONE_NEWUSER
		text += " --user"
	}
	p.Setns(p.File(pidfd), nstypes, text)
	opts.Join = []launch.Namespace{{File: pidfd, Type: unix.CLONE_NEWPID}}
	processSteps(p, pr)
	proc, err := p.Start(opts)
	if opts.Cgroup != nil {
		opts.Cgroup.Close()
	}
	closeAll(stdioFiles[:])
	stdioFiles = [3]*os.File{}
	if err == nil && spec.Tty {
		x.tty, err = proc.Terminal()
	}
	if err == nil {
		err = proc.Wait()
	}
	if err != nil {
		closeAll(mine[:])
		if proc != nil {
			_ = proc.Signal(unix.SIGKILL)
			_, _ = proc.ExitCode()
			proc.PidFD.Close()
		}
		if x.tty != nil {
			x.tty.Close()
		}
		var le *launch.Error
		if errors.As(err, &le) && le.Exec {
			return nil, &StartError{Code: le.Code(), Msg: fmt.Sprintf("exec in %s: %v", c.Name, le)}
		}
		if err = gone(err); err == notRunning {
			return nil, err
		}
		if errors.As(err, &le) {
			return nil, &StartError{Code: 126, Msg: fmt.Sprintf("exec in %s: %v", c.Name, le)}
		}
		return nil, fmt.Errorf("exec in %s: %w", c.Name, err)
	}
	e.log.AddLines(p.Commands()...)
	e.event("exec_start: "+strings.Join(spec.Args, " "), c)
	x.proc, x.Pid = proc, proc.Pid
	x.passStreams(stdio, mine)
	return x, nil
}

// checkDirInRoot says whether name is a directory inside root.
func checkDirInRoot(root *os.File, name string) error {
	h, err := pathrs.OpenatInRoot(root, name)
	if err != nil {
		return errkind.PathCause(err)
	}
	defer h.Close()
	st, err := h.Stat()
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return syscall.ENOTDIR
	}
	return nil
}

// execStreams makes the process's streams without a terminal: a pipe this process
// feeds from stdio.In (else /dev/null), and pipes for its output and errors. mine are
// this process's ends.
func execStreams(stdio Stdio) (theirs, mine [3]*os.File, err error) {
	defer func() {
		if err != nil {
			closeAll(theirs[:])
			closeAll(mine[:])
		}
	}()
	if stdio.In != nil {
		if theirs[0], mine[0], err = os.Pipe(); err != nil {
			return
		}
	} else if theirs[0], err = os.Open(os.DevNull); err != nil {
		return
	}
	for i := 1; i < 3; i++ {
		if mine[i], theirs[i], err = os.Pipe(); err != nil {
			return
		}
	}
	return
}

// passStreams copies stdio to and from the process: its terminal's master, or the
// pipes of execStreams.
func (x *Execution) passStreams(stdio Stdio, mine [3]*os.File) {
	if x.tty != nil {
		x.copyOut(stdio.Out, x.tty)
		if stdio.In != nil {
			go func() { _, _ = io.Copy(x.tty, stdio.In) }()
		}
		return
	}
	if mine[0] != nil {
		go func() { _, _ = io.Copy(mine[0], stdio.In); mine[0].Close() }()
	}
	x.copyOut(stdio.Out, mine[1])
	x.copyOut(stdio.Err, mine[2])
}

func (x *Execution) copyOut(dst io.Writer, src *os.File) {
	x.copies.Add(1)
	go func() {
		defer x.copies.Done()
		if dst == nil {
			dst = io.Discard
		}
		_, _ = io.Copy(dst, src)
		if src != x.tty {
			src.Close()
		}
	}()
}

// Signal passes a signal to the process.
func (x *Execution) Signal(sig syscall.Signal) error { return x.proc.Signal(sig) }

// Resize sets the window size of the process's terminal.
func (x *Execution) Resize(rows, cols uint16) error {
	if x.tty == nil {
		return nil
	}
	return setTerminalSize(x.tty, rows, cols)
}

// Wait waits for the process to end and its output to be passed on, and returns its
// exit status as a shell reports it (128+N after signal N).
func (x *Execution) Wait() (int, error) {
	code, err := x.proc.ExitCode()
	x.proc.PidFD.Close()
	// A terminal's output ends with its last holder (EIO), pipes at EOF.
	x.copies.Wait()
	if x.tty != nil {
		x.tty.Close()
	}
	if err != nil {
		return 137, fmt.Errorf("wait for the exec'd process: %w", err)
	}
	return code, nil
}
