package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"workbench/cmdlog"
	"workbench/core/cgroup"
	"workbench/nsutil"
)

// launch starts an init for a container that may still be being made: its streams,
// its configuration socket and the process in new namespaces (joined at once to the
// network namespace join, when not ""). The init boots while the caller makes the
// rest; run then configures it. The log opens and the exec socket is made in run,
// once the container's directory exists.
func (e *Engine) launch(tty, userns bool, join string, stdio Stdio) (*Running, error) {
	r := &Running{e: e, log: &logWriter{}}
	files, err := r.streams(tty, stdio)
	if err != nil {
		return nil, err
	}
	if err := r.pipes.open(); err != nil {
		return nil, r.abort(files, err)
	}
	r.cmd = initCommand(e.inst.Name, userns, files, r.pipes.childFiles())
	err = r.spawn(join)
	r.pipes.closeChildFiles()
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
	if err != nil {
		r.pipes.close()
		return nil, r.abort([3]*os.File{}, fmt.Errorf("start a container's init: %w", err))
	}
	return r, nil
}

// run configures a launched init for the container c and returns once its command
// runs: the init builds the root filesystem from its configuration while this process
// makes the network and the cgroup (with net, for a container created without them)
// or puts it in the cgroup made already (joined says the init is in its network
// namespace already); then the init is told to go on: it joins the network namespace,
// drops privileges and starts the command, or says why it could not. The caller holds
// the lock; on failure the init is gone and the caller destroys the container.
func (r *Running) run(ctx context.Context, c *Container, joined bool, net *NetSpec) error {
	e := r.e
	defer r.pipes.close()
	err := r.log.open(e.LogPath(c.ID))
	var sock *os.File
	if err == nil {
		sock, err = e.listenExec(c.ID)
	}
	if err == nil {
		defer sock.Close()
		e.log.Add(initCommandLine(c))
		err = e.configure(ctx, c, r.cmd.Process.Pid, &r.pipes, sock, !joined, net, r.attachTerminal)
	}
	if err != nil {
		r.kill()
		return err
	}
	pid := r.cmd.Process.Pid
	c.Pid, c.PidStart = pid, procStart(pid)
	c.SupervisorPid = os.Getpid()
	c.SupervisorStart = procStart(c.SupervisorPid)
	c.State, c.Started = StateRunning, time.Now()
	r.c = *c
	return e.save(*c)
}

// kill ends a launched init that will not run, and what copies its streams.
func (r *Running) kill() {
	_ = r.cmd.Process.Kill()
	<-r.exited
	r.copiers.Wait()
	r.pipes.close()
	if r.tty != nil {
		r.tty.Close()
	}
	r.log.Close()
}

// initPipes are the init's configuration socket and its report pipe.
type initPipes struct {
	cfgR, cfgW, repR, repW *os.File
}

func (p *initPipes) open() error {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("make the init's configuration socket: %w", err)
	}
	p.cfgR, p.cfgW = os.NewFile(uintptr(fds[0]), "init config"), os.NewFile(uintptr(fds[1]), "config")
	if p.repR, p.repW, err = os.Pipe(); err != nil {
		p.close()
		return err
	}
	return nil
}

// childFiles are the init's descriptors 3 and 4.
func (p *initPipes) childFiles() []*os.File { return []*os.File{p.cfgR, p.repW} }

// closeChildFiles closes this process's copies of the init's ends.
func (p *initPipes) closeChildFiles() {
	for _, f := range p.childFiles() {
		f.Close()
	}
}

func (p *initPipes) close() {
	for _, f := range []*os.File{p.cfgR, p.cfgW, p.repR, p.repW} {
		if f != nil {
			f.Close()
		}
	}
}

// configure sends the init its configuration with the exec socket, makes or joins
// the cgroup (and makes the network with net) meanwhile, tells the init to go on and
// reads its answer.
func (e *Engine) configure(ctx context.Context, c *Container, pid int, p *initPipes, sock *os.File, initJoins bool, net *NetSpec, terminal func(*os.File)) error {
	dir := e.Dir(c.ID)
	cfg := initConfig{Layers: c.Layers, Upper: filepath.Join(dir, upperDir), Work: filepath.Join(dir, workDir),
		Merged: c.Rootfs, Hostname: c.Hostname, Args: c.Cmd, Env: c.Env, Cwd: c.WorkingDir,
		User: c.User, Tty: c.Tty, Userns: c.Userns, OverlayMounted: c.Userns,
		Files: map[string]string{"/etc/hostname": filepath.Join(dir, hostnameFile),
			"/etc/hosts": filepath.Join(dir, hostsFile), "/etc/resolv.conf": filepath.Join(dir, resolvFile)}}
	if initJoins && c.NetnsPath != nsutil.MachinePath {
		cfg.Netns = c.NetnsPath
	}
	b, _ := json.Marshal(cfg)
	sendErr := unix.Sendmsg(int(p.cfgW.Fd()), append(b, '\n'), unix.UnixRights(int(sock.Fd())), nil, 0)
	var err error
	if net != nil {
		err = e.provision(ctx, c, *net, pid)
		if err == nil {
			err = e.save(*c)
		}
	} else {
		var g *cgroup.Group
		if g, err = cgroup.Open(e.inst, c.CgroupID); err == nil {
			err = g.AddProcess(pid)
		}
	}
	if err == nil && c.Limits.PidsLimit > 0 {
		// Before the go-ahead: the command must find the whole limit its own.
		var g *cgroup.Group
		if g, err = cgroup.Open(e.inst, c.CgroupID); err == nil {
			err = g.ExemptThreads(pid)
		}
	}
	if err != nil {
		// The init may have failed first (a command not in the image), which is
		// then why it could not be put in its cgroup: its reason comes first.
		p.cfgW.Close()
		if rep, ok := e.readReport(p.repR); ok && rep.Error != "" {
			return startError(c, rep)
		}
		return err
	}
	if sendErr == nil && c.Tty {
		var master *os.File
		if master, sendErr = receiveTerminal(p.cfgW); sendErr == nil {
			terminal(master)
		}
	}
	if sendErr == nil {
		sendErr = sendGo(p.cfgW, cfg.Netns)
	}
	p.cfgW.Close()
	rep, ok := e.readReport(p.repR)
	if !ok {
		if sendErr != nil {
			return fmt.Errorf("configure the init of %s: %w", c.Name, sendErr)
		}
		return fmt.Errorf("container %s: its init ended before starting the command", c.Name)
	}
	if rep.Error != "" {
		return startError(c, rep)
	}
	return nil
}

