package cli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/core/seccomp"
)

func init() { register(newRunCmd) }

// runFlags are the options of `run` besides the network and limit flags.
type runFlags struct {
	name, workdir, hostname, user, restart     string
	env, securityOpts, storageOpts             []string
	detach, rm, interactive, tty, userns, init bool
}

func newRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
		Short: "Make a container from an image and run a command in it",
		Long: "Make a container (new UTS, IPC, PID, mount, network and cgroup namespaces on an overlay\n" +
			"of the image) and run a command in it, attached to the terminal, or in the background with -d.",
		Example:     "  workbench run --rm busybox sh -c 'hostname; ps'\n  workbench run -d --name web busybox httpd -f -p 80\n  workbench run -it busybox sh",
		Args:        cobra.MinimumNArgs(1),
		Annotations: map[string]string{makesContainer: "yes"},
	}
	flags := addAllRunFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		spec, err := flags.spec(cmd, args)
		if err != nil {
			return err
		}
		if flags.interactive && flags.tty && !flags.detach && !stdinIsTerminal(cmd) {
			return fmt.Errorf("the input device is not a TTY: drop -t (or -i), or run it from a terminal")
		}
		e, err := openEngine(cmd)
		if err != nil {
			return err
		}
		if flags.detach {
			c, err := e.RunDetached(cmd.Context(), spec)
			if err != nil {
				return startStatus(cmd, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), c.ID)
			return nil
		}
		return startStatus(cmd, runAttached(cmd, e, spec))
	}
	return cmd
}

// allRunFlags are every flag of run and create.
type allRunFlags struct {
	runFlags
	net       *netFlags
	limits    *limitFlags
	container *containerFlags
}

// addAllRunFlags adds the flags of run (and create) to a command.
func addAllRunFlags(cmd *cobra.Command) *allRunFlags {
	f := &allRunFlags{}
	cmd.Flags().SetInterspersed(false)
	fs := cmd.Flags()
	fs.StringVar(&f.name, "name", "", "name the container (default: a random adjective_noun)")
	fs.BoolVarP(&f.detach, "detach", "d", false, "run in the background and print the container ID")
	fs.BoolVar(&f.rm, "rm", false, "remove the container when it exits")
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "keep standard input open")
	fs.BoolVarP(&f.tty, "tty", "t", false, "give the command a pseudo-terminal")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable: KEY=VALUE (or KEY, taken from here)")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	// -h is Docker's --hostname here; --help alone asks for help.
	fs.Bool("help", false, "help for "+cmd.Name())
	fs.StringVarP(&f.hostname, "hostname", "h", "", "the container's host name (default: its short ID)")
	fs.StringVarP(&f.user, "user", "u", "", "user to run as: name, uid or uid:gid")
	fs.BoolVar(&f.userns, "userns", false, "run in a user namespace of its own: container root is uid 100000 on the machine")
	fs.BoolVar(&f.init, "init", false, "run a small reaper as PID 1 that starts the command, passes signals on and reaps orphans")
	fs.StringVar(&f.restart, "restart", "no", "restart policy: no, on-failure[:N], always, unless-stopped")
	fs.StringArrayVar(&f.securityOpts, "security-opt", nil, "seccomp=unconfined, seccomp=PROFILE.json (Docker's format) or no-new-privileges")
	fs.StringArrayVar(&f.storageOpts, "storage-opt", nil, "size=SIZE bounds the writable layer (default 512m)")
	f.net = addNetFlags(fs)
	f.limits = addLimitFlags(fs)
	f.container = addContainerFlags(fs)
	return f
}

// spec checks every flag and turns them into a RunSpec.
func (f *allRunFlags) spec(cmd *cobra.Command, args []string) (core.RunSpec, error) {
	spec, err := f.runFlags.spec(args)
	if err != nil {
		return spec, err
	}
	if spec.Limits, err = f.limits.limits(); err != nil {
		return spec, err
	}
	if err := f.container.apply(cmd, &spec); err != nil {
		return spec, err
	}
	if !spec.Limits.IsZero() {
		warnings, err := cgroup.MachineWarnings()
		if err != nil {
			return spec, err
		}
		for _, w := range warnings {
			fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: "+w)
		}
	}
	nr, err := f.net.request()
	if err != nil {
		return spec, err
	}
	spec.Net = core.NetSpec{Mode: nr.Mode, Host: nr.Host, IP: nr.IP, Ports: nr.Ports,
		PublishAll: nr.PublishAll, Aliases: nr.Aliases, DNS: nr.DNS, ExtraHosts: nr.ExtraHosts}
	return spec, nil
}

// startStatus turns a command that could not start into Docker's exit status for it
// (127 not found, 126 not runnable, 125 other), after saying why.
func startStatus(cmd *cobra.Command, err error) error {
	var se *core.StartError
	if errors.As(err, &se) {
		fmt.Fprintln(cmd.ErrOrStderr(), "workbench: "+se.Msg)
		return ExitStatus{Code: se.Code}
	}
	return err
}

