package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ParsePort reads a -p option: "[IP:]HOSTPORT:CTRPORT[/tcp|udp]" or "CTRPORT[/proto]"
// (a free host port is chosen for the latter).
func ParsePort(spec string) (PortSpec, error) {
	orig := spec
	p := PortSpec{Proto: "tcp"}
	if body, proto, ok := strings.Cut(spec, "/"); ok {
		switch proto {
		case "tcp", "udp":
			p.Proto = proto
		default:
			return PortSpec{}, fmt.Errorf("port %q: protocol %q is not supported: use tcp or udp", orig, proto)
		}
		spec = body
	}
	parts := strings.Split(spec, ":")
	var err error
	switch len(parts) {
	case 1:
		p.ContainerPort, err = parsePortNumber(orig, "container", parts[0])
	case 2:
		if p.HostPort, err = parsePortNumber(orig, "host", parts[0]); err == nil {
			p.ContainerPort, err = parsePortNumber(orig, "container", parts[1])
		}
	case 3:
		addr, aerr := netip.ParseAddr(parts[0])
		if aerr != nil || !addr.Is4() {
			return PortSpec{}, fmt.Errorf("port %q: host address %q is not an IPv4 address: use e.g. 198.51.100.1:8080:80", orig, parts[0])
		}
		p.HostIP = addr.String()
		if parts[1] != "" {
			p.HostPort, err = parsePortNumber(orig, "host", parts[1])
		}
		if err == nil {
			p.ContainerPort, err = parsePortNumber(orig, "container", parts[2])
		}
	default:
		return PortSpec{}, fmt.Errorf("port %q is not [IP:]HOSTPORT:CTRPORT[/tcp|udp] or CTRPORT: e.g. -p 8080:80", orig)
	}
	if err != nil {
		return PortSpec{}, err
	}
	return p, nil
}

// String writes the spec back in the form ParsePort reads.
func (p PortSpec) String() string {
	s := strconv.Itoa(p.ContainerPort) + "/" + p.Proto
	host := ""
	if p.HostPort != 0 {
		host = strconv.Itoa(p.HostPort)
	}
	switch {
	case p.HostIP != "":
		return p.HostIP + ":" + host + ":" + s
	case host != "":
		return host + ":" + s
	}
	return s
}

func parsePortNumber(spec, which, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || s != strconv.Itoa(n) {
		return 0, fmt.Errorf("port %q: %s port %q is not a number: use 1 to 65535", spec, which, s)
	}
	if n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q: %s port %d is out of range: use 1 to 65535", spec, which, n)
	}
	return n, nil
}

// ParsePorts reads a -p option that may give ranges, as Docker takes them:
// "8080-8081:80-81" publishes two ports, "80-81" two ports on free host ports. Each
// range has the same length on both sides.
func ParsePorts(spec string) ([]PortSpec, error) {
	body, proto, hasProto := strings.Cut(spec, "/")
	parts := strings.Split(body, ":")
	ctr := parts[len(parts)-1]
	if !strings.Contains(ctr, "-") {
		p, err := ParsePort(spec)
		if err != nil {
			return nil, err
		}
		return []PortSpec{p}, nil
	}
	lo, hi, err := portRange(spec, "container", ctr)
	if err != nil {
		return nil, err
	}
	hostLo := 0
	if len(parts) >= 2 && parts[len(parts)-2] != "" {
		hl, hh, err := portRange(spec, "host", parts[len(parts)-2])
		if err != nil {
			return nil, err
		}
		if hh-hl != hi-lo {
			return nil, fmt.Errorf("port %q: the host range and the container range differ in length: give ranges of the same size, e.g. 8080-8081:80-81", spec)
		}
		hostLo = hl
	}
	var out []PortSpec
	for n := lo; n <= hi; n++ {
		one := make([]string, len(parts))
		copy(one, parts)
		one[len(one)-1] = strconv.Itoa(n)
		if hostLo > 0 {
			one[len(one)-2] = strconv.Itoa(hostLo + n - lo)
		}
		s := strings.Join(one, ":")
		if hasProto {
			s += "/" + proto
		}
		p, err := ParsePort(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// portRange reads "LOW-HIGH" (or a single port).
func portRange(spec, which, s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(s, "-")
	if lo, err = parsePortNumber(spec, which, a); err != nil {
		return 0, 0, err
	}
	hi = lo
	if isRange {
		if hi, err = parsePortNumber(spec, which, b); err != nil {
			return 0, 0, err
		}
	}
	if hi < lo || hi-lo >= 1024 {
		return 0, 0, fmt.Errorf("port %q: the %s range %s is backwards or longer than 1024 ports: give LOW-HIGH, e.g. 8080-8081", spec, which, s)
	}
	return lo, hi, nil
}