// readReport reads the init's answer, once it has given it or ended, and records the
// commands it made.
func (e *Engine) readReport(r io.Reader) (initReport, bool) {
	var rep initReport
	raw, err := io.ReadAll(r)
	if err != nil || json.Unmarshal(raw, &rep) != nil {
		return rep, false
	}
	e.log.AddLines(rep.Log...)
	return rep, true
}

func startError(c *Container, rep initReport) error {
	return &StartError{Msg: fmt.Sprintf("container %s cannot start: %s", c.Name, rep.Error), Code: startErrorCode(rep.Error)}
}

// receiveTerminal takes the master of the terminal the init made in the container's
// /dev/pts, sent back on the configuration socket.
func receiveTerminal(conn *os.File) (*os.File, error) {
	b := make([]byte, 1)
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := unix.Recvmsg(int(conn.Fd()), b, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("receive the container's terminal: %w", err)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err == nil && len(msgs) > 0 {
		if fds, err := unix.ParseUnixRights(&msgs[0]); err == nil && len(fds) == 1 {
			return os.NewFile(uintptr(fds[0]), "terminal"), nil
		}
	}
	return nil, errors.New("the init sent no terminal")
}

// sendGo tells the init to go on, with the network namespace to join when netns is
// not "".
func sendGo(conn *os.File, netns string) error {
	var rights []byte
	if netns != "" {
		fd, err := unix.Open(netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open network namespace %s: %w", netns, err)
		}
		defer unix.Close(fd)
		rights = unix.UnixRights(fd)
	}
	return unix.Sendmsg(int(conn.Fd()), []byte{initGo}, rights, nil, 0)
}

// initCommand is the re-execution of this binary that becomes the container's PID 1.
func initCommand(instanceName string, userns bool, files [3]*os.File, extra []*os.File) *exec.Cmd {
	attr := &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWPID,
		Pdeathsig:  syscall.SIGKILL,
	}
	if userns {
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: usernsBase, Size: usernsSize}}
		attr.GidMappings = attr.UidMappings
		// Become the namespace's root (the machine's usernsBase), which the mapping
		// knows, instead of staying the machine's root, which it does not.
		attr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
	}
	// One P keeps the init to a few threads: every thread counts against --pids-limit.
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"workbench", InitArg, "instance=" + instanceName}, Env: []string{"GOMAXPROCS=1"},
		ExtraFiles: extra, SysProcAttr: attr}
	// A nil *os.File must stay a nil interface, or exec would use it as a file.
	if files[0] != nil {
		cmd.Stdin = files[0]
	}
	cmd.Stdout, cmd.Stderr = files[1], files[2]
	return cmd
}

// initCommandLine is the shell command that makes the same namespaces.
func initCommandLine(c *Container) string {
	args := []string{"nsenter", "--net=" + c.NetnsPath, "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork"}
	if c.Userns {
		m := "0:" + strconv.Itoa(usernsBase) + ":" + strconv.Itoa(usernsSize)
		args = append(args, "--user", "--map-users="+m, "--map-groups="+m)
	}
	return cmdlog.Quote(append(args, "--", "workbench", InitArg)...)
}

// StartError says why a container's command could not start, with the status Docker
// exits with in that case: 127 for a command that is not there, 126 for one that
// cannot be run, 125 otherwise.
type StartError struct {
	// Msg is the one-line reason.
	Msg string
	// Code is the exit status.
	Code int
}

// Error is the one-line reason.
func (e *StartError) Error() string { return e.Msg }

func startErrorCode(msg string) int {
	switch {
	case strings.Contains(msg, "not found in $PATH"), strings.Contains(msg, "no such file or directory"):
		return 127
	case strings.Contains(msg, "permission denied"), strings.Contains(msg, "is a directory"):
		return 126
	}
	return 125
}
