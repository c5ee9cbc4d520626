package network

import (
	"fmt"
	"os/exec"
	"strings"

	"workbench/cmdlog"
	"workbench/nsutil"
)

// Removing what a command made of a network or a host without knowing how far that
// command got: the rules to delete are found in what iptables-save shows, by their
// comments, and deleted as often as they are there.

// savedComment is how iptables-save prints a rule's comment, or the start of it: in
// double quotes, with ' escaped. A rule's line contains savedComment(c) + `"` when its
// comment is c, and savedComment(p) when its comment starts with p.
func savedComment(comment string) string {
	return `--comment "` + strings.ReplaceAll(comment, "'", `\'`)
}

// iptablesSave is the output of iptables-save in the namespace at nsPath.
func iptablesSave(nsPath string) (string, error) {
	out, err := nsutil.Output(nsPath, exec.Command("iptables-save"))
	if err != nil {
		return "", fmt.Errorf("read the iptables rules in %s: %w", nsPath, err)
	}
	return string(out), nil
}

// deleteSaved deletes, in one batch, every rule of the namespace at nsPath whose line in
// iptables-save contains one of marks (see savedComment), as many times as it is there.
// It removes what a command made without knowing how far that command got.
func (m *Manager) deleteSaved(nsPath string, marks ...string) error {
	save, err := iptablesSave(nsPath)
	if err != nil {
		return err
	}
	dels := map[string][]string{}
	var tables, logged []string
	table := ""
	for _, line := range strings.Split(save, "\n") {
		switch {
		case strings.HasPrefix(line, "*"):
			table = line[1:]
		case strings.HasPrefix(line, "-A ") && containsAny(line, marks):
			if len(dels[table]) == 0 {
				tables = append(tables, table)
			}
			del := "-D" + line[2:]
			dels[table] = append(dels[table], del)
			// iptables-save escapes ' inside double quotes, which a shell does not.
			logged = append(logged, cmdlog.Quote(CommandIn(nsPath, "iptables", "-t", table)...)+" "+strings.ReplaceAll(del, `\'`, "'"))
		}
	}
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "*%s\n%s\nCOMMIT\n", t, strings.Join(dels[t], "\n"))
	}
	if len(logged) == 0 {
		return nil
	}
	if err := restore(nsPath, b.String()); err != nil {
		return err
	}
	m.log.AddLines(logged...)
	return nil
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// deleteHostChains removes the jumps to a host's chains and then the chains, those of
// them that are there.
func (m *Manager) deleteHostChains(nsPath string) error {
	var jumps []string
	for _, r := range hostChains(false) {
		if c := ruleComment(r); c != "" {
			jumps = append(jumps, savedComment(c)+`"`)
		}
	}
	if err := m.deleteSaved(nsPath, jumps...); err != nil {
		return err
	}
	save, err := iptablesSave(nsPath)
	if err != nil {
		return err
	}
	var chains []rule
	for _, r := range undo(hostChains(false)) {
		if r.args[0] == "-X" && strings.Contains(save, "\n:"+r.args[1]+" ") {
			chains = append(chains, r)
		}
	}
	return m.applyRules(nsPath, chains)
}

// ruleComment is the text of a rule's --comment, or "".
func ruleComment(r rule) string {
	for i, a := range r.args[:len(r.args)-1] {
		if a == "--comment" {
			return r.args[i+1]
		}
	}
	return ""
}
