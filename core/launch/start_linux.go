package launch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Options say how the clone is made.
type Options struct {
	// Cloneflags are the namespaces the clone is made in (CLONE_NEW* flags).
	Cloneflags uintptr
	// Join are namespaces the forking thread enters first, so that the clone starts in
	// them: a network namespace file (CLONE_NEWNET), or a pidfd whose PID namespace
	// the clone is born into (CLONE_NEWPID). The thread is thrown away afterwards.
	Join []Namespace
	// Cgroup, when set, is a cgroup v2 directory the clone starts in.
	Cgroup *os.File
	// UIDMap and GIDMap are written for the clone's new user namespace before its
	// first step ("0 100000 65536").
	UIDMap, GIDMap string
}

// Namespace is a namespace to join: a file and the CLONE_NEW* type to join of it.
type Namespace struct {
	File *os.File
	Type uintptr
}

// Process is a started clone.
type Process struct {
	// Pid is its PID as the parent sees it.
	Pid int
	// PidFD refers to it without the risk of a reused PID; it is non-blocking and
	// readable once the process has ended.
	PidFD *os.File
	term  *os.File
	done  chan error
}

// Error is a program that could not run to the end.
type Error struct {
	// Step says what the failing step did, as a shell command ("" for internal ones).
	Step string
	// Exec is set when the command itself could not be executed.
	Exec bool
	// Err is the system's error.
	Err syscall.Errno
	// Command is the command as given, for Exec errors.
	Command string
}

// Error says what failed, in Docker's words for a command that could not be run.
func (e *Error) Error() string {
	if e.Exec {
		if e.Err == syscall.ENOENT {
			if containsSlash(e.Command) {
				return fmt.Sprintf("exec: %q: no such file or directory", e.Command)
			}
			return fmt.Sprintf("exec: %q: executable file not found in $PATH", e.Command)
		}
		return fmt.Sprintf("exec: %q: %v", e.Command, e.Err)
	}
	if e.Step == "" {
		return "set-up: " + e.Err.Error()
	}
	return e.Step + ": " + e.Err.Error()
}

// Unwrap is the system's error, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// Code is the exit status Docker gives this failure: 127 for a command that is not
// there, 126 for one that cannot be run, 125 for a set-up that failed.
func (e *Error) Code() int {
	switch {
	case e.Exec && e.Err == syscall.ENOENT:
		return 127
	case e.Exec:
		return 126
	}
	return 125
}

func containsSlash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return true
		}
	}
	return false
}

// Start clones the calling process as opts say and runs the program in the clone.
// It returns once the clone exists; Wait tells whether the command runs.
func (p *Program) Start(opts Options) (*Process, error) {
	defer p.closeFiles()
	if p.err != nil {
		return nil, p.err
	}
	if p.exec.argv == nil {
		return nil, errors.New("launch: the program has no command (Exec)")
	}
	e, err := p.ends(opts.UIDMap != "" || opts.GIDMap != "")
	if err != nil {
		return nil, err
	}
	c := p.child(e.theirs[:], e.goW != nil)
	args := &cloneArgs{flags: uint64(opts.Cloneflags) | unix.CLONE_PIDFD, exitSignal: uint64(unix.SIGCHLD)}
	var pidfd int32 = -1
	args.pidfd = uint64(uintptr(unsafe.Pointer(&pidfd)))
	if opts.Cgroup != nil {
		args.flags |= unix.CLONE_INTO_CGROUP
		args.cgroup = uint64(opts.Cgroup.Fd())
	}
	started := make(chan error, 1)
	pr := &Process{term: e.term, done: make(chan error, 1)}
	go func() {
		// The clone dies with this thread until its command starts (its parent-death
		// signal follows the thread, not the process), so the thread stays until then.
		runtime.LockOSThread()
		clean := len(opts.Join) == 0
		defer func() {
			if clean {
				runtime.UnlockOSThread()
			}
		}()
		pid, err := forkIn(opts.Join, args, c)
		runtime.KeepAlive(p)
		runtime.KeepAlive(args)
		e.closeTheirs()
		if err == nil {
			err = setPidfd(pr, int(pidfd))
			pr.Pid = int(pid)
		}
		if err == nil {
			if err = writeMaps(pr.Pid, opts, e.goW); err != nil {
				unix.Kill(pr.Pid, unix.SIGKILL)
			}
		}
		if e.goW != nil {
			e.goW.Close()
		}
		if err != nil && pr.PidFD == nil {
			e.repR.Close()
			started <- err
			return
		}
		started <- nil
		res := p.readReport(e.repR)
		e.repR.Close()
		if err != nil {
			res = err
		}
		pr.done <- res
	}()
	if err := <-started; err != nil {
		if e.term != nil {
			e.term.Close()
		}
		return nil, err
	}
	return pr, nil
}

