package topology

import (
	"fmt"
	"sort"
	"strings"
)

// Mermaid writes the snapshot as a Mermaid flowchart: each namespace a subgraph, each
// link but lo a node (its name, kind and addresses), veth pairs and bridge ports as
// edges, a tunnel's far end as a dashed edge to a node of its own.
func Mermaid(s Snapshot) string {
	g := graphOf(s)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, c := range g.clusters {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", c.id, mermaidText(c.label))
		for _, n := range c.nodes {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.id, mermaidText(strings.Join(n.lines, "\n")))
		}
		b.WriteString("  end\n")
	}
	for _, n := range g.loose {
		fmt.Fprintf(&b, "  %s([\"%s\"])\n", n.id, mermaidText(strings.Join(n.lines, "\n")))
	}
	for _, e := range g.edges {
		arrow := "---"
		if e.dashed {
			arrow = "-.-"
		}
		if e.label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", e.from, arrow, e.to)
		}
	}
	return b.String()
}

// DOT writes the snapshot as an undirected Graphviz graph with the same parts as
// Mermaid: a cluster per namespace, a node per link, an edge per pair, port and tunnel.
func DOT(s Snapshot) string {
	g := graphOf(s)
	var b strings.Builder
	b.WriteString("graph topology {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	for _, c := range g.clusters {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=\"%s\";\n", c.id, dotText(c.label))
		for _, n := range c.nodes {
			fmt.Fprintf(&b, "    %s [label=\"%s\"];\n", n.id, dotText(strings.Join(n.lines, "\n")))
		}
		b.WriteString("  }\n")
	}
	for _, n := range g.loose {
		fmt.Fprintf(&b, "  %s [label=\"%s\", shape=ellipse];\n", n.id, dotText(strings.Join(n.lines, "\n")))
	}
	for _, e := range g.edges {
		attrs := []string{}
		if e.dashed {
			attrs = append(attrs, "style=dashed")
		}
		if e.label != "" {
			attrs = append(attrs, fmt.Sprintf("label=\"%s\"", dotText(e.label)))
		}
		fmt.Fprintf(&b, "  %s -- %s", e.from, e.to)
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// graph is a snapshot as nodes in clusters and edges, the part both formats share.
type graph struct {
	clusters []cluster
	loose    []node // tunnel ends outside the lab
	edges    []edge
}

type cluster struct {
	id, label string
	nodes     []node
}

type node struct {
	id    string
	lines []string
}

type edge struct {
	from, to, label string
	dashed          bool
}

func graphOf(s Snapshot) graph {
	var g graph
	ids := map[[2]string]string{} // namespace, link -> node id
	for i, ns := range s.Namespaces {
		c := cluster{id: fmt.Sprintf("ns%d", i), label: ns.Label() + " (" + string(ns.Kind) + ")"}
		for _, l := range ns.Links {
			if l.Kind == "loopback" {
				continue
			}
			id := fmt.Sprintf("ns%d_if%d", i, l.Index)
			ids[[2]string{ns.Name, l.Name}] = id
			lines := []string{l.Name, l.Kind}
			if !l.Up {
				lines[1] += ", down"
			}
			c.nodes = append(c.nodes, node{id: id, lines: append(lines, l.Addrs...)})
		}
		g.clusters = append(g.clusters, c)
	}
	seen := map[string]bool{}
	remotes := map[string]string{}
	for _, ns := range s.Namespaces {
		for _, l := range ns.Links {
			id, ok := ids[[2]string{ns.Name, l.Name}]
			if !ok {
				continue
			}
			if l.Master != "" {
				if bridge, ok := ids[[2]string{ns.Name, l.Master}]; ok {
					g.edges = append(g.edges, edge{from: id, to: bridge, label: "port"})
				}
			}
			if p := l.Peer; p != nil && p.Namespace != "" {
				if other, ok := ids[[2]string{p.Namespace, p.Link}]; ok {
					pair := strings.Join(sortedPair(id, other), " ")
					if !seen[pair] {
						seen[pair] = true
						g.edges = append(g.edges, edge{from: id, to: other, label: "veth"})
					}
				}
			}
			if t := l.Tunnel; t != nil {
				for _, r := range tunnelRemotes(t) {
					far, ok := remotes[r]
					if !ok {
						far = fmt.Sprintf("remote%d", len(remotes))
						remotes[r] = far
						g.loose = append(g.loose, node{id: far, lines: []string{r}})
					}
					g.edges = append(g.edges, edge{from: id, to: far, label: l.Kind, dashed: true})
				}
			}
		}
	}
	return g
}

func tunnelRemotes(t *Tunnel) []string {
	if t.Remote != "" {
		return []string{t.Remote}
	}
	out := append([]string(nil), t.Remotes...)
	sort.Strings(out)
	return out
}

func sortedPair(a, b string) []string {
	if b < a {
		return []string{b, a}
	}
	return []string{a, b}
}

// mermaidText makes text safe inside a quoted Mermaid label: quotes become #quot;, and
// a line break <br/>.
func mermaidText(s string) string {
	r := strings.NewReplacer("\"", "#quot;", "\n", "<br/>", "\r", " ", "\t", " ", "<", "#lt;", ">", "#gt;", "|", "#124;")
	return r.Replace(s)
}

// dotText makes text safe inside a quoted DOT string.
func dotText(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "\"", "\\\"", "\n", "\\n", "\r", " ")
	return r.Replace(s)
}
