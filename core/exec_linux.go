package core

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
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

// Execution is a process started by Exec inside a running container.
type Execution struct {
	conn    *net.UnixConn
	replies *bufio.Scanner
	tty     *os.File
	copiers sync.WaitGroup
	// Pid is the process's PID inside the container.
	Pid int
}

// listenExec makes the socket a container's init listens on for exec requests and
// returns it as a file to hand to the init. The path is reached through a descriptor
// of the container's directory, since the full path is longer than a socket name.
func (e *Engine) listenExec(id string) (*os.File, error) {
	var sock *os.File
	err := inDir(e.Dir(id), func(dir string) error {
		l, err := net.ListenUnix("unix", &net.UnixAddr{Name: filepath.Join(dir, execSocket), Net: "unix"})
		if err != nil {
			return fmt.Errorf("make the exec socket: %w", err)
		}
		l.SetUnlinkOnClose(false)
		defer l.Close()
		sock, err = l.File()
		return err
	})
	return sock, err
}

// inDir calls fn with a short path (/proc/self/fd/N) that names dir.
func inDir(dir string, fn func(short string) error) error {
	d, err := os.OpenFile(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	return fn("/proc/self/fd/" + strconv.Itoa(int(d.Fd())))
}

// Exec starts a process in a running container: its init forks it, so the process is
// in every namespace of the container (mount, PID, UTS, IPC, network, cgroup, user),
// in its cgroup, with the same capabilities and no_new_privs. Wait for its status.
func (e *Engine) Exec(ctx context.Context, c Container, spec ExecSpec, stdio Stdio) (*Execution, error) {
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		return nil, fmt.Errorf("container %s is not running: start a new one with workbench run", c.Name)
	}
	if len(spec.Args) == 0 {
		return nil, errors.New("no command: give one after the container, e.g. workbench exec web sh")
	}
	req := execRequest{Args: spec.Args, Env: MergeEnv(c.Env, spec.Env),
		Cwd: firstNonEmpty(spec.WorkingDir, c.WorkingDir), User: firstNonEmpty(spec.User, c.User), Tty: spec.Tty}
	if spec.Tty {
		req.Env = MergeEnv(req.Env, []string{"TERM=xterm"})
	}
	x := &Execution{}
	var conn *net.UnixConn
	err := inDir(e.Dir(c.ID), func(dir string) error {
		var err error
		conn, err = net.DialUnix("unix", nil, &net.UnixAddr{Name: filepath.Join(dir, execSocket), Net: "unix"})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reach the init of %s: %w", c.Name, err)
	}
	x.conn = conn
	files, err := x.streams(spec.Tty, stdio)
	if err == nil {
		err = x.send(req, files)
	}
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
	e.log.AddArgs(append([]string{"nsenter", "--target", strconv.Itoa(c.Pid), "--all"}, spec.Args...)...)
	if err != nil {
		x.close()
		return nil, err
	}
	rep, err := x.first(spec.Tty, stdio)
	if err != nil {
		x.close()
		return nil, fmt.Errorf("exec in %s: %w", c.Name, err)
	}
	if rep.Error != "" {
		x.close()
		return nil, fmt.Errorf("exec in %s: %s", c.Name, rep.Error)
	}
	x.Pid = rep.Pid
	return x, nil
}

// send writes the request with the three streams attached (none for a terminal,
// which the init makes).
func (x *Execution) send(req execRequest, files [3]*os.File) error {
	b, _ := json.Marshal(req)
	var rights []byte
	if files[0] != nil {
		rights = unix.UnixRights(int(files[0].Fd()), int(files[1].Fd()), int(files[2].Fd()))
	}
	if _, _, err := x.conn.WriteMsgUnix(b, rights, nil); err != nil {
		return fmt.Errorf("send the exec request: %w", err)
	}
	return nil
}

// first reads the init's first reply, which carries the terminal's master with tty,
// and attaches the terminal to stdio.
func (x *Execution) first(tty bool, stdio Stdio) (execReply, error) {
	var rep execReply
	buf := make([]byte, 64*1024)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := x.conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return rep, err
	}
	line, rest, _ := bytes.Cut(buf[:n], []byte("\n"))
	x.replies = bufio.NewScanner(io.MultiReader(bytes.NewReader(append([]byte(nil), rest...)), x.conn))
	if err := json.Unmarshal(line, &rep); err != nil {
		return rep, errors.New("the container ended")
	}
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil && len(msgs) > 0 {
		if fds, err := unix.ParseUnixRights(&msgs[0]); err == nil && len(fds) == 1 {
			master := os.NewFile(uintptr(fds[0]), "terminal")
			if !tty {
				master.Close()
			} else {
				x.tty = master
				_ = pty.Setsize(master, &defaultWinsize)
				x.copyOut(stdio.Out, master)
				if stdio.In != nil {
					go func() { _, _ = io.Copy(master, stdio.In) }()
				}
			}
		}
	}
	return rep, nil
}

// next reads the init's next reply.
func (x *Execution) next(rep *execReply) error {
	if !x.replies.Scan() {
		if err := x.replies.Err(); err != nil {
			return err
		}
		return errors.New("the container ended")
	}
	return json.Unmarshal(x.replies.Bytes(), rep)
}

// streams makes the process's three streams: a pseudo-terminal with tty, else the
// caller's files as they are, or pipes copied to and from its readers and writers.
func (x *Execution) streams(tty bool, stdio Stdio) (files [3]*os.File, err error) {
	if tty {
		return files, nil // the init makes the terminal (first)
	}
	if f, ok := stdio.In.(*os.File); ok {
		files[0], err = dupFile(f)
	} else {
		var w *os.File
		if files[0], w, err = os.Pipe(); err == nil {
			if stdio.In == nil {
				w.Close()
			} else {
				go func() { _, _ = io.Copy(w, stdio.In); w.Close() }()
			}
		}
	}
	for i, out := range []io.Writer{stdio.Out, stdio.Err} {
		if err != nil {
			break
		}
		if f, ok := out.(*os.File); ok {
			files[i+1], err = dupFile(f)
			continue
		}
		var r *os.File
		if r, files[i+1], err = os.Pipe(); err == nil {
			x.copyOut(out, r)
		}
	}
	return files, err
}

func dupFile(f *os.File) (*os.File, error) {
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

func (x *Execution) copyOut(dst io.Writer, src *os.File) {
	x.copiers.Add(1)
	go func() {
		defer x.copiers.Done()
		if dst == nil {
			dst = io.Discard
		}
		_, _ = io.Copy(dst, src)
		src.Close()
	}()
}

// Signal passes a signal to the process.
func (x *Execution) Signal(sig syscall.Signal) error {
	b, _ := json.Marshal(execRequest{Signal: int(sig)})
	_, err := x.conn.Write(append(b, '\n'))
	return err
}

// Resize sets the window size of the process's terminal.
func (x *Execution) Resize(rows, cols uint16) error {
	if x.tty == nil {
		return nil
	}
	return pty.Setsize(x.tty, &pty.Winsize{Rows: rows, Cols: cols})
}

// Wait waits for the process to end and returns its exit status.
func (x *Execution) Wait() (int, error) {
	var rep execReply
	err := x.next(&rep)
	x.copiers.Wait()
	x.close()
	if err != nil {
		return 137, fmt.Errorf("wait for the exec'd process: %w", err)
	}
	return rep.Code, nil
}

func (x *Execution) close() {
	x.conn.Close()
	if x.tty != nil {
		x.tty.Close()
	}
}
