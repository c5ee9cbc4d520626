// Package iptables reads a lab host's netfilter tables (through iptables-save -c in its
// network namespace) into immutable snapshots, compares two snapshots to find the rules
// whose counters moved, sums the traffic through the five netfilter hooks and renders
// all of it as text of a given width.
package iptables

import (
	"slices"
	"strings"
	"time"
)

// TableOrder lists the tables in the order netfilter consults them at a hook.
var TableOrder = []string{"raw", "mangle", "nat", "filter"}

// Snapshot is the content of every table of one network namespace at one moment.
type Snapshot struct {
	// Host is the lab host (or "real") the tables belong to; it is only a label.
	Host string `json:"host,omitempty"`
	// Time is when the tables were read; rates are computed between two Times.
	Time time.Time `json:"time"`
	// Tables are in TableOrder; tables the namespace never used are absent.
	Tables []Table `json:"tables"`
}

// Table is one netfilter table (raw, mangle, nat, filter, security).
type Table struct {
	// Name is the table's name: raw, mangle, nat, filter or security.
	Name string `json:"name"`
	// Chains are in the order iptables-save gives them: built-in ones first.
	Chains []Chain `json:"chains"`
}

// Chain is a built-in chain (with a policy) or a user chain (policy "-").
type Chain struct {
	// Name is the chain's name (PREROUTING, WB-DNAT...).
	Name string `json:"name"`
	// Policy is ACCEPT or DROP for a built-in chain, "-" for a user chain.
	Policy string `json:"policy"`
	// Packets and Bytes count what reached the end of a built-in chain and met its
	// policy.
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// Ours tells that the workbench made the chain (its name starts with WB-).
	Ours bool `json:"ours,omitempty"`
	// Rules are the chain's rules in order.
	Rules []Rule `json:"rules"`
}

// Rule is one rule of a chain with its counters.
type Rule struct {
	// Num is the rule's 1-based position in its chain, as `iptables -L --line-numbers`.
	Num int `json:"num"`
	// Packets and Bytes count what the rule matched.
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	// Spec is the rule as iptables-save writes it after "-A CHAIN".
	Spec string `json:"spec"`
	// Target is what -j (or -g) names, "" when the rule only counts.
	Target string `json:"target,omitempty"`
	// Comment is the text of -m comment --comment, unquoted.
	Comment string `json:"comment,omitempty"`
	// Ours tells that the workbench made the rule: it sits in or jumps to a WB- chain,
	// or its comment starts with "workbench" or "wb:".
	Ours bool `json:"ours,omitempty"`
}

// Builtin tells whether the chain is one of the hook chains of its table.
func (c Chain) Builtin() bool { return c.Policy != "-" }

// Table returns the table with the given name and whether it is there.
func (s Snapshot) Table(name string) (Table, bool) {
	if i := slices.IndexFunc(s.Tables, func(t Table) bool { return t.Name == name }); i >= 0 {
		return s.Tables[i], true
	}
	return Table{}, false
}

// RuleCount is the number of rules in every table.
func (s Snapshot) RuleCount() int {
	n := 0
	for _, t := range s.Tables {
		for _, c := range t.Chains {
			n += len(c.Rules)
		}
	}
	return n
}

// ownChain tells whether a chain name is one the workbench makes.
func ownChain(name string) bool { return strings.HasPrefix(name, "WB-") }

// ownComment tells whether a rule comment marks a rule the workbench made.
func ownComment(c string) bool {
	return strings.HasPrefix(c, "workbench") || strings.HasPrefix(c, "wb:") || strings.HasPrefix(c, "wb ")
}