// forkIn enters the namespaces to join on the calling (locked) thread, then forks.
func forkIn(join []Namespace, args *cloneArgs, c *child) (uintptr, error) {
	for _, ns := range join {
		if err := unix.Setns(int(ns.File.Fd()), int(ns.Type)); err != nil {
			return 0, fmt.Errorf("join namespace %s: %w", ns.File.Name(), err)
		}
	}
	pid, errno := fork(args, c)
	if errno != 0 {
		return 0, fmt.Errorf("clone: %w", errno)
	}
	return pid, nil
}

// pipeEnds are the pipes and socket between this process and the clone.
type pipeEnds struct {
	repR, goW, term *os.File
	// theirs are the clone's ends, in the slots fdReport, fdGo and fdTerminal.
	theirs [3]*os.File
}

// ends makes the report pipe, the go-ahead pipe (with waitGo) and the terminal socket
// (for a program that makes a terminal).
func (p *Program) ends(waitGo bool) (*pipeEnds, error) {
	e := &pipeEnds{}
	var err error
	if e.repR, e.theirs[0], err = os.Pipe(); err != nil {
		return nil, fmt.Errorf("make the report pipe: %w", err)
	}
	if waitGo {
		if e.theirs[1], e.goW, err = os.Pipe(); err != nil {
			e.close()
			return nil, fmt.Errorf("make the go-ahead pipe: %w", err)
		}
	}
	if p.terminal {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			e.close()
			return nil, fmt.Errorf("make the terminal socket: %w", err)
		}
		e.term, e.theirs[2] = os.NewFile(uintptr(fds[0]), "terminal"), os.NewFile(uintptr(fds[1]), "terminal")
	}
	return e, nil
}

// closeTheirs closes this process's copies of the clone's ends: the report pipe then
// ends when the clone's copy closes, at execve or exit.
func (e *pipeEnds) closeTheirs() {
	for _, f := range e.theirs {
		if f != nil {
			f.Close()
		}
	}
}

func (e *pipeEnds) close() {
	e.closeTheirs()
	for _, f := range []*os.File{e.repR, e.goW, e.term} {
		if f != nil {
			f.Close()
		}
	}
}

// setPidfd keeps the clone's pidfd, non-blocking, so that its end can be polled.
func setPidfd(pr *Process, fd int) error {
	if fd < 0 {
		return errors.New("clone gave no pidfd: this kernel is too old (Linux 5.9 or later is needed)")
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fmt.Errorf("make the pidfd non-blocking: %w", err)
	}
	pr.PidFD = os.NewFile(uintptr(fd), "pidfd")
	return nil
}

