package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"workbench/core"
)

// processFlags are the flags run and exec share about the process they start, in
// Docker's letters: -i, -t, -e, -w and -u.
type processFlags struct {
	interactive, tty bool
	env              []string
	workdir, user    string
}

// add adds the flags to fs.
func (f *processFlags) add(fs *pflag.FlagSet) {
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "keep standard input open")
	fs.BoolVarP(&f.tty, "tty", "t", false, "give the command a pseudo-terminal")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable: KEY=VALUE (or KEY, taken from here)")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	fs.StringVarP(&f.user, "user", "u", "", "user to run as: name, uid or uid:gid")
}

// environment checks -w and reads each -e into the process's environment (a bare KEY
// takes its value from here, or is left out when it has none here).
func (f *processFlags) environment() ([]string, error) {
	if f.workdir != "" && f.workdir[0] != '/' {
		return nil, fmt.Errorf("-w %q is not an absolute path: use e.g. -w /tmp", f.workdir)
	}
	var env []string
	for _, kv := range f.env {
		v, ok, err := core.ParseEnv(kv, os.LookupEnv)
		if err != nil {
			return nil, err
		}
		if ok {
			env = append(env, v)
		}
	}
	return env, nil
}

// checkTerminal refuses -it when the command's standard input is not a terminal.
func (f *processFlags) checkTerminal(cmd *cobra.Command) error {
	if f.interactive && f.tty && !stdinIsTerminal(cmd) {
		return fmt.Errorf("the input device is not a TTY: drop -t (or -i), or run it from a terminal")
	}
	return nil
}

// stdinIsTerminal says whether the command's standard input is a terminal.
func stdinIsTerminal(cmd *cobra.Command) bool { return isTerminal(cmd.InOrStdin()) }

// commandStdio are the command's streams for a process it starts or attaches to:
// its output and errors, and its input when in.
func commandStdio(cmd *cobra.Command, in bool) core.Stdio {
	stdio := core.Stdio{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
	if in {
		stdio.In = cmd.InOrStdin()
	}
	return stdio
}

// followed is a process this command is attached to: a container's PID 1 or a
// process exec started in one.
type followed struct {
	resize func(rows, cols uint16) error
	signal func(syscall.Signal) error
	wait   func() (int, error)
}

// followProcess waits for p to end and returns its status. With tty and a terminal
// on standard input, the terminal is in raw mode meanwhile and its size is passed on
// as it changes; the signals of forward that this process gets are passed to p.
func followProcess(cmd *cobra.Command, tty bool, p followed, forward ...os.Signal) error {
	in, inFile := cmd.InOrStdin().(*os.File)
	onTerminal := tty && inFile && term.IsTerminal(int(in.Fd()))
	resize := func() {
		if w, h, err := term.GetSize(int(in.Fd())); err == nil {
			_ = p.resize(uint16(h), uint16(w))
		}
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, append(forward, syscall.SIGWINCH)...)
	defer signal.Stop(sigs)
	restore := func() {}
	if onTerminal {
		if st, err := term.MakeRaw(int(in.Fd())); err == nil {
			restore = func() { _ = term.Restore(int(in.Fd()), st) }
		}
		resize()
	}
	go func() {
		for s := range sigs {
			if s == syscall.SIGWINCH {
				if onTerminal {
					resize()
				}
				continue
			}
			_ = p.signal(s.(syscall.Signal))
		}
	}()
	code, err := p.wait()
	restore()
	if err != nil {
		return err
	}
	if code != 0 {
		return ExitStatus{Code: code}
	}
	return nil
}
