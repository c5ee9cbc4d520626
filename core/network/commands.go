package network

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"workbench/nsutil"
)

// ipArgs is the `ip` command line that does the same in the namespace at nsPath:
// `ip -n NAME ...` for a named namespace, plain `ip ...` for the machine's, and
// `nsenter --net=PATH ip ...` for any other (a container's).
func ipArgs(nsPath string, args ...string) []string {
	switch {
	case nsPath == nsutil.MachinePath:
		return append([]string{"ip"}, args...)
	case filepath.Dir(nsPath) == netnsDir:
		return append([]string{"ip", "-n", filepath.Base(nsPath)}, args...)
	default:
		return append([]string{"nsenter", "--net=" + nsPath, "ip"}, args...)
	}
}

// logIP records an `ip` command made in the namespace at nsPath.
func (m *Manager) logIP(nsPath string, args ...string) {
	m.log.AddArgs(ipArgs(nsPath, args...)...)
}

// sysctl sets a net sysctl (key as in `sysctl -w`, e.g. net.ipv4.ip_forward) inside the
// namespace at nsPath: /proc/sys/net follows the network namespace of the writing thread.
func (m *Manager) sysctl(nsPath, key, value string) error {
	file := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
	err := nsutil.Do(nsPath, func() error { return os.WriteFile(file, []byte(value), 0o644) })
	if err != nil {
		return fmt.Errorf("sysctl -w %s=%s: %w", key, value, err)
	}
	m.log.AddArgs(CommandIn(nsPath, "sysctl", "-w", key+"="+value)...)
	return nil
}

// rule is one iptables rule change: the table and the arguments after `-t TABLE`,
// starting with the action (-A, -I, -D, -N, -P...).
type rule struct {
	table string
	args  []string
}

// command is the rule as a person would type it.
func (r rule) command() []string {
	return append([]string{"iptables", "-t", r.table}, r.args...)
}

// applyRules makes rule changes in the namespace at nsPath in one
// `iptables-restore --noflush` batch (one exec, one kernel transaction), and records
// each as its own iptables command.
func (m *Manager) applyRules(nsPath string, rules []rule) error {
	if len(rules) == 0 {
		return nil
	}
	var b strings.Builder
	byTable := map[string][]rule{}
	var order []string
	for _, r := range rules {
		if _, ok := byTable[r.table]; !ok {
			order = append(order, r.table)
		}
		byTable[r.table] = append(byTable[r.table], r)
	}
	for _, t := range order {
		fmt.Fprintf(&b, "*%s\n", t)
		for _, r := range byTable[t] {
			b.WriteString(restoreLine(r.args))
			b.WriteByte('\n')
		}
		b.WriteString("COMMIT\n")
	}
	if err := restore(nsPath, b.String()); err != nil {
		return err
	}
	for _, r := range rules {
		m.log.AddArgs(CommandIn(nsPath, r.command()...)...)
	}
	return nil
}

// restore feeds iptables-restore --noflush in the namespace at nsPath. The command dies
// with the workbench (Pdeathsig), so that the batch of a command that was killed does
// not land after the next command has cleaned up: it commits in one transaction, whole
// or not at all, before the workbench dies or never.
func restore(nsPath, input string) error {
	cmd := exec.Command("iptables-restore", "--noflush", "-w")
	cmd.Stdin = strings.NewReader(input)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if out, err := nsutil.Output(nsPath, cmd); err != nil {
		return fmt.Errorf("iptables-restore in %s: %w %s", nsPath, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// restoreLine writes iptables arguments as one iptables-restore line, quoting
// arguments with spaces (comments) the way iptables-restore reads them.
func restoreLine(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t\"'") || a == "" {
			parts[i] = `"` + strings.ReplaceAll(a, `"`, `'`) + `"`
		} else {
			parts[i] = a
		}
	}
	return strings.Join(parts, " ")
}

// undo turns rule additions into their deletions, last first.
func undo(rules []rule) []rule {
	var out []rule
	for i := len(rules) - 1; i >= 0; i-- {
		r := rules[i]
		switch r.args[0] {
		case "-A", "-I":
			args := append([]string{"-D"}, r.args[1:]...)
			if r.args[0] == "-I" && len(args) > 2 && isNumber(args[2]) {
				args = append(args[:2], args[3:]...)
			}
			out = append(out, rule{table: r.table, args: args})
		case "-N":
			out = append(out, rule{table: r.table, args: []string{"-X", r.args[1]}})
		}
	}
	return out
}

func isNumber(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
