package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"workbench/atomicfile"
	"workbench/instance"
)

// Stdio are the streams a container's process is attached to while it runs. Its
// output always goes to the log as well.
type Stdio struct {
	// In feeds the process's standard input (with -i); nil gives it none.
	In io.Reader
	// Out and Err receive its output; nil drops it (the log keeps it).
	Out, Err io.Writer
}

// Attached is a container whose streams this process is attached to (run without
// -d, start -a). The monitor passes its output on and its input in: the container
// does not depend on this process, which may go away.
type Attached struct {
	e       *Engine
	c       Container
	conn    *net.UnixConn
	replies *replyReader
	copies  sync.WaitGroup
}

// Container is the container's state as of its start.
func (a *Attached) Container() Container { return a.c }

// Resize tells the monitor the attached terminal's new size.
func (a *Attached) Resize(rows, cols uint16) error {
	return sendMonitor(a.conn, monitorRequest{Op: "resize", Rows: rows, Cols: cols})
}

// Wait waits until the container has ended and its output has been passed on, and
// returns its final state (as last seen, with its exit code, when --rm removed it).
func (a *Attached) Wait(ctx context.Context) (Container, error) {
	a.copies.Wait()
	rep, err := a.replies.next()
	a.conn.Close()
	if err != nil {
		// The monitor died: the next command's reconcile records what it can.
		return a.c, fmt.Errorf("wait for container %s: %w", a.c.Name, err)
	}
	c, lerr := a.e.load(a.c.ID)
	if lerr != nil {
		c = a.c
		c.State, c.ExitCode = StateExited, rep.ExitCode
	}
	return c, nil
}

// Attach attaches to a running container's output (and, with stdio.In and -i, its
// input), as `docker attach` does; Wait on the result for its end. Only the output
// from now on comes: its log has what came before.
func (e *Engine) Attach(ctx context.Context, c Container, stdio Stdio) (*Attached, error) {
	if c.State != StateRunning || !alive(c.Pid, c.PidStart) {
		return nil, fmt.Errorf("container %s is not running: nothing to attach to (see workbench logs %s)", c.Name, c.Name)
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: e.inst.MonitorSocket(), Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("container %s runs without its monitor (it ended): its output is not passed on any more", c.Name)
	}
	a := &Attached{e: e, c: c, conn: conn}
	req := monitorRequest{Op: "attach", ID: c.ID}
	theirs, err := a.streams(&c, &stdio, &req)
	if err == nil {
		err = sendMonitor(conn, req, theirs...)
	}
	closeAll(theirs)
	a.replies = newReplyReader(conn)
	var rep monitorReply
	if err == nil {
		rep, err = a.replies.next()
	}
	if err == nil && rep.Error != "" {
		err = fmt.Errorf("attach to %s: %s", c.Name, rep.Error)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return a, nil
}

// monitorClient starts containers through the instance's monitor, which it starts
// when there is none.
type monitorClient struct{ e *Engine }

// spawn asks the monitor to start a container's PID 1, attached to stdio when it is
// not nil. The caller holds the lock.
func (mc monitorClient) spawn(ctx context.Context, c *Container, stdio *Stdio) (started, error) {
	conn, err := mc.e.monitorConn()
	if err != nil {
		return started{}, err
	}
	req := monitorRequest{Op: "start", ID: c.ID}
	var a *Attached
	var theirs []*os.File
	if stdio != nil {
		a = &Attached{e: mc.e, conn: conn}
		if theirs, err = a.streams(c, stdio, &req); err != nil {
			conn.Close()
			return started{}, err
		}
	}
	err = sendMonitor(conn, req, theirs...)
	closeAll(theirs)
	replies := newReplyReader(conn)
	var rep monitorReply
	if err == nil {
		rep, err = replies.next()
	}
	switch {
	case err != nil:
	case rep.Error != "":
		err = &StartError{Msg: rep.Error, Code: rep.Code}
	case rep.Pid <= 0:
		err = errors.New("the monitor started no process")
	}
	if err != nil || a == nil {
		conn.Close()
	}
	if err != nil {
		return started{}, err
	}
	s := started{pid: rep.Pid, pidStart: rep.PidStart, monitor: rep.Monitor, monitorStart: rep.MonitorStart, commands: rep.Commands}
	if a != nil {
		a.replies = replies
		s.attached = a
	}
	return s, nil
}

// streams makes the pipes an attached client talks through: it copies stdio.In into
// the command's input (with -i) and the command's output and errors into stdio.Out
// and stdio.Err; it returns the ends to send to the monitor and names them in req.
func (a *Attached) streams(c *Container, stdio *Stdio, req *monitorRequest) ([]*os.File, error) {
	a.c = *c
	var theirs []*os.File
	if stdio.In != nil && c.Interactive {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		req.Attach += "i"
		theirs = append(theirs, r)
		go func() { _, _ = io.Copy(w, stdio.In); w.Close() }()
	}
	for _, s := range []struct {
		k   string
		dst io.Writer
	}{{"o", stdio.Out}, {"e", stdio.Err}} {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(theirs)
			return nil, err
		}
		req.Attach += s.k
		theirs = append(theirs, w)
		a.copies.Add(1)
		go func(dst io.Writer) {
			defer a.copies.Done()
			if dst == nil {
				dst = io.Discard
			}
			_, _ = io.Copy(dst, r)
			r.Close()
		}(s.dst)
	}
	return theirs, nil
}

