package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/core/seccomp"
	"workbench/errkind"
)

// runFlags are the options of `run` besides the network and limit flags.
type runFlags struct {
	processFlags
	name, hostname, restart   string
	securityOpts, storageOpts []string
	detach, rm, userns, init  bool
}

func newRunCmd() *cobra.Command {
	return containerMaker(leaf{use: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
		short: "Make a container from an image and run a command in it",
		long: `Make a container (new UTS, IPC, PID, mount, network and cgroup namespaces on an overlay
of the image) and run a command in it, attached to the terminal, or in the background with -d.`,
		example: `  workbench run --rm busybox sh -c 'hostname; ps'
  workbench run -d --name web busybox httpd -f -p 80
  workbench run -it busybox sh`},
		func(cmd *cobra.Command, flags *allRunFlags, spec core.RunSpec) error {
			if !flags.detach {
				if err := flags.checkTerminal(cmd); err != nil {
					return err
				}
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
		})
}

// containerMaker is run or create: the command l, with an image and every flag of
// run, whose act is given the spec those flags describe.
func containerMaker(l leaf, act func(cmd *cobra.Command, flags *allRunFlags, spec core.RunSpec) error) *cobra.Command {
	l.args = cobra.MinimumNArgs(1)
	cmd := l.command()
	cmd.Annotations = map[string]string{makesContainer: "yes"}
	flags := addAllRunFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		spec, err := flags.spec(cmd, args)
		if err != nil {
			return err
		}
		return act(cmd, flags, spec)
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
	f.processFlags.add(fs)
	// -h is Docker's --hostname here; --help alone asks for help.
	fs.Bool("help", false, "help for "+cmd.Name())
	fs.StringVarP(&f.hostname, "hostname", "h", "", "the container's host name (default: its short ID)")
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
			warn(cmd, w)
		}
	}
	spec.Net, err = f.net.request()
	return spec, err
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
	s.Env, err = f.environment()
	return s, err
}

// runAttached runs a container in the foreground and exits with its status, passing
// on its streams, its terminal's size and the signals this process gets. The
// instance's monitor holds the container: killed, this process leaves it running.
func runAttached(cmd *cobra.Command, e *core.Engine, spec core.RunSpec) error {
	stdio := commandStdio(cmd, spec.Interactive)
	a, err := e.RunAttached(cmd.Context(), spec, stdio)
	if err != nil {
		return err
	}
	return followAttached(cmd, e, a, spec.Tty && spec.Interactive)
}

// followAttached waits for an attached container's end (see followProcess), passing
// the signals this process gets to the container; it returns the container's status.
func followAttached(cmd *cobra.Command, e *core.Engine, a *core.Attached, tty bool) error {
	c := a.Container()
	return followProcess(cmd, tty, followed{
		resize: a.Resize,
		signal: func(s syscall.Signal) error { return e.Kill(cmd.Context(), c, s) },
		wait: func() (int, error) {
			final, err := a.Wait(cmd.Context())
			return final.ExitCode, err
		},
	}, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
}

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
					return fmt.Errorf("--security-opt seccomp=%s: %w: give a profile file in Docker's JSON format", val, errkind.PathCause(err))
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
