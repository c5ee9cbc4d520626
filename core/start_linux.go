package core

import (
	"context"
	"encoding/json"
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

// start starts a created container's PID 1 and returns once its command runs. The
// init is made in new namespaces and sent its configuration at once, so it builds the
// root filesystem while this process makes the network and the cgroup (with net, for
// a container created without them) or puts it in the cgroup made already; then it is
// told to go on: it joins the network namespace, drops privileges and starts the
// command, or says why it could not. The caller holds the lock and destroys the
// container on failure.
func (e *Engine) start(ctx context.Context, c *Container, stdio Stdio, net *NetSpec) (*Running, error) {
	lw, err := openLogWriter(e.LogPath(c.ID))
	if err != nil {
		return nil, err
	}
	r := &Running{e: e, log: lw}
	files, err := r.streams(c, stdio)
	if err != nil {
		lw.Close()
		return nil, err
	}
	var p initPipes
	if err := p.open(e, c.ID); err != nil {
		return nil, r.abort(files, err)
	}
	defer p.close()
	r.cmd = e.initCommand(c, files, p.childFiles())
	e.log.Add(initCommandLine(c))
	join := c.NetnsPath
	if net != nil || join == nsutil.MachinePath {
		join = "" // the init joins it itself, or stays in the machine's
	}
	err = r.spawn(join)
	p.closeChildFiles()
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
	if err != nil {
		r.copiers.Wait()
		lw.Close()
		return nil, fmt.Errorf("start the init of %s: %w", c.Name, err)
	}
	pid := r.cmd.Process.Pid
	if err := e.configure(ctx, c, pid, &p, join == "", net); err != nil {
		_ = r.cmd.Process.Kill()
		<-r.exited
		r.copiers.Wait()
		lw.Close()
		return nil, err
	}
	c.Pid, c.PidStart = pid, procStart(pid)
	c.SupervisorPid = os.Getpid()
	c.SupervisorStart = procStart(c.SupervisorPid)
	c.State, c.Started = StateRunning, time.Now()
	r.c = *c
	return r, e.save(*c)
}

// initPipes are the init's configuration socket, its report pipe and its exec socket.
type initPipes struct {
	cfgR, cfgW, repR, repW, sock *os.File
}

func (p *initPipes) open(e *Engine, id string) error {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("make the init's configuration socket: %w", err)
	}
	p.cfgR, p.cfgW = os.NewFile(uintptr(fds[0]), "init config"), os.NewFile(uintptr(fds[1]), "config")
	if p.repR, p.repW, err = os.Pipe(); err != nil {
		p.close()
		return err
	}
	if p.sock, err = e.listenExec(id); err != nil {
		p.close()
		return err
	}
	return nil
}

// childFiles are the init's descriptors 3, 4 and 5.
func (p *initPipes) childFiles() []*os.File { return []*os.File{p.cfgR, p.repW, p.sock} }

// closeChildFiles closes this process's copies of the init's ends.
func (p *initPipes) closeChildFiles() {
	for _, f := range p.childFiles() {
		f.Close()
	}
}

func (p *initPipes) close() {
	for _, f := range []*os.File{p.cfgR, p.cfgW, p.repR, p.repW, p.sock} {
		if f != nil {
			f.Close()
		}
	}
}

// configure sends the init its configuration, makes or joins the cgroup (and makes the
// network with net) meanwhile, tells the init to go on and reads its answer.
func (e *Engine) configure(ctx context.Context, c *Container, pid int, p *initPipes, initJoins bool, net *NetSpec) error {
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
	_, sendErr := p.cfgW.Write(append(b, '\n'))
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
	if err != nil {
		return err
	}
	if sendErr == nil {
		sendErr = sendGo(p.cfgW, cfg.Netns)
	}
	p.cfgW.Close()
	raw, err := io.ReadAll(p.repR)
	if err != nil {
		return fmt.Errorf("read the init's answer: %w", err)
	}
	var rep initReport
	if err := json.Unmarshal(raw, &rep); err != nil {
		if sendErr != nil {
			return fmt.Errorf("configure the init of %s: %w", c.Name, sendErr)
		}
		return fmt.Errorf("container %s: its init ended before starting the command", c.Name)
	}
	e.log.AddLines(rep.Log...)
	if rep.Error != "" {
		return &StartError{Msg: fmt.Sprintf("container %s cannot start: %s", c.Name, rep.Error), Code: startErrorCode(rep.Error)}
	}
	return nil
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
func (e *Engine) initCommand(c *Container, files [3]*os.File, extra []*os.File) *exec.Cmd {
	attr := &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWPID,
		Pdeathsig:  syscall.SIGKILL,
	}
	if c.Userns {
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: usernsBase, Size: usernsSize}}
		attr.GidMappings = attr.UidMappings
		// Become the namespace's root (the machine's usernsBase), which the mapping
		// knows, instead of staying the machine's root, which it does not.
		attr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
	}
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"workbench", InitArg, c.ShortID(), "instance=" + e.inst.Name}, Env: []string{},
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
