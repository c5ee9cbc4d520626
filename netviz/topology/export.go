package topology

import (
	"fmt"
	"sort"
	"strings"
)

// Mermaid writes the snapshot as a Mermaid flowchart: each namespace a subgraph, each
// link but lo a node (its name, kind and addresses), veth pairs and bridge ports as
// edges, a tunnel's far end as a dashed edge to a node of its own.
func Mermaid(s Snapshot) string { return graphOf(s).write(mermaid) }

// DOT writes the snapshot as an undirected Graphviz graph with the same parts as
// Mermaid: a cluster per namespace, a node per link, an edge per pair, port and tunnel.
func DOT(s Snapshot) string { return graphOf(s).write(dot) }

// dialect is how one graph language writes each part of a graph: the formats take an
// id and a label already made safe by text.
type dialect struct {
	head, tail          string
	cluster, clusterEnd string
	node, loose         string
	text                func(string) string
	edge                func(edge) string
}

var mermaid = dialect{
	head:       "flowchart LR\n",
	cluster:    "  subgraph %s[\"%s\"]\n",
	clusterEnd: "  end\n",
	node:       "    %s[\"%s\"]\n",
	loose:      "  %s([\"%s\"])\n",
	text:       mermaidText,
	edge:       mermaidEdge,
}

var dot = dialect{
	head:       "graph topology {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
	tail:       "}\n",
	cluster:    "  subgraph cluster_%s {\n    label=\"%s\";\n",
	clusterEnd: "  }\n",
	node:       "    %s [label=\"%s\"];\n",
	loose:      "  %s [label=\"%s\", shape=ellipse];\n",
	text:       dotText,
	edge:       dotEdge,
}

// write writes the graph in one dialect.
func (g graph) write(d dialect) string {
	var b strings.Builder
	b.WriteString(d.head)
	for _, c := range g.clusters {
		fmt.Fprintf(&b, d.cluster, c.id, d.text(c.label))
		for _, n := range c.nodes {
			fmt.Fprintf(&b, d.node, n.id, d.text(strings.Join(n.lines, "\n")))
		}
		b.WriteString(d.clusterEnd)
	}
	for _, n := range g.loose {
		fmt.Fprintf(&b, d.loose, n.id, d.text(strings.Join(n.lines, "\n")))
	}
	for _, e := range g.edges {
		b.WriteString(d.edge(e))
	}
	b.WriteString(d.tail)
	return b.String()
}

func mermaidEdge(e edge) string {
	arrow := "---"
	if e.dashed {
		arrow = "-.-"
	}
	if e.label == "" {
		return fmt.Sprintf("  %s %s %s\n", e.from, arrow, e.to)
	}
	return fmt.Sprintf("  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
}

func dotEdge(e edge) string {
	var attrs []string
	if e.dashed {
		attrs = append(attrs, "style=dashed")
	}
	if e.label != "" {
		attrs = append(attrs, fmt.Sprintf("label=\"%s\"", dotText(e.label)))
	}
	if len(attrs) == 0 {
		return fmt.Sprintf("  %s -- %s;\n", e.from, e.to)
	}
	return fmt.Sprintf("  %s -- %s [%s];\n", e.from, e.to, strings.Join(attrs, ", "))
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