// writeMaps writes the user namespace's ID maps, then lets the clone go on.
func writeMaps(pid int, opts Options, goW *os.File) error {
	if goW == nil {
		return nil
	}
	for file, m := range map[string]string{"uid_map": opts.UIDMap, "gid_map": opts.GIDMap} {
		if m == "" {
			continue
		}
		path := fmt.Sprintf("/proc/%d/%s", pid, file)
		if err := os.WriteFile(path, []byte(m), 0); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if _, err := goW.Write([]byte{'g'}); err != nil {
		return fmt.Errorf("let the clone go on: %w", err)
	}
	return nil
}

// child lays out what the clone reads: the descriptor slots (the fixed ones, then the
// program's files) and the parked range above every descriptor of this process.
func (p *Program) child(fixed []*os.File, waitGo bool) *child {
	c := &child{steps: p.steps, waitGo: waitGo, exec: p.exec,
		allSigs: ^uint64(0)}
	c.fds = make([]int32, firstFile-3+len(p.files))
	for i := range c.fds {
		c.fds[i] = -1
	}
	for i, f := range fixed {
		if f != nil {
			c.fds[i] = int32(f.Fd())
		}
	}
	for i, f := range p.files {
		c.fds[firstFile-3+i] = int32(f.Fd())
	}
	high := uintptr(firstFile + len(p.files))
	for _, fd := range c.fds {
		if uintptr(fd) >= high && fd >= 0 {
			high = uintptr(fd) + 1
		}
	}
	c.high = high
	return c
}

// closeFiles closes the program's duplicates once the clone has its own.
func (p *Program) closeFiles() {
	for _, f := range p.files {
		f.Close()
	}
	p.files = nil
}

// readReport reads the clone's records until the report pipe ends (the command runs,
// or the clone is gone) and returns why the program stopped, or nil.
func (p *Program) readReport(r io.Reader) error {
	var buf [8]byte
	for {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return errors.New("set-up: the clone ended before its command started")
		}
		rec := binary.NativeEndian.Uint64(buf[:])
		what, step, errno := rec>>56, int(rec>>16&0xffffffffff), syscall.Errno(rec&0xffff)
		if what != recFailed {
			continue
		}
		if step >= len(p.steps) {
			return &Error{Exec: true, Err: errno, Command: p.exec.name}
		}
		return &Error{Step: p.steps[step].text, Err: errno}
	}
}

// Wait waits until the command runs (nil) or the program stopped (*Error).
func (pr *Process) Wait() error {
	err := <-pr.done
	pr.done <- err
	return err
}

// Terminal receives the master of the terminal the program made (Program.Terminal).
func (pr *Process) Terminal() (*os.File, error) {
	if pr.term == nil {
		return nil, errors.New("launch: the program makes no terminal")
	}
	defer func() { pr.term.Close(); pr.term = nil }()
	b := make([]byte, 1)
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := unix.Recvmsg(int(pr.term.Fd()), b, oob, unix.MSG_CMSG_CLOEXEC)
	if err == nil && oobn > 0 {
		if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil && len(msgs) == 1 {
			if fds, err := unix.ParseUnixRights(&msgs[0]); err == nil && len(fds) == 1 {
				return os.NewFile(uintptr(fds[0]), "terminal"), nil
			}
		}
	}
	if werr := pr.Wait(); werr != nil {
		return nil, werr
	}
	return nil, errors.New("set-up: no terminal came back")
}

// Signal sends a signal to the process through its pidfd.
func (pr *Process) Signal(sig syscall.Signal) error {
	return unix.PidfdSendSignal(int(pr.PidFD.Fd()), sig, nil, 0)
}

// ExitCode waits until the process ends, without holding a thread (the pidfd is
// polled), reaps it and returns its status as a shell reports it: the exit code, or
// 128+N after signal N.
func (pr *Process) ExitCode() (int, error) {
	rc, err := pr.PidFD.SyscallConn()
	if err != nil {
		return 0, err
	}
	code, werr := 0, error(nil)
	err = rc.Read(func(fd uintptr) bool {
		var info unix.Siginfo
		switch e := unix.Waitid(unix.P_PIDFD, int(fd), &info, unix.WEXITED|unix.WNOHANG, nil); e {
		case nil:
		case unix.EAGAIN:
			return false
		case unix.EINTR:
			return false
		default:
			werr = e
			return true
		}
		pid, status := childStatus(&info)
		if pid == 0 {
			return false
		}
		code = status
		return true
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return 0, fmt.Errorf("wait for process %d: %w", pr.Pid, err)
	}
	return code, nil
}

// childStatus reads the PID and the status of a SIGCHLD siginfo (si_pid, si_code,
// si_status) as a shell reports it.
func childStatus(info *unix.Siginfo) (pid, code int) {
	b := (*[128]byte)(unsafe.Pointer(info))
	pid = int(int32(binary.NativeEndian.Uint32(b[16:])))
	status := int(int32(binary.NativeEndian.Uint32(b[24:])))
	if info.Code == 1 { // CLD_EXITED
		return pid, status
	}
	return pid, 128 + status
}
