package core

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

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

// RunInit is the container's PID 1: it waits for its configuration (sent once it is in
// its cgroup and network), builds the root filesystem, starts the command as its child,
// then forwards signals to it and reaps every orphan until the command ends. It returns
// the command's exit status.
func RunInit() int {
	syscall.CloseOnExec(initConfigFd)
	syscall.CloseOnExec(initReportFd)
	syscall.CloseOnExec(initExecFd)
	report := os.NewFile(initReportFd, "report")
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs)
	var cfg initConfig
	raw, err := io.ReadAll(os.NewFile(initConfigFd, "config"))
	if err == nil {
		err = json.Unmarshal(raw, &cfg)
	}
	if err != nil {
		return failInit(report, nil, fmt.Errorf("read the container's configuration: %w", err))
	}
	child, rec, err := startCommand(&cfg)
	if err != nil {
		return failInit(report, rec, err)
	}
	calls := make(chan execCall)
	go serveExec(calls)
	b, _ := json.Marshal(initReport{Log: rec})
	report.Write(b)
	report.Close()
	return reap(child, sigs, calls)
}

func failInit(report *os.File, rec []string, err error) int {
	b, _ := json.Marshal(initReport{Log: rec, Error: err.Error()})
	report.Write(b)
	report.Close()
	return 127
}

// startCommand makes the container from inside and starts its command.
func startCommand(cfg *initConfig) (pid int, rec []string, err error) {
	rec = append(rec, "unshare --cgroup")
	if err := unix.Unshare(unix.CLONE_NEWCGROUP); err != nil {
		return 0, rec, fmt.Errorf("make the cgroup namespace: %w", err)
	}
	if cfg.Hostname != "" {
		rec = append(rec, "hostname "+cfg.Hostname)
		if err := unix.Sethostname([]byte(cfg.Hostname)); err != nil {
			return 0, rec, fmt.Errorf("set the host name: %w", err)
		}
	}
	b := &rootfsBuilder{cfg: cfg}
	err = b.build()
	rec = append(rec, b.log...)
	if err != nil {
		return 0, rec, err
	}
	path, err := lookPath(cfg.Args[0], envValue(cfg.Env, "PATH"))
	if err != nil {
		return 0, rec, err
	}
	cred, err := lookupUser(cfg.User)
	if err != nil {
		return 0, rec, err
	}
	if cfg.Cwd != "" {
		if err := os.MkdirAll(cfg.Cwd, 0o755); err != nil {
			return 0, rec, fmt.Errorf("make the working directory %s: %w", cfg.Cwd, err)
		}
	}
	if err := restrictThread(); err != nil {
		return 0, rec, err
	}
	rec = append(rec, "capsh --caps=<docker default 14> --no-new-privs")
	cmd := &exec.Cmd{Path: path, Args: cfg.Args, Env: cfg.Env, Dir: cfg.Cwd,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Setsid: cfg.Tty, Setctty: cfg.Tty, Credential: cred}}
	if err := cmd.Start(); err != nil {
		return 0, rec, fmt.Errorf("start %s: %w", cfg.Args[0], unwrapExec(err))
	}
	return cmd.Process.Pid, rec, nil
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
