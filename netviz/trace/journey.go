// Package trace follows packets through the lab: it arms an nftables trace in every
// network namespace of the lab for the packets a tcpdump-style filter matches, reads
// the kernel's trace events of each namespace, and assembles each packet's journey,
// and its reply's, hop by hop: the interface it came in on, every netfilter hook it
// crossed with each rule it matched and the verdict, the routing decision, NAT with
// conntrack's tuples, the bridge port and veth pair into the next namespace, and how
// it ended. A Journey is plain data, in order, for a view to render.
package trace

import "time"

// Journey is one packet's way through the lab and, when one came, its reply's.
type Journey struct {
	// Request is the packet that matched the filter (or the probe).
	Request Leg `json:"request"`
	// Reply is the packet that came back (an answer, a TCP reset or an ICMP error),
	// nil when none was seen.
	Reply *Leg `json:"reply,omitempty"`
}

// Leg is one packet followed from the namespace it was made or first seen in to
// where it ended.
type Leg struct {
	// Time is when its first event was read.
	Time time.Time `json:"time"`
	// Packet is its header where it was first seen.
	Packet Header `json:"packet"`
	// Hops are the namespaces it crossed, in order.
	Hops []Hop `json:"hops"`
	// End is how the leg ended.
	End End `json:"end"`
}

// Hop is the packet's pass through one network namespace.
type Hop struct {
	// Namespace is the lab host, container or "lan" it crossed.
	Namespace string `json:"namespace"`
	// Kind is "host", "lan", "container" or "other" (a namespace made by hand).
	Kind string `json:"kind"`
	// In is the interface it came in on, "" when it was made here.
	In string `json:"in,omitempty"`
	// Out is the interface it left by, "" when it did not leave.
	Out string `json:"out,omitempty"`
	// Steps are what happened to it here, in order.
	Steps []Step `json:"steps"`
}

// StepKind is what a Step is.
type StepKind string

// The kinds of Step.
const (
	// StepIn: the packet came in on an interface (Interface; Link names the veth
	// pair or bridge port it came through), or was made by a local process.
	StepIn StepKind = "in"
	// StepHook: it entered a netfilter hook (Hook).
	StepHook StepKind = "hook"
	// StepRule: it matched a rule (Rule, Verdict).
	StepRule StepKind = "rule"
	// StepPolicy: it met the policy of a built-in chain (Rule without a number).
	StepPolicy StepKind = "policy"
	// StepRoute: the routing decision (Route).
	StepRoute StepKind = "route"
	// StepNAT: its header changed (Before, After; Conntrack when read).
	StepNAT StepKind = "nat"
	// StepOut: it left by an interface towards the next namespace (Interface, Link).
	StepOut StepKind = "out"
)

// Step is one thing that happened to a packet in a namespace.
type Step struct {
	// Kind is what the step is.
	Kind StepKind `json:"kind"`
	// Hook is the netfilter hook it happened at: PREROUTING, INPUT, FORWARD, OUTPUT or
	// POSTROUTING.
	Hook string `json:"hook,omitempty"`
	// Interface is the interface of an in or out step.
	Interface string `json:"interface,omitempty"`
	// Link says what joins Interface to the other namespace: "veth pair with web:eth0",
	// "bridge wb0 port veth1a2b3c".
	Link string `json:"link,omitempty"`
	// Rule is the rule or policy met.
	Rule *Rule `json:"rule,omitempty"`
	// Verdict is ACCEPT, DROP, RETURN, "jump CHAIN", "goto CHAIN" or "continue".
	Verdict string `json:"verdict,omitempty"`
	// Route is the routing decision.
	Route *Route `json:"route,omitempty"`
	// Before and After are the header before and after NAT.
	Before *Header `json:"before,omitempty"`
	After  *Header `json:"after,omitempty"`
	// Conntrack is the connection's entry, for NAT.
	Conntrack *Conntrack `json:"conntrack,omitempty"`
	// Packet is the header as it was at this step.
	Packet Header `json:"packet"`
}

// Rule is a rule as `iptables -S` prints it, with where it sits.
type Rule struct {
	// Table and Chain hold it.
	Table string `json:"table"`
	Chain string `json:"chain"`
	// Num is its 1-based position in the chain; 0 for a chain's policy.
	Num int `json:"num,omitempty"`
	// Text is the rule as `iptables -t TABLE -S CHAIN` prints it ("-A CHAIN ..."), or
	// "-P CHAIN POLICY" for a policy.
	Text string `json:"text"`
	// Comment is its --comment.
	Comment string `json:"comment,omitempty"`
	// Target is what its -j names (ACCEPT, DROP, DNAT, MASQUERADE, a chain).
	Target string `json:"target,omitempty"`
}

// Route is a routing decision.
type Route struct {
	// Route is the route used as `ip route` prints it ("default via 198.51.100.100 dev
	// eth0", "172.18.0.0/16 dev wb0"), or "local" for an address of the namespace.
	Route string `json:"route"`
	// Dev is the output interface and Gateway the next hop ("" when direct).
	Dev     string `json:"dev,omitempty"`
	Gateway string `json:"gateway,omitempty"`
	// Local tells that the packet is for this namespace itself.
	Local bool `json:"local,omitempty"`
	// Refused says why the packet was not routed ("not forwarded: net.ipv4.ip_forward
	// is 0"), "" when it was.
	Refused string `json:"refused,omitempty"`
}

// Conntrack is a connection tracking entry: the tuple the connection started with and
// the one its replies carry, which tells the NAT applied.
type Conntrack struct {
	Original string `json:"original"`
	Reply    string `json:"reply"`
}

// EndKind is the way a leg ended.
type EndKind string

// The ways a leg ends.
const (
	// EndDelivered: it reached the local stack of its last namespace.
	EndDelivered EndKind = "delivered"
	// EndLeft: it left the lab (to a namespace that is not traced).
	EndLeft EndKind = "left"
	// EndDropped: a rule, a policy or the routing dropped it.
	EndDropped EndKind = "dropped"
	// EndLost: the trace lost sight of it after it left a namespace.
	EndLost EndKind = "lost"
)

// End is how a leg ended.
type End struct {
	// Kind is the way it ended.
	Kind EndKind `json:"kind"`
	// Namespace is where.
	Namespace string `json:"namespace"`
	// Reason says it in words: "delivered to a local socket", "no socket: the
	// kernel answered with a TCP reset", "dropped by rule 1 of WB-ISOLATION-2".
	Reason string `json:"reason"`
	// Rule is the rule that dropped it, if one did.
	Rule *Rule `json:"rule,omitempty"`
}
