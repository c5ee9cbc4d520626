package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
	"workbench/core/launch"
	"workbench/nsutil"
)

// process is a command to start in a container and what it may do there.
type process struct {
	args, env []string
	// cwd is its working directory inside the container.
	cwd  string
	user user
	// tty gives it a terminal of the container's /dev/pts (console names a file to
	// bind that terminal over, or ""); otherwise stdio are its streams.
	tty     bool
	console string
	stdio   [3]*os.File
	// caps are its capabilities (a mask), capsText their name for the command log.
	caps     uint64
	capsText string
	// filter is its seccomp filter (nil: none), filterText its name.
	filter     []unix.SockFilter
	filterText string
	// ulimits are its resource limits.
	ulimits []Ulimit
}

// processSteps ends a program as the process: its terminal or streams, its working
// directory, its user, its capabilities (the bounding set dropped while still root,
// the others set after the change of user), no_new_privs, the seccomp filter last,
// then the command.
func processSteps(p *launch.Program, pr process) {
	if pr.tty {
		p.Terminal(defaultRows, defaultCols, pr.console)
	} else {
		p.Stdio(p.File(pr.stdio[0]), p.File(pr.stdio[1]), p.File(pr.stdio[2]))
	}
	p.Chdir(pr.cwd)
	for _, u := range pr.ulimits {
		p.Prlimit(ulimitResources[u.Name], rlimitValue(u.Soft), rlimitValue(u.Hard),
			"prlimit --"+u.Name+"="+strconv.FormatInt(u.Soft, 10)+":"+strconv.FormatInt(u.Hard, 10))
	}
	p.DropBounding(pr.caps, lastCap(), pr.capsText)
	p.KeepCaps(true)
	p.Credentials(pr.user.uid, pr.user.gid, pr.user.groups)
	p.SetCapabilities(pr.caps, pr.capsText)
	p.NoNewPrivs()
	if pr.filter != nil {
		p.Seccomp(pr.filter, "# seccomp: "+pr.filterText)
	}
	p.Exec(pr.args[0], execPaths(pr.args[0], envValue(pr.env, "PATH"), pr.cwd), pr.args, pr.env)
}

// rlimitValue is a --ulimit value as the kernel takes it: -1 is unlimited.
func rlimitValue(v int64) uint64 {
	if v < 0 {
		return unix.RLIM_INFINITY
	}
	return uint64(v)
}

// defaultPath is the PATH a container gets when its image sets none (Docker's).
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// execPaths are the paths execvp would try for a command, in the container: the name
// itself when it has a slash, else each directory of PATH.
func execPaths(name, path, cwd string) []string {
	if strings.Contains(name, "/") {
		return []string{name}
	}
	if path == "" {
		path = defaultPath
	}
	var out []string
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = cwd
		}
		out = append(out, filepath.Join(dir, name))
	}
	return out
}

// containerProgram is the set-up of a container's PID 1: it joins the container's
// cgroup, makes its cgroup namespace, builds the rootfs and becomes the command (or
// the --init reaper, which starts the command). stdio are its streams without a
// terminal.
func (e *Engine) containerProgram(c *Container, stdio [3]*os.File) (*launch.Program, launch.Options, error) {
	p := launch.New()
	opts := launch.Options{Cloneflags: unix.CLONE_NEWNS | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC | unix.CLONE_NEWPID}
	if err := joinCgroup(e, c, p, &opts); err != nil {
		return nil, opts, err
	}
	p.Unshare(unix.CLONE_NEWCGROUP, "unshare --cgroup")
	if c.NetnsPath != nsutil.MachinePath {
		ns, err := os.Open(c.NetnsPath)
		if err != nil {
			closeOptions(opts)
			return nil, opts, fmt.Errorf("open the network namespace of %s: %w", c.Name, err)
		}
		opts.Join = []launch.Namespace{{File: ns, Type: unix.CLONE_NEWNET}}
	}
	if c.Userns {
		m := "0 " + strconv.Itoa(usernsBase) + " " + strconv.Itoa(usernsSize)
		opts.Cloneflags |= unix.CLONE_NEWUSER
		opts.UIDMap, opts.GIDMap = m, m
		// The machine's root has no ID in the namespace: become its root before making
		// any file.
		p.Credentials(0, 0, nil)
	}
	plan, cwd, err := e.planRootfs(c)
	if err != nil {
		closeOptions(opts)
		return nil, opts, err
	}
	rootfsSteps(p, plan)
	p.Sethostname(c.Hostname)
	root, err := openRoot(c.Rootfs)
	if err != nil {
		closeOptions(opts)
		return nil, opts, err
	}
	defer root.Close()
	pr, err := e.containerProcess(c, root, c.Cmd, cwd, stdio)
	if err != nil {
		closeOptions(opts)
		return nil, opts, err
	}
	if c.Init {
		pr.args = append([]string{initPath, "--"}, c.Cmd...)
	}
	if c.Tty {
		pr.console = "/dev/console"
	}
	processSteps(p, pr)
	return p, opts, nil
}

// containerProcess is a process of a container with its user, capabilities and
// seccomp filter, the user read from the container's /etc/passwd inside root.
func (e *Engine) containerProcess(c *Container, root *os.File, args []string, cwd string, stdio [3]*os.File) (process, error) {
	pr := process{args: args, env: c.Env, cwd: cwd, tty: c.Tty, stdio: stdio, ulimits: c.Ulimits}
	var err error
	if pr.user, err = lookupUser(root, c.User); err != nil {
		return pr, err
	}
	if pr.caps, err = CapMask(c.Security.Caps); err != nil {
		return pr, err
	}
	pr.capsText = capsText(c.Security.Caps)
	pr.filter, pr.filterText, err = e.seccompFilter(c)
	return pr, err
}

// capsText names a capability set for the command log.
func capsText(caps []string) string {
	if strings.Join(caps, ",") == strings.Join(DefaultCaps, ",") {
		return "docker's default " + strconv.Itoa(len(caps))
	}
	return strings.ToLower(strings.ReplaceAll(strings.Join(caps, ","), "CAP_", "cap_"))
}

// joinCgroup puts the clone in the container's cgroup: on v1 it writes its own PID
// (0) to each hierarchy's tasks file, which moves only itself and skips the kernel's
// global lock for moving a thread group; on v2 the clone is born in it (opts.Cgroup).
func joinCgroup(e *Engine, c *Container, p *launch.Program, opts *launch.Options) error {
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return err
	}
	if g.Mode() == cgroup.V2 {
		dir, err := os.OpenFile(g.Dirs()[0], unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open cgroup %s: %w", g.Path(), err)
		}
		opts.Cgroup = dir
		return nil
	}
	for _, dir := range g.Dirs() {
		tasks := filepath.Join(dir, "tasks")
		f, err := os.OpenFile(tasks, os.O_WRONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open %s: %w", tasks, err)
		}
		p.Write(p.File(f), "0", "echo $$ > "+tasks)
		f.Close()
	}
	return nil
}

// closeOptions closes the files a program's options hold, once it has started.
func closeOptions(opts launch.Options) {
	for _, ns := range opts.Join {
		ns.File.Close()
	}
	if opts.Cgroup != nil {
		opts.Cgroup.Close()
	}
}
