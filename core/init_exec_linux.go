package core

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// execCall is one exec request received by the init, to be started from its main
// thread (the one with the container's cgroup namespace and reduced capabilities).
type execCall struct {
	req   execRequest
	files []*os.File
	conn  *net.UnixConn
}

// serveExec accepts exec requests on the listening socket fd and hands them to the
// init's main loop.
func serveExec(fd int, calls chan<- execCall) {
	f := os.NewFile(uintptr(fd), execSocket)
	l, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return
	}
	ul, ok := l.(*net.UnixListener)
	if !ok {
		return
	}
	for {
		conn, err := ul.AcceptUnix()
		if err != nil {
			return
		}
		go readExecCall(conn, calls)
	}
}

// readExecCall reads one request with its file descriptors.
func readExecCall(conn *net.UnixConn, calls chan<- execCall) {
	buf := make([]byte, 64*1024)
	oob := make([]byte, unix.CmsgSpace(3*4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		conn.Close()
		return
	}
	var req execRequest
	if err := json.Unmarshal(buf[:n], &req); err != nil || len(req.Args) == 0 {
		replyExec(conn, execReply{Error: "bad exec request"})
		conn.Close()
		return
	}
	var files []*os.File
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
		for _, m := range msgs {
			fds, _ := unix.ParseUnixRights(&m)
			for _, fd := range fds {
				files = append(files, os.NewFile(uintptr(fd), "stdio"))
			}
		}
	}
	if want := 3; len(files) != want && !(req.Tty && len(files) == 0) {
		replyExec(conn, execReply{Error: "exec request without its 3 streams"})
		conn.Close()
		return
	}
	calls <- execCall{req: req, files: files, conn: conn}
}

// startExec starts a requested process; the caller runs on the init's main thread.
// It returns the process's PID, or 0 after answering why it failed.
func startExec(call execCall) int {
	defer func() {
		for _, f := range call.files {
			f.Close()
		}
	}()
	fail := func(err error) int {
		replyExec(call.conn, execReply{Error: err.Error()})
		call.conn.Close()
		return 0
	}
	r := call.req
	path, err := lookPath(r.Args[0], envValue(r.Env, "PATH"))
	if err != nil {
		return fail(err)
	}
	cred, err := lookupUser(r.User)
	if err != nil {
		return fail(err)
	}
	var master *os.File
	if r.Tty {
		// A terminal of the container's own /dev/pts; its master goes to the client.
		m, tty, err := pty.Open()
		if err != nil {
			return fail(fmt.Errorf("make a terminal: %w", err))
		}
		defer m.Close()
		master, call.files = m, []*os.File{tty, tty, tty}
	}
	cmd := &exec.Cmd{Path: path, Args: r.Args, Env: r.Env, Dir: r.Cwd,
		Stdin: call.files[0], Stdout: call.files[1], Stderr: call.files[2],
		SysProcAttr: &syscall.SysProcAttr{Setsid: r.Tty, Setctty: r.Tty, Credential: cred}}
	if err := cmd.Start(); err != nil {
		return fail(fmt.Errorf("start %s: %w", r.Args[0], unwrapExec(err)))
	}
	pid := cmd.Process.Pid
	b, _ := json.Marshal(execReply{Pid: pid})
	var rights []byte
	if master != nil {
		rights = unix.UnixRights(int(master.Fd()))
	}
	_, _, _ = call.conn.WriteMsgUnix(append(b, '\n'), rights, nil)
	go forwardExecSignals(call.conn, pid)
	return pid
}

// forwardExecSignals passes signals the exec client sends on to its process.
func forwardExecSignals(conn *net.UnixConn, pid int) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		var req execRequest
		if json.Unmarshal(sc.Bytes(), &req) == nil && req.Signal > 0 && req.Signal < 65 {
			_ = syscall.Kill(pid, syscall.Signal(req.Signal))
		}
	}
}

func replyExec(conn *net.UnixConn, rep execReply) {
	b, _ := json.Marshal(rep)
	_, _ = conn.Write(append(b, '\n'))
}
