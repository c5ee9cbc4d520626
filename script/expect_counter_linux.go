package script

import (
	"context"
	"fmt"
	"strings"

	"workbench/netviz/iptables"
)

// ruleMatch names the iptables rules whose packet counters a counter expectation sums.
type ruleMatch struct {
	place Place
	table string
	chain string
	match string // "" = every rule of the chain
}

// String names the rules as the report shows them.
func (r ruleMatch) String() string {
	if r.match == "" {
		return fmt.Sprintf("%s %s/%s", r.place, r.table, r.chain)
	}
	return fmt.Sprintf("%s %s/%s %q", r.place, r.table, r.chain, r.match)
}

// counterCheck is `expect counter @HOST TABLE CHAIN MATCH [and ...] grows while CMD`.
type counterCheck struct {
	rules []ruleMatch
	args  CommandLine
}

// Verify reads the counters, runs the command and reads them again.
func (c *counterCheck) Verify(ctx context.Context, env *Env) Verdict {
	before := make([]uint64, len(c.rules))
	for i, r := range c.rules {
		n, err := r.packets(ctx, env)
		if err != nil {
			return Verdict{Detail: err.Error()}
		}
		before[i] = n
	}
	code, out := runCommand(ctx, env, c.args)
	v := Verdict{Pass: true}
	var b, still strings.Builder
	if code != 0 {
		fmt.Fprintf(&b, "the command printed:\n%s", out)
	}
	for i, r := range c.rules {
		n, err := r.packets(ctx, env)
		if err != nil {
			return Verdict{Detail: err.Error(), Output: b.String()}
		}
		fmt.Fprintf(&b, "%s: %d -> %d packets\n", r, before[i], n)
		if n <= before[i] {
			v.Pass = false
			fmt.Fprintf(&still, " %s", r)
		}
	}
	v.Output = b.String()
	if v.Pass {
		v.Detail = "every counter grew"
	} else {
		v.Detail = "no packet counted by" + still.String()
	}
	if code != 0 {
		v.Detail += fmt.Sprintf(" (the command failed with exit status %d)", code)
	}
	return v
}

// packets sums the packet counters of the matching rules, read from the host's tables
// as the iptables pane reads them.
func (r ruleMatch) packets(ctx context.Context, env *Env) (uint64, error) {
	path, err := env.Lab.NetnsPath(ctx, r.place)
	if err != nil {
		return 0, err
	}
	snap, err := iptables.Read(ctx, path, r.place.Name)
	if err != nil {
		return 0, fmt.Errorf("read the %s table on %s: %w", r.table, r.place, err)
	}
	total, found := sumCounters(snap, r.table, r.chain, r.match)
	if !found {
		return 0, fmt.Errorf("no rule of chain %s in table %s on %s contains %q: list them with `host exec %s iptables -t %s -S %s`", r.chain, r.table, r.place, r.match, r.place.Name, r.table, r.chain)
	}
	return total, nil
}

// sumCounters adds the packet counters of the rules of table/chain whose text (as
// iptables-save writes it after "-A CHAIN") contains match, and says if any matched.
func sumCounters(snap iptables.Snapshot, table, chain, match string) (uint64, bool) {
	t, _ := snap.Table(table)
	var total uint64
	found := false
	for _, c := range t.Chains {
		if c.Name != chain {
			continue
		}
		for _, rule := range c.Rules {
			if strings.Contains(rule.Spec, match) {
				total += rule.Packets
				found = true
			}
		}
	}
	return total, found
}
