package cli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/core"
	"workbench/core/cgroup"
)

func init() { register(newRunCmd) }

// runFlags are the options of `run` besides the network and limit flags.
type runFlags struct {
	name, workdir, hostname, user        string
	env                                  []string
	detach, rm, interactive, tty, userns bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
		Short: "Make a container from an image and run a command in it",
		Long: "Make a container (new UTS, IPC, PID, mount, network and cgroup namespaces on an overlay\n" +
			"of the image) and run a command in it, attached to the terminal, or in the background with -d.",
		Example: "  workbench run --rm busybox sh -c 'hostname; ps'\n  workbench run -d --name web busybox httpd -f -p 80\n  workbench run -it busybox sh",
		Args:    cobra.MinimumNArgs(1),
	}
	cmd.Flags().SetInterspersed(false)
	fs := cmd.Flags()
	fs.StringVar(&f.name, "name", "", "name the container (default: a random adjective_noun)")
	fs.BoolVarP(&f.detach, "detach", "d", false, "run in the background and print the container ID")
	fs.BoolVar(&f.rm, "rm", false, "remove the container when it exits")
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "keep standard input open")
	fs.BoolVarP(&f.tty, "tty", "t", false, "give the command a pseudo-terminal")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable: KEY=VALUE (or KEY, taken from here)")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	fs.StringVar(&f.hostname, "hostname", "", "the container's host name (default: its short ID)")
	fs.StringVarP(&f.user, "user", "u", "", "user to run as: name, uid or uid:gid")
	fs.BoolVar(&f.userns, "userns", false, "run in a user namespace of its own: container root is uid 100000 on the machine")
	nf := addNetFlags(fs)
	lf := addLimitFlags(fs)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		spec, err := f.spec(args)
		if err != nil {
			return err
		}
		if spec.Limits, err = lf.limits(); err != nil {
			return err
		}
		if !spec.Limits.IsZero() {
			warnings, err := cgroup.MachineWarnings()
			if err != nil {
				return err
			}
			for _, w := range warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: "+w)
			}
		}
		nr, err := nf.request()
		if err != nil {
			return err
		}
		spec.Net = core.NetSpec{Mode: nr.Mode, Host: nr.Host, IP: nr.IP, Ports: nr.Ports}
		e, err := openEngine(cmd)
		if err != nil {
			return err
		}
		defer e.Close()
		if f.detach {
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
		AutoRemove: f.rm, Userns: f.userns}
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
// on its streams, its terminal's size and the signals this process gets. With --rm,
// or streams that are not files (the app's command line), this process supervises the
// container itself; otherwise a supervisor of its own does, and the container outlives
// this process if it is killed.
func runAttached(cmd *cobra.Command, e *core.Engine, spec core.RunSpec) error {
	in, inFile := cmd.InOrStdin().(*os.File)
	out, outFile := cmd.OutOrStdout().(*os.File)
	errOut, errFile := cmd.ErrOrStderr().(*os.File)
	onTerminal := spec.Tty && spec.Interactive && inFile && term.IsTerminal(int(in.Fd()))
	var c core.Container
	var resizeTo func()
	var wait func() (core.Container, error)
	if spec.AutoRemove || !outFile || !errFile || (spec.Interactive && !inFile) {
		stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
		if spec.Interactive {
			stdio.In = cmd.InOrStdin()
		}
		r, err := e.Run(cmd.Context(), spec, stdio)
		if err != nil {
			return err
		}
		c, wait = r.Container(), func() (core.Container, error) { return r.Wait(cmd.Context()) }
		resizeTo = func() {
			if w, h, err := term.GetSize(int(in.Fd())); err == nil {
				_ = r.Resize(uint16(h), uint16(w))
			}
		}
	} else {
		files := [3]*os.File{nil, out, errOut}
		if spec.Interactive {
			files[0] = in
		}
		a, err := e.RunAttached(cmd.Context(), spec, files)
		if err != nil {
			return err
		}
		c, wait = a.Container(), func() (core.Container, error) { return a.Wait(cmd.Context()) }
		resizeTo = func() { _ = a.Resize() }
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH)
	defer signal.Stop(sigs)
	restore := func() {}
	if onTerminal {
		if st, err := term.MakeRaw(int(in.Fd())); err == nil {
			restore = func() { _ = term.Restore(int(in.Fd()), st) }
		}
		resizeTo()
	}
	go func() {
		for s := range sigs {
			if s == syscall.SIGWINCH {
				if onTerminal {
					resizeTo()
				}
				continue
			}
			_ = e.Kill(cmd.Context(), c, s.(syscall.Signal))
		}
	}()
	final, err := wait()
	restore()
	if err != nil {
		return err
	}
	if final.ExitCode != 0 {
		return ExitStatus{Code: final.ExitCode}
	}
	return nil
}