// spec checks the options and turns them into a RunSpec.
func (f *runFlags) spec(args []string) (core.RunSpec, error) {
	s := core.RunSpec{Image: args[0], Args: args[1:], Name: f.name, WorkingDir: f.workdir,
		Hostname: f.hostname, User: f.user, Tty: f.tty, Interactive: f.interactive,
		AutoRemove: f.rm, Userns: f.userns, Init: f.init}
	var err error
	if s.Restart, err = core.ParseRestartPolicy(f.restart); err != nil {
		return s, err
	}
	if err := securityOpts(&s, f.securityOpts); err != nil {
		return s, err
	}
	if err := storageOpts(&s, f.storageOpts); err != nil {
		return s, err
	}
	if f.name != "" {
		if err := core.CheckName(f.name); err != nil {
			return s, err
		}
	}
	if f.workdir != "" && f.workdir[0] != '/' {
		return s, fmt.Errorf("-w %q is not an absolute path: use e.g. -w /tmp", f.workdir)
	}
	for _, kv := range f.env {
		v, ok, err := core.ParseEnv(kv, os.LookupEnv)
		if err != nil {
			return s, err
		}
		if ok {
			s.Env = append(s.Env, v)
		}
	}
	return s, nil
}

// runAttached runs a container in the foreground and exits with its status, passing
// on its streams, its terminal's size and the signals this process gets. The
// instance's monitor holds the container: killed, this process leaves it running.
func runAttached(cmd *cobra.Command, e *core.Engine, spec core.RunSpec) error {
	stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
	if spec.Interactive {
		stdio.In = cmd.InOrStdin()
	}
	a, err := e.RunAttached(cmd.Context(), spec, stdio)
	if err != nil {
		return err
	}
	return followAttached(cmd, e, a, spec.Tty && spec.Interactive)
}

// followAttached waits for an attached container's end, with the terminal in raw mode
// (onTerminal), its size passed on, and the signals this process gets passed to the
// container; it returns the container's status.
func followAttached(cmd *cobra.Command, e *core.Engine, a *core.Attached, tty bool) error {
	in, inFile := cmd.InOrStdin().(*os.File)
	onTerminal := tty && inFile && term.IsTerminal(int(in.Fd()))
	resize := func() {
		if w, h, err := term.GetSize(int(in.Fd())); err == nil {
			_ = a.Resize(uint16(h), uint16(w))
		}
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH)
	defer signal.Stop(sigs)
	restore := func() {}
	if onTerminal {
		if st, err := term.MakeRaw(int(in.Fd())); err == nil {
			restore = func() { _ = term.Restore(int(in.Fd()), st) }
		}
		resize()
	}
	c := a.Container()
	go func() {
		for s := range sigs {
			if s == syscall.SIGWINCH {
				if onTerminal {
					resize()
				}
				continue
			}
			_ = e.Kill(cmd.Context(), c, s.(syscall.Signal))
		}
	}()
	final, err := a.Wait(cmd.Context())
	restore()
	if err != nil {
		return err
	}
	if final.ExitCode != 0 {
		return ExitStatus{Code: final.ExitCode}
	}
	return nil
}

// stdinIsTerminal says whether the command's standard input is a terminal.
func stdinIsTerminal(cmd *cobra.Command) bool { return isTerminal(cmd.InOrStdin()) }

// securityOpts reads --security-opt values as Docker takes them.
func securityOpts(s *core.RunSpec, opts []string) error {
	for _, o := range opts {
		key, val, _ := strings.Cut(o, "=")
		if k, v, ok := strings.Cut(o, ":"); !strings.Contains(o, "=") && ok {
			key, val = k, v // Docker's older seccomp:FILE spelling
		}
		switch key {
		case "seccomp":
			switch val {
			case "unconfined":
				s.Seccomp = core.SeccompUnconfined
			case "":
				return fmt.Errorf("--security-opt seccomp= needs a value: unconfined, or a profile file in Docker's JSON format")
			default:
				b, err := os.ReadFile(val)
				if err != nil {
					return fmt.Errorf("--security-opt seccomp=%s: %w: give a profile file in Docker's JSON format", val, unwrapPathError(err))
				}
				if _, err := seccomp.Load(b, core.DefaultCaps); err != nil {
					return fmt.Errorf("--security-opt seccomp=%s: %w", val, err)
				}
				s.Seccomp, s.SeccompProfile = core.SeccompCustom, b
			}
		case "no-new-privileges":
			if val != "" && val != "true" {
				return fmt.Errorf("--security-opt %s: no_new_privs is always set here; it cannot be turned off", o)
			}
		case "apparmor", "label", "systempaths", "proc-opts", "mask", "unmask":
			return fmt.Errorf("--security-opt %s is not supported: there is no AppArmor, SELinux or path option here; seccomp and no-new-privileges are", o)
		default:
			return fmt.Errorf("--security-opt %q is unknown: use seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges", o)
		}
	}
	return nil
}

// storageOpts reads --storage-opt values: size= bounds the writable layer.
func storageOpts(s *core.RunSpec, opts []string) error {
	for _, o := range opts {
		key, val, _ := strings.Cut(o, "=")
		if key != "size" {
			return fmt.Errorf("--storage-opt %q is unknown: only size=SIZE is, e.g. --storage-opt size=1g", o)
		}
		n, err := cgroup.ParseMemory(val)
		if err != nil || n < 1<<20 {
			return fmt.Errorf("--storage-opt size=%s: give a size of 1m or more, e.g. size=256m or size=2g", val)
		}
		s.StorageSize = n
	}
	return nil
}

// unwrapPathError keeps the system's words of a file error, without the path twice.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
