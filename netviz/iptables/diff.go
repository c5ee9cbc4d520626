package iptables

// Key names a rule across two snapshots: its table, chain and text, plus which copy of
// that text it is when a chain holds the same rule more than once.
type Key struct {
	// Table, Chain and Spec are where the rule is and its text.
	Table, Chain, Spec string
	// Copy counts the rules with the same text before it in its chain.
	Copy int
}

// Delta is how a rule's (or a chain policy's) counters moved between two snapshots.
type Delta struct {
	// Packets and Bytes are how much the counters went up.
	Packets, Bytes uint64
	// Rate is packets per second over the time between the snapshots.
	Rate float64
}

// Deltas holds the movement of every rule and chain policy that moved.
type Deltas struct {
	// Rules are keyed by Key; a rule absent from the map did not move.
	Rules map[Key]Delta
	// Policies are keyed by Key with an empty Spec.
	Policies map[Key]Delta
	// Seconds is the time between the two snapshots.
	Seconds float64
	// chains marks the chains ({table, chain}) with a rule that moved.
	chains map[[2]string]bool
}

// Diff compares two snapshots of the same namespace, prev taken before cur. A counter
// that went down (zeroed in between) counts from zero; a rule only in cur counts whole.
func Diff(prev, cur Snapshot) Deltas {
	d := Deltas{Rules: map[Key]Delta{}, Policies: map[Key]Delta{}, chains: map[[2]string]bool{}}
	d.Seconds = cur.Time.Sub(prev.Time).Seconds()
	before := map[[2]string]*Chain{}
	for ti := range prev.Tables {
		for ci := range prev.Tables[ti].Chains {
			c := &prev.Tables[ti].Chains[ci]
			before[[2]string{prev.Tables[ti].Name, c.Name}] = c
		}
	}
	for _, t := range cur.Tables {
		for _, c := range t.Chains {
			old := before[[2]string{t.Name, c.Name}]
			if old == nil {
				old = &Chain{}
			}
			if x, ok := d.moved(old.Packets, old.Bytes, c.Packets, c.Bytes); ok {
				d.Policies[Key{Table: t.Name, Chain: c.Name}] = x
			}
			d.diffRules(t.Name, *old, c)
		}
	}
	return d
}

// diffRules records the rules of chain c that moved since old.
func (d Deltas) diffRules(table string, old, c Chain) {
	same := len(old.Rules) == len(c.Rules)
	for i := 0; same && i < len(c.Rules); i++ {
		same = old.Rules[i].Spec == c.Rules[i].Spec
	}
	var oldRules map[Key]Rule
	var keys []Key
	if !same {
		oldRules = make(map[Key]Rule, len(old.Rules))
		for i, k := range RuleKeys(table, old) {
			oldRules[k] = old.Rules[i]
		}
	}
	for i, r := range c.Rules {
		var o Rule
		if same {
			o = old.Rules[i]
		} else {
			if keys == nil {
				keys = RuleKeys(table, c)
			}
			o = oldRules[keys[i]]
		}
		if x, ok := d.moved(o.Packets, o.Bytes, r.Packets, r.Bytes); ok {
			if keys == nil {
				keys = RuleKeys(table, c)
			}
			d.Rules[keys[i]] = x
			d.chains[[2]string{table, c.Name}] = true
		}
	}
}

// moved returns the movement from (pk0, by0) to (pk, by) and whether there was any.
func (d Deltas) moved(pk0, by0, pk, by uint64) (Delta, bool) {
	if pk < pk0 || by < by0 {
		pk0, by0 = 0, 0
	}
	if pk == pk0 && by == by0 {
		return Delta{}, false
	}
	x := Delta{Packets: pk - pk0, Bytes: by - by0}
	if d.Seconds > 0 {
		x.Rate = float64(x.Packets) / d.Seconds
	}
	return x, true
}

// RuleKeys returns the Key of each rule of chain c in table, in order.
func RuleKeys(table string, c Chain) []Key {
	keys := make([]Key, len(c.Rules))
	copies := make(map[string]int, len(c.Rules))
	for i, r := range c.Rules {
		keys[i] = Key{Table: table, Chain: c.Name, Spec: r.Spec, Copy: copies[r.Spec]}
		copies[r.Spec]++
	}
	return keys
}
