package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// InitArg is the hidden command the binary is re-executed with to become a
// container's PID 1.
const InitArg = "internal-init"

// The init's file descriptors besides 0, 1 and 2.
const (
	initConfigFd = 3 // the parent writes the initConfig here, then closes it
	initReportFd = 4 // the init writes its initReport here
)

func init() {
	// The init must create namespaces, drop capabilities and fork from one thread: lock
	// the main goroutine to the main thread before anything else runs.
	if len(os.Args) > 1 && os.Args[1] == InitArg {
		runtime.LockOSThread()
	}
}

// RunInit is the container's PID 1: it reads its configuration, builds the root
// filesystem, waits until the parent has put it in its cgroup and made its network,
// then joins the network namespace, drops privileges and starts the command as its
// child; it then forwards signals to it, starts exec'd processes and reaps every
// orphan until the command ends. It returns the command's exit status.
func RunInit() int {
	syscall.CloseOnExec(initConfigFd)
	syscall.CloseOnExec(initReportFd)
	report := os.NewFile(initReportFd, "report")
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs)
	in := &initInput{fd: initConfigFd}
	var cfg initConfig
	line, err := in.line()
	if err == nil {
		err = json.Unmarshal(line, &cfg)
	}
	if err != nil {
		return failInit(report, nil, fmt.Errorf("read the container's configuration: %w", err))
	}
	b := &rootfsBuilder{cfg: &cfg, root: cfg.Merged}
	if err := b.build(); err != nil {
		return failInit(report, b.log, err)
	}
	cmd, err := prepareCommand(&cfg, b)
	if err != nil {
		return failInit(report, b.log, err)
	}
	netns, err := in.goAhead()
	if err != nil {
		return 1 // the parent gave up: it removes the container
	}
	child, err := startCommand(&cfg, b, netns, cmd)
	if err != nil {
		return failInit(report, b.log, err)
	}
	calls := make(chan execCall)
	go serveExec(in.execSocket, calls)
	out, _ := json.Marshal(initReport{Log: b.log})
	report.Write(out)
	report.Close()
	return reap(child, sigs, calls)
}

func failInit(report *os.File, rec []string, err error) int {
	b, _ := json.Marshal(initReport{Log: rec, Error: err.Error()})
	report.Write(b)
	report.Close()
	return 127
}

// prepareCommand does what needs neither the cgroup nor the network while the parent
// makes them: the host name, and the command found, with its user and working
// directory, in the new root.
func prepareCommand(cfg *initConfig, b *rootfsBuilder) (*exec.Cmd, error) {
	if cfg.Hostname != "" {
		b.record("hostname", cfg.Hostname)
		if err := unix.Sethostname([]byte(cfg.Hostname)); err != nil {
			return nil, fmt.Errorf("set the host name: %w", err)
		}
	}
	path, err := lookPath(cfg.Args[0], envValue(cfg.Env, "PATH"))
	if err != nil {
		return nil, err
	}
	cred, err := lookupUser(cfg.User)
	if err != nil {
		return nil, err
	}
	if cfg.Cwd != "" {
		if err := os.MkdirAll(cfg.Cwd, 0o755); err != nil {
			return nil, fmt.Errorf("make the working directory %s: %w", cfg.Cwd, err)
		}
	}
	cmd := &exec.Cmd{Path: path, Args: cfg.Args, Env: cfg.Env, Dir: cfg.Cwd,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Setsid: cfg.Tty, Setctty: cfg.Tty, Credential: cred}}
	if cfg.Tty {
		tty, err := sendTerminal()
		if err != nil {
			return nil, err
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	}
	return cmd, nil
}

// sendTerminal makes a terminal in the container's /dev/pts (a new instance), sends
// its master to the parent on the configuration socket and returns its other end, for
// the command.
func sendTerminal() (*os.File, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("make the container's terminal: %w", err)
	}
	defer master.Close()
	if err := unix.Sendmsg(initConfigFd, []byte{'t'}, unix.UnixRights(int(master.Fd())), nil, 0); err != nil {
		tty.Close()
		return nil, fmt.Errorf("send the container's terminal: %w", err)
	}
	return tty, nil
}

