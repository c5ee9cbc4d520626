package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/core"
)

func init() { register(newExecCmd) }

// execFlags are the flags of `exec`, in Docker's letters.
type execFlags struct {
	interactive, tty bool
	env              []string
	workdir, user    string
}

func newExecCmd() *cobra.Command {
	var f execFlags
	cmd := leaf{use: "exec [-i] [-t] [-e K=V] [-w DIR] CONTAINER COMMAND [ARG...]",
		short:   "Run a command in a running container, in all its namespaces and its cgroup",
		example: "  workbench exec web ps\n  workbench exec -it web sh", args: cobra.MinimumNArgs(2),
		run: func(cmd *cobra.Command, args []string) error {
			spec := core.ExecSpec{Args: args[1:], WorkingDir: f.workdir, User: f.user, Tty: f.tty}
			if f.workdir != "" && f.workdir[0] != '/' {
				return fmt.Errorf("-w %q is not an absolute path: use e.g. -w /tmp", f.workdir)
			}
			for _, kv := range f.env {
				v, ok, err := core.ParseEnv(kv, os.LookupEnv)
				if err != nil {
					return err
				}
				if ok {
					spec.Env = append(spec.Env, v)
				}
			}
			if f.interactive && f.tty && !stdinIsTerminal(cmd) {
				return fmt.Errorf("the input device is not a TTY: drop -t (or -i), or run it from a terminal")
			}
			e, c, err := lookupContainer(cmd, args[0])
			if err != nil {
				return err
			}
			stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
			if f.interactive {
				stdio.In = cmd.InOrStdin()
			}
			in, isFile := cmd.InOrStdin().(*os.File)
			onTerminal := f.tty && f.interactive && isFile && term.IsTerminal(int(in.Fd()))
			x, err := e.Exec(cmd.Context(), c, spec, stdio)
			if err != nil {
				return startStatus(cmd, err)
			}
			sigs := make(chan os.Signal, 8)
			signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGWINCH)
			defer signal.Stop(sigs)
			restore := func() {}
			if onTerminal {
				if st, err := term.MakeRaw(int(in.Fd())); err == nil {
					restore = func() { _ = term.Restore(int(in.Fd()), st) }
				}
				resizeExec(x, in)
			}
			go func() {
				for s := range sigs {
					if s == syscall.SIGWINCH {
						if onTerminal {
							resizeExec(x, in)
						}
						continue
					}
					_ = x.Signal(s.(syscall.Signal))
				}
			}()
			code, err := x.Wait()
			restore()
			if err != nil {
				return err
			}
			if code != 0 {
				return ExitStatus{Code: code}
			}
			return nil
		}}.command()
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().BoolVarP(&f.interactive, "interactive", "i", false, "keep standard input open")
	cmd.Flags().BoolVarP(&f.tty, "tty", "t", false, "give the command a pseudo-terminal")
	cmd.Flags().StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable: KEY=VALUE")
	cmd.Flags().StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	cmd.Flags().StringVarP(&f.user, "user", "u", "", "user to run as: name, uid or uid:gid")
	return cmd
}

// resizeExec passes the terminal's size on to the exec'd process's terminal.
func resizeExec(x *core.Execution, tty *os.File) {
	if w, h, err := term.GetSize(int(tty.Fd())); err == nil {
		_ = x.Resize(uint16(h), uint16(w))
	}
}
