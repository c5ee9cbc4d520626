package iptables

import (
	"fmt"
	"strconv"
	"strings"
)

// Hooks are the five netfilter hooks in the order a forwarded packet meets them.
var Hooks = []string{"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}

// HookTraffic is the traffic seen at one hook.
type HookTraffic struct {
	// Hook is the hook's name (PREROUTING...).
	Hook string
	// Packets and Bytes are what went through it, as far as the counters tell.
	Packets, Bytes uint64
}

// terminal lists the targets that end a packet's walk through a built-in chain.
var terminal = map[string]bool{
	"ACCEPT": true, "DROP": true, "REJECT": true, "DNAT": true, "SNAT": true,
	"MASQUERADE": true, "REDIRECT": true, "NOTRACK": true,
}

// Traffic estimates the packets through each hook from one table's built-in chain:
// the packets that met its policy plus those its rules ended (a terminal target such as
// ACCEPT, DROP or DNAT, or a jump to a user chain whose own rules end at most that
// many), or, when more (iptables-nft keeps no policy counters), the packets a rule saw
// plus those ended before it. Every table that hooks there sees the same packets (nat
// only the first of each connection), so the hook's figure is the largest over its
// tables; PREROUTING then counts at least what INPUT and FORWARD saw, POSTROUTING at
// least what FORWARD and OUTPUT saw.
func Traffic(s Snapshot) []HookTraffic {
	out := make([]HookTraffic, len(Hooks))
	for i, h := range Hooks {
		out[i].Hook = h
		for _, t := range s.Tables {
			chains := make(map[string]*Chain, len(t.Chains))
			for ci := range t.Chains {
				chains[t.Chains[ci].Name] = &t.Chains[ci]
			}
			c := chains[h]
			if c == nil || !c.Builtin() {
				continue
			}
			var bestPk, bestBy, endPk, endBy uint64
			for _, r := range c.Rules {
				if endPk+r.Packets > bestPk {
					bestPk, bestBy = endPk+r.Packets, endBy+r.Bytes
				}
				pk, by := ruleEnded(chains, r, 0)
				endPk, endBy = endPk+pk, endBy+by
			}
			if endPk+c.Packets > bestPk {
				bestPk, bestBy = endPk+c.Packets, endBy+c.Bytes
			}
			if bestPk > out[i].Packets {
				out[i].Packets, out[i].Bytes = bestPk, bestBy
			}
		}
	}
	// Every packet that went through INPUT or FORWARD came through PREROUTING, and
	// every one that went through FORWARD or OUTPUT leaves through POSTROUTING.
	pre, in, fwd, local, post := &out[0], out[1], out[2], out[3], &out[4]
	if n := in.Packets + fwd.Packets; n > pre.Packets {
		pre.Packets, pre.Bytes = n, in.Bytes+fwd.Bytes
	}
	if n := fwd.Packets + local.Packets; n > post.Packets {
		post.Packets, post.Bytes = n, fwd.Bytes+local.Bytes
	}
	return out
}

// ruleEnded counts the packets whose walk rule r ended: all it matched for a terminal
// target, at most what the user chain it jumps to ended (following jumps a few chains
// deep), else none.
func ruleEnded(chains map[string]*Chain, r Rule, depth int) (pk, by uint64) {
	if terminal[r.Target] {
		return r.Packets, r.Bytes
	}
	u := chains[r.Target]
	if u == nil || u.Builtin() || depth >= 8 {
		return 0, 0
	}
	for _, ur := range u.Rules {
		p, b := ruleEnded(chains, ur, depth+1)
		pk, by = pk+p, by+b
	}
	return min(pk, r.Packets), min(by, r.Bytes)
}

// HookDiagram draws the five hooks as in a netfilter figure, each with its packets and,
// when prev is not nil, its rate since prev. It is 64 columns wide.
func HookDiagram(cur Snapshot, prev *Snapshot) string {
	now := Traffic(cur)
	label := make(map[string]string, len(now))
	for i, h := range now {
		l := Human(h.Packets) + " pk"
		if prev != nil {
			before := Traffic(*prev)[i]
			secs := cur.Time.Sub(prev.Time).Seconds()
			if h.Packets > before.Packets && secs > 0 {
				l += " " + Rate(float64(h.Packets-before.Packets)/secs)
			}
		}
		label[h.Hook] = l
	}
	g := newGrid(5, 64)
	g.put(0, 0, "in ─▶ PREROUTING ─▶ route ─▶ FORWARD ─────▶ POSTROUTING ─▶ out")
	g.put(1, 6, label["PREROUTING"])
	g.put(1, 22, "│")
	g.put(1, 29, label["FORWARD"])
	g.put(1, 48, "▲")
	g.put(1, 50, label["POSTROUTING"])
	g.put(2, 22, "▼")
	g.put(2, 48, "│")
	g.put(3, 20, "INPUT ─▶ local process ─▶ OUTPUT")
	g.put(4, 20, label["INPUT"])
	g.put(4, 46, label["OUTPUT"])
	return g.String()
}

// grid is a small canvas of runes for drawing.
type grid [][]rune

func newGrid(rows, cols int) grid {
	g := make(grid, rows)
	for i := range g {
		g[i] = []rune(strings.Repeat(" ", cols))
	}
	return g
}

// put writes s at row r from column c, cutting what falls off the right.
func (g grid) put(r, c int, s string) {
	for _, ch := range s {
		if c >= len(g[r]) {
			return
		}
		g[r][c] = ch
		c++
	}
}

// String returns the rows with trailing blanks removed.
func (g grid) String() string {
	var b strings.Builder
	for _, row := range g {
		b.WriteString(strings.TrimRight(string(row), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Human writes a counter the way `iptables -L` does without -x: 99999, 100K, 12M.
func Human(n uint64) string {
	var tmp [24]byte
	return string(appendHuman(tmp[:0], n))
}

// appendHuman appends Human(n) to buf.
func appendHuman(buf []byte, n uint64) []byte {
	const units = " KMGTP"
	i := 0
	for n > 99999 && i < len(units)-1 {
		n /= 1000
		i++
	}
	buf = strconv.AppendUint(buf, n, 10)
	if i > 0 {
		buf = append(buf, units[i])
	}
	return buf
}

// Rate writes packets per second compactly: "12/s", "0.5/s", "1.2K/s".
func Rate(r float64) string {
	switch {
	case r >= 10000:
		return fmt.Sprintf("%.0fK/s", r/1000)
	case r >= 1000:
		return fmt.Sprintf("%.1fK/s", r/1000)
	case r >= 10:
		return fmt.Sprintf("%.0f/s", r)
	default:
		return fmt.Sprintf("%.1f/s", r)
	}
}