// startCommand finishes the container once it is in its cgroup: network namespace,
// /sys, cgroup namespace, privileges; then it starts the command.
func startCommand(cfg *initConfig, b *rootfsBuilder, netns int, cmd *exec.Cmd) (pid int, err error) {
	if netns >= 0 {
		err := unix.Setns(netns, unix.CLONE_NEWNET)
		unix.Close(netns)
		if err != nil {
			return 0, fmt.Errorf("join network namespace %s: %w", cfg.Netns, err)
		}
		b.record("nsenter", "--net="+cfg.Netns)
	}
	if err := b.finish(); err != nil {
		return 0, err
	}
	b.record("unshare", "--cgroup")
	if err := unix.Unshare(unix.CLONE_NEWCGROUP); err != nil {
		return 0, fmt.Errorf("make the cgroup namespace: %w", err)
	}
	if err := restrictThread(); err != nil {
		return 0, err
	}
	b.record("capsh", "--caps=<docker default 14>", "--no-new-privs")
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %s: %w", cfg.Args[0], unwrapExec(err))
	}
	return cmd.Process.Pid, nil
}

// initInput reads the parent's messages on the init's configuration socket: one line
// of JSON, which carries the listening exec socket, then the go-ahead byte, which may
// carry the network namespace to join.
type initInput struct {
	fd         int
	buf        []byte
	fds        []int
	execSocket int
}

// read receives more bytes and any descriptor sent with them.
func (in *initInput) read() error {
	b := make([]byte, 64*1024)
	oob := make([]byte, unix.CmsgSpace(2*4))
	n, oobn, _, _, err := unix.Recvmsg(in.fd, b, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return err
	}
	if n == 0 {
		return io.EOF
	}
	in.buf = append(in.buf, b[:n]...)
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
		for _, m := range msgs {
			if fds, err := unix.ParseUnixRights(&m); err == nil {
				in.fds = append(in.fds, fds...)
			}
		}
	}
	return nil
}

// line returns the first line and takes the exec socket sent with it.
func (in *initInput) line() ([]byte, error) {
	for {
		if i := bytes.IndexByte(in.buf, '\n'); i >= 0 && len(in.fds) > 0 {
			line := in.buf[:i]
			in.buf = in.buf[i+1:]
			in.execSocket, in.fds = in.fds[0], in.fds[1:]
			return line, nil
		}
		if err := in.read(); err != nil {
			return nil, err
		}
	}
}

// goAhead waits for the go-ahead byte and returns the network namespace sent with it,
// or -1.
func (in *initInput) goAhead() (int, error) {
	for len(in.buf) == 0 {
		if err := in.read(); err != nil {
			return -1, err
		}
	}
	if in.buf[0] != initGo {
		return -1, fmt.Errorf("unexpected message from the parent")
	}
	if len(in.fds) == 0 {
		return -1, nil
	}
	return in.fds[0], nil
}

// reap forwards every signal to the command, starts exec requests, and reaps every
// child until the command ends; it returns the command's status the way a shell
// reports it. Exec'd processes get their status sent to their client.
func reap(child int, sigs chan os.Signal, calls chan execCall) int {
	execs := map[int]*net.UnixConn{}
	for {
		select {
		case call := <-calls:
			if pid := startExec(call); pid > 0 {
				execs[pid] = call.conn
			}
			continue
		case sig := <-sigs:
			s := sig.(syscall.Signal)
			if s == syscall.SIGURG { // the Go runtime's own preemption signal
				continue
			}
			if s != syscall.SIGCHLD {
				_ = syscall.Kill(child, s)
				continue
			}
		}
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if err != nil || pid <= 0 {
				break
			}
			if pid == child {
				return exitCode(ws)
			}
			if conn, ok := execs[pid]; ok {
				replyExec(conn, execReply{Exited: true, Code: exitCode(ws)})
				conn.Close()
				delete(execs, pid)
			}
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