// monitorConn connects to the instance's monitor, starting one when there is none.
// The caller holds the lock: a monitor only leaves while it can take the lock, so it
// cannot leave between this connection and the request that follows.
func (e *Engine) monitorConn() (*net.UnixConn, error) {
	addr := &net.UnixAddr{Name: e.inst.MonitorSocket(), Net: "unix"}
	if conn, err := net.DialUnix("unix", nil, addr); err == nil {
		return conn, nil
	}
	if err := e.startMonitor(); err != nil {
		return nil, err
	}
	conn, err := net.DialUnix("unix", nil, addr)
	if err != nil {
		return nil, fmt.Errorf("reach the instance's monitor: %w", err)
	}
	return conn, nil
}

// monitorFile records the monitor's PID and start time.
func (e *Engine) monitorFile() string { return filepath.Join(e.inst.RunDir, "monitor.json") }

// monitorProcess is what monitorFile holds.
type monitorProcess struct {
	Pid   int
	Start uint64
}

// startMonitor starts the instance's monitor in a session of its own, with its
// listening socket made here (so that it listens before it runs), / as its working
// directory and no descriptor but that socket and /dev/null.
func (e *Engine) startMonitor() error {
	path := e.inst.MonitorSocket()
	_ = os.Remove(path) // the socket of a monitor that died
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("make the monitor's socket: %w", err)
	}
	l.SetUnlinkOnClose(false)
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return err
	}
	sock, err := l.File()
	l.Close()
	if err != nil {
		return err
	}
	defer sock.Close()
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	// Executed by its path, not /proc/self/exe, for ps to name it workbench.
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	cmd := &exec.Cmd{Path: exe, Args: []string{"workbench", MonitorArg}, Dir: "/",
		Env:   []string{instance.EnvName + "=" + e.inst.Name, "PATH=" + os.Getenv("PATH")},
		Stdin: null, Stdout: null, Stderr: null, ExtraFiles: []*os.File{sock},
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the instance's monitor: %w", err)
	}
	go func() { _ = cmd.Wait() }() // reaped here if this process outlives it
	b, _ := json.Marshal(monitorProcess{Pid: cmd.Process.Pid, Start: procStart(cmd.Process.Pid)})
	if err := atomicfile.Write(e.monitorFile(), b); err != nil {
		return err
	}
	e.log.AddArgs("workbench", MonitorArg)
	return nil
}

// currentMonitor is the instance's monitor process if it runs.
func (e *Engine) currentMonitor() (monitorProcess, bool) {
	var m monitorProcess
	b, err := os.ReadFile(e.monitorFile())
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	return m, alive(m.Pid, m.Start)
}

// heldByMonitor asks the monitor which containers it holds (nil when it is gone).
func (e *Engine) heldByMonitor() map[string]int {
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: e.inst.MonitorSocket(), Net: "unix"})
	if err != nil {
		return nil
	}
	defer conn.Close()
	if sendMonitor(conn, monitorRequest{Op: "status"}) != nil {
		return nil
	}
	rep, err := newReplyReader(conn).next()
	if err != nil {
		return nil
	}
	if rep.Held == nil {
		rep.Held = map[string]int{}
	}
	return rep.Held
}

// defaultRows and defaultCols are a new terminal's size until the attached one's is
// known.
const defaultRows, defaultCols = 24, 80

// setTerminalSize sets a terminal's window size.
func setTerminalSize(tty *os.File, rows, cols uint16) error {
	return unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
}
