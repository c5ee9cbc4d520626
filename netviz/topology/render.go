package topology

import (
	"sort"
	"strings"
)

// Options shape the text picture of a snapshot.
type Options struct {
	// Width is the number of columns; 0 means 80. From 200 columns on, namespaces are
	// laid out side by side; from 110 columns per namespace, MACs and MTUs are shown.
	Width int
	// Color styles the text with ANSI colours; leave it off when the output is not a
	// terminal.
	Color bool
	// Highlight names a container (as Path takes it) whose path to the outside is
	// marked with ▶ (and coloured).
	Highlight string
	// Marked are more links to mark with ▶: those a packet's journey crossed.
	Marked []Hop
}

// rowStyle says how a row is coloured.
type rowStyle int

const (
	plainRow rowStyle = iota
	headerRow
	pathRow
	downRow
)

// row is one line of a namespace's block, uncoloured.
type row struct {
	text  string
	style rowStyle
	path  bool
}

// Render draws the snapshot as text: one block per namespace (the LAN first, then the
// hosts, then namespaces that are not drawn under a bridge port), each a tree of its
// uplink, bridges with their ports, tunnels and other links, and its routes. A veth
// shows its peer (namespace:link and the peer's addresses); a container (or a namespace
// found as a veth's peer) whose every link is the peer of a host's veth is drawn on
// that veth's line instead of in a block of its own.
func Render(s Snapshot, o Options) string {
	if o.Width <= 0 {
		o.Width = 80
	}
	onPath := map[Hop]bool{}
	for _, h := range append(Path(s, o.Highlight), o.Marked...) {
		onPath[h] = true
	}
	absorbed := absorbedContainers(s)
	var blocks [][]row
	cols := columns(o.Width, len(s.Namespaces)-len(absorbed))
	colWidth := (o.Width - 3*(cols-1)) / cols
	d := drawer{s: s, onPath: onPath, wide: colWidth >= 110, width: colWidth, absorbed: absorbed}
	for _, n := range s.Namespaces {
		if !absorbed[n.Name] {
			blocks = append(blocks, d.block(n))
		}
	}
	if len(blocks) == 0 {
		blocks = append(blocks, []row{{text: "no lab yet: the first `workbench run` makes it"}})
	}
	return layout(blocks, cols, colWidth, o)
}

// drawer draws namespace blocks.
type drawer struct {
	s        Snapshot
	onPath   map[Hop]bool
	wide     bool
	width    int
	absorbed map[string]bool
}

func (d drawer) block(n Namespace) []row {
	head := "■ " + n.Label() + "  (" + string(n.Kind)
	if n.Kind != KindContainer {
		head += ", netns " + n.Path[strings.LastIndexByte(n.Path, '/')+1:]
	}
	if n.Kind == KindHost {
		if n.Forwarding {
			head += ", forwarding"
		} else {
			head += ", forwarding off"
		}
	}
	rows := []row{{text: head + ")", style: headerRow}}
	top, ports := d.arrange(n)
	var items [][]row
	for _, l := range top {
		item := []row{d.linkRow(n, l)}
		ps := ports[l.Name]
		for i, p := range ps {
			r := d.linkRow(n, p)
			r.text = branch(i == len(ps)-1) + r.text
			item = append(item, r)
		}
		items = append(items, item)
	}
	if rs := d.routeRows(n.Routes); len(rs) > 0 {
		items = append(items, rs)
	}
	if len(items) == 0 {
		items = append(items, []row{{text: "no links besides lo: this namespace has no network"}})
	}
	for i, item := range items {
		last := i == len(items)-1
		for j, r := range item {
			switch {
			case j == 0:
				r.text = branch(last) + r.text
			case last:
				r.text = "   " + r.text
			default:
				r.text = "│  " + r.text
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func branch(last bool) string {
	if last {
		return "└─ "
	}
	return "├─ "
}

// arrange picks the top-level links of a namespace in drawing order (uplink, bridges,
// tunnels, the rest; lo only when alone) and the ports of each bridge.
func (d drawer) arrange(n Namespace) ([]Link, map[string][]Link) {
	ports := map[string][]Link{}
	var top []Link
	for _, l := range n.Links {
		switch {
		case l.Master != "":
			ports[l.Master] = append(ports[l.Master], l)
		case l.Kind == "loopback" && len(n.Links) > 1:
		default:
			top = append(top, l)
		}
	}
	up := n.Uplink()
	rank := func(l Link) int {
		switch {
		case l.Name == up:
			return 0
		case l.Kind == "bridge":
			return 1
		case l.Tunnel != nil:
			return 2
		}
		return 3
	}
	sort.SliceStable(top, func(i, j int) bool {
		if rank(top[i]) != rank(top[j]) {
			return rank(top[i]) < rank(top[j])
		}
		return top[i].Name < top[j].Name
	})
	for _, ps := range ports {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	}
	return top, ports
}

// absorbedContainers are the container (and other) namespaces drawn on their host veth's
// line: every link but lo is a veth whose peer is in a lab host or the LAN.
func absorbedContainers(s Snapshot) map[string]bool {
	kinds := map[string]Kind{}
	for _, n := range s.Namespaces {
		kinds[n.Name] = n.Kind
	}
	out := map[string]bool{}
	for _, n := range s.Namespaces {
		if n.Kind != KindContainer && n.Kind != KindOther {
			continue
		}
		ok, any := true, false
		for _, l := range n.Links {
			if l.Kind == "loopback" {
				continue
			}
			any = true
			if k := kinds[l.Peer.namespace()]; k != KindHost && k != KindLAN {
				ok = false
			}
		}
		if ok && any {
			out[n.Name] = true
		}
	}
	return out
}
