package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/errkind"
	"workbench/nsutil"
)

// labManager checks for root, then opens the network manager as openManager does; the
// function it returns also prints the warnings the manager met (leftovers of commands
// that died which it could not remove) on stderr, one line each.
func labManager(cmd *cobra.Command) (*network.Manager, func(), error) {
	if err := needRoot(cmd); err != nil {
		return nil, nil, err
	}
	m, unlock, err := openManager(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	return m, func() {
		printWarnings(cmd, m)
		unlock()
	}, nil
}

// printWarnings prints the warnings the manager met since they were last printed.
func printWarnings(cmd *cobra.Command, m *network.Manager) {
	for _, w := range m.Warnings() {
		warn(cmd, w)
	}
}

// warn prints a problem that does not stop the command on stderr, as one line.
func warn(cmd *cobra.Command, problem string) {
	fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: "+oneLine(problem))
}

// openManager takes the state lock and opens the network manager of the current
// instance; the caller releases the lock with the function it returns.
func openManager(ctx context.Context) (*network.Manager, func(), error) {
	inst, err := currentInstance()
	if err != nil {
		return nil, nil, err
	}
	unlock, err := inst.Lock(ctx)
	if err != nil {
		return nil, nil, err
	}
	return network.New(inst, cmdlog.Open(inst.CommandLogPath())), unlock, nil
}

// readLab opens the network manager of the current instance for a listing: it takes
// no lock and changes nothing, and lists what is whole now.
func readLab(cmd *cobra.Command) (*network.Manager, error) {
	inst, err := rootInstance(cmd)
	if err != nil {
		return nil, err
	}
	return network.New(inst, nil), nil
}

func newHostCmd() *cobra.Command {
	return group("host", "Lab hosts: network namespaces on a simulated LAN (host1 and outside exist from the start)",
		newHostUpCmd(), newHostAddCmd(), newHostLsCmd(), newHostRmCmd(), newHostExecCmd())
}

func newHostUpCmd() *cobra.Command {
	return leaf{use: "up", short: "Make what is missing of the lab (the LAN, host1, outside), as any command that needs it does", args: cobra.NoArgs,
		run: onLab(func(cmd *cobra.Command, m *network.Manager, _ []string) error { return m.EnsureLab(cmd.Context()) })}.command()
}

func newHostAddCmd() *cobra.Command {
	return leaf{use: "add NAME", short: "Add a lab host on the LAN, with its own default bridge network", args: cobra.ExactArgs(1),
		run: onLab(func(cmd *cobra.Command, m *network.Manager, args []string) error {
			h, err := m.AddHost(cmd.Context(), args[0])
			if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", h.Name, h.LANAddr)
			}
			return err
		})}.command()
}

func newHostLsCmd() *cobra.Command {
	var asJSON bool
	cmd := leaf{use: "ls", short: "List the lab hosts that are whole (it changes nothing: `host up` makes the lab)", args: cobra.NoArgs,
		run: onListing(func(cmd *cobra.Command, m *network.Manager, _ []string) error {
			hosts, err := m.Hosts()
			if err != nil || asJSON {
				return printJSONUnless(cmd, err, hosts)
			}
			nets, err := m.Networks()
			if err != nil {
				return err
			}
			return printTable(cmd, "HOST\tLAN ADDRESS\tNETNS\tNETWORKS\tPORTS", hosts, func(h network.Host) []any {
				var names []string
				for _, n := range nets {
					if n.Host == h.Name {
						names = append(names, n.Name+" "+n.Subnet)
					}
				}
				path, _ := m.HostNetnsPath(h.Name)
				return []any{h.Name, orDash(h.LANAddr), path, orDash(strings.Join(names, ", ")), len(h.Ports)}
			})
		})}.command()
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newHostRmCmd() *cobra.Command {
	return leaf{use: "rm NAME", short: "Remove a lab host (refused while it carries containers or user networks)", args: cobra.ExactArgs(1),
		run: onLab(func(cmd *cobra.Command, m *network.Manager, args []string) error {
			return m.RemoveHost(cmd.Context(), args[0])
		})}.command()
}

func newHostExecCmd() *cobra.Command {
	cmd := leaf{use: "exec HOST CMD [ARG...]", short: "Run a command in a lab host's network namespace (e.g. host exec outside wget -qO- 198.51.100.1:8080)",
		args: cobra.MinimumNArgs(2),
		run: func(cmd *cobra.Command, args []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			path, err := hostPath(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			c := exec.CommandContext(cmd.Context(), args[1], args[2:]...)
			c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			return hostExecStatus(nsutil.Run(path, c), args[1], args[0])
		}}.command()
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// hostExecStatus turns the end of a command run on a lab host into the status a shell
// (and Docker) gives: its code, 128+N after signal N, 127 for a command that is not
// there, 126 for one that cannot be run.
func hostExecStatus(err error, command, host string) error {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ExitStatus{Code: 128 + int(ws.Signal())}
		}
		return ExitStatus{Code: exitErr.ExitCode()}
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist):
		return &exitError{code: 127, msg: fmt.Sprintf("host exec %s: %s: command not found", host, command)}
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.ENOEXEC), errors.Is(err, syscall.EISDIR):
		return &exitError{code: 126, msg: fmt.Sprintf("host exec %s: %s: %v", host, command, errkind.PathCause(err))}
	}
	return fmt.Errorf("run %s on %s: %w", command, host, err)
}

// hostPath is the namespace of a host, making the lab first when it is missing.
func hostPath(ctx context.Context, host string) (string, error) {
	m, unlock, err := openManager(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	if host != network.RealHost {
		if err := m.EnsureLab(ctx); err != nil {
			return "", err
		}
	}
	return m.HostNetnsPath(host)
}
