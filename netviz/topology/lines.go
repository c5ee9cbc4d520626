package topology

import (
	"strconv"
	"strings"
)

// linkRow is the line of one link: name, kind, addresses, state, details and peer.
func (d drawer) linkRow(n Namespace, l Link) row {
	r := row{path: d.onPath[Hop{n.Name, l.Name}]}
	f := []string{l.Name}
	switch {
	case l.Kind == "veth" || l.Kind == "device":
	case l.Tunnel != nil:
		f = append(f, tunnelText(l))
	default:
		f = append(f, l.Kind)
	}
	f = append(f, l.Addrs...)
	switch {
	case !l.Up:
		f = append(f, "DOWN")
		r.style = downRow
	case l.State == "down" || l.State == "lowerlayerdown" || l.State == "lower-layer-down":
		f = append(f, "no-carrier")
		r.style = downRow
	}
	if d.wide {
		if l.MAC != "" && l.Kind != "loopback" {
			f = append(f, l.MAC)
		}
		f = append(f, "mtu "+strconv.Itoa(l.MTU))
	} else if l.MTU != 1500 && l.Kind != "loopback" {
		f = append(f, "mtu "+strconv.Itoa(l.MTU))
	}
	if l.Peer != nil {
		f = append(f, d.peerText(l.Peer, &r))
	}
	r.text = strings.Join(f, "  ")
	return r
}

// peerText is "⇄ namespace:link ADDRS" for a veth's other end.
func (d drawer) peerText(p *Peer, r *row) string {
	if p.Namespace == "" {
		return "⇄ if" + strconv.Itoa(p.Index) + " (elsewhere)"
	}
	label := p.Namespace
	peerNs, ok := d.s.Namespace(p.Namespace)
	if ok {
		label = peerNs.Label()
	}
	t := "⇄ " + label + ":" + p.Link
	peer, _ := peerNs.Link(p.Link)
	for _, a := range peer.Addrs {
		t += " " + a
	}
	if d.absorbed[p.Namespace] {
		if !peer.Up {
			t += " DOWN"
			r.style = downRow
		}
		if d.onPath[Hop{p.Namespace, p.Link}] {
			r.path = true
		}
	}
	return t
}

func tunnelText(l Link) string {
	t := l.Tunnel
	s := l.Kind
	if l.Kind == "vxlan" {
		s += " vni " + strconv.Itoa(t.VNI)
	}
	remote := t.Remote
	if remote == "" && len(t.Remotes) > 0 {
		remote = strings.Join(t.Remotes, ",")
	}
	if t.Local != "" || remote != "" {
		s += " " + orAny(t.Local) + "→" + orAny(remote)
	}
	if t.Dev != "" {
		s += " dev " + t.Dev
	}
	if t.Port != 0 && t.Port != 4789 {
		s += " port " + strconv.Itoa(t.Port)
	}
	if t.Key != 0 {
		s += " key " + strconv.FormatUint(uint64(t.Key), 10)
	}
	return s
}

func orAny(ip string) string {
	if ip == "" {
		return "any"
	}
	return ip
}

// routeRows lists routes, the default route first: on one row when it fits the
// column, else one route a row.
func (d drawer) routeRows(rs []Route) []row {
	var parts []string
	for _, r := range rs {
		p := r.Dst
		if r.Gateway != "" {
			p += " via " + r.Gateway
		}
		if r.Dev != "" {
			p += " dev " + r.Dev
		}
		if r.Dst == "default" {
			parts = append([]string{p}, parts...)
		} else {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	const head = "routes "
	if one := head + strings.Join(parts, " · "); len(one)+len("├─ ") <= d.width-2 {
		return []row{{text: one}}
	}
	out := []row{{text: head + parts[0]}}
	for _, p := range parts[1:] {
		out = append(out, row{text: strings.Repeat(" ", len(head)) + p})
	}
	return out
}
