package network

import (
	"testing"

	"workbench/testutil"
)

func FuzzParsePort(f *testing.F) {
	testutil.Seed(f, "80", "8080:80", "8080:80/udp", "198.51.100.1:8080:80/tcp", "198.51.100.1::80", "0:80", "65536:80", "a:b", "1:2:3:4", "80/sctp", "", "/", ":80", "-1")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePort(s)
		if err != nil {
			return
		}
		if p.ContainerPort < 1 || p.ContainerPort > 65535 || p.HostPort < 0 || p.HostPort > 65535 || (p.Proto != "tcp" && p.Proto != "udp") {
			t.Fatalf("ParsePort(%q) = %+v: out of range", s, p)
		}
		again, err := ParsePort(p.String())
		if err != nil || again != p {
			t.Fatalf("ParsePort(%q) = %+v, written back as %q, read again as %+v, %v", s, p, p.String(), again, err)
		}
	})
}

func FuzzSubnetGatewayIP(f *testing.F) {
	f.Add("172.20.0.0/16", "172.20.0.1", "172.20.0.9")
	f.Add("10.1.2.0/30", "10.1.2.1", "10.1.2.2")
	f.Add("192.0.2.0/24", "192.0.2.1", "")
	f.Add("172.20.0.1/16", "172.21.0.1", "x")
	f.Add("nonsense", "", "::1")
	f.Fuzz(func(t *testing.T, subnet, gateway, ip string) {
		p, err := ParseSubnet(subnet)
		if err != nil {
			return
		}
		gw := fromU32(toU32(p.Addr()) + 1)
		if g, err := ParseGateway(gateway, p); err == nil {
			if !p.Contains(g) {
				t.Fatalf("gateway %s accepted outside %s", g, p)
			}
			gw = g
		}
		n := &Network{Name: "f", Subnet: p.String(), Pool: p.String(), Gateway: gw.String()}
		a, err := allocate(n, nil, ip)
		if err != nil {
			return
		}
		if !p.Contains(a) || a == gw || a == p.Addr() || a == lastAddr(p) {
			t.Fatalf("allocate(%s, %q) = %s: not a free host address", p, ip, a)
		}
	})
}
