package trace

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"workbench/nsutil"
	"workbench/testutil"
)

// benchLab makes a lab with one container, c1 (172.18.0.5), and returns its places.
func benchLab(b *testing.B) []Place {
	testutil.RequireRoot(b)
	inst := testutil.NewInstance(b)
	b.Cleanup(func() { testutil.Output(b, "reset") })
	testutil.MustRun(b, "run", "-d", "--name", "c1", "--ip", "172.18.0.5", "busybox", "sleep", "1000")
	var cs []struct{ Name, NetnsPath string }
	if err := json.Unmarshal([]byte(testutil.MustRun(b, "ps", "--json")), &cs); err != nil {
		b.Fatal(err)
	}
	places := []Place{{"lan", "lan", inst.HostNetnsPath("lan")}}
	for _, h := range []string{"outside", "host1"} {
		places = append(places, Place{h, "host", inst.HostNetnsPath(h)})
	}
	return append(places, Place{"c1", "container", cs[0].NetnsPath})
}

// pinger sends ICMP echo requests from a namespace and times the replies.
type pinger struct {
	fd  int
	to  unix.SockaddrInet4
	seq uint16
}

func newPinger(b *testing.B, netns string, to [4]byte) *pinger {
	p := &pinger{to: unix.SockaddrInet4{Addr: to}}
	err := nsutil.Do(netns, func() (err error) {
		p.fd, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	tv := unix.NsecToTimeval(int64(time.Second))
	_ = unix.SetsockoptTimeval(p.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	return p
}

// rtts pings n times, 5 ms apart, and returns the round trips in order.
func (p *pinger) rtts(b *testing.B, n int) []time.Duration {
	var out []time.Duration
	buf := make([]byte, 1500)
	for range n {
		p.seq++
		req := echoRequest(0x5757, p.seq)
		start := time.Now()
		if err := unix.Sendto(p.fd, req, 0, &p.to); err != nil {
			b.Fatal(err)
		}
		for {
			n, _, err := unix.Recvfrom(p.fd, buf, 0)
			if err != nil {
				b.Fatalf("no echo reply: %v", err)
			}
			ihl := int(buf[0]&0x0f) * 4
			if n >= ihl+8 && buf[ihl] == icmpEchoReply && binary.BigEndian.Uint16(buf[ihl+6:]) == p.seq {
				break
			}
		}
		out = append(out, time.Since(start))
		time.Sleep(5 * time.Millisecond)
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// BenchmarkTracedPingRTT pings outside from a container untraced, then with every
// ping traced through the four namespaces it crosses (and its reply), in turns, and
// reports the median round trips and their ratio.
func BenchmarkTracedPingRTT(b *testing.B) {
	places := benchLab(b)
	p := newPinger(b, places[3].Netns, [4]byte{198, 51, 100, 100})
	defer unix.Close(p.fd)
	p.rtts(b, 20) // ARP, caches
	var plain, traced []time.Duration
	journeys := 0
	for range 5 {
		plain = append(plain, p.rtts(b, 40)...)
		s, err := Start(context.Background(), Options{Places: places, Filter: "icmp"})
		if err != nil {
			b.Fatal(err)
		}
		done := countJourneys(s)
		traced = append(traced, p.rtts(b, 40)...)
		time.Sleep(1500 * time.Millisecond) // the last replies' journeys complete
		_ = s.Close()
		journeys += <-done
	}
	u, t := median(plain), median(traced)
	b.ReportMetric(float64(u.Microseconds()), "µs-untraced")
	b.ReportMetric(float64(t.Microseconds()), "µs-traced")
	b.ReportMetric(float64(t)/float64(u), "ratio")
	b.ReportMetric(float64(journeys)/float64(len(traced)), "journeys/ping")
}

// BenchmarkTraceEvents floods UDP datagrams from outside to host1 through a trace that
// follows each one (about 15 events each, from three namespaces) for 3 s, and reports
// the events read and assembled per second and the journeys given out per packet.
func BenchmarkTraceEvents(b *testing.B) {
	places := benchLab(b)
	var fd int
	if err := nsutil.Do(places[1].Netns, func() (err error) {
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	defer unix.Close(fd)
	s, err := Start(context.Background(), Options{Places: places, Filter: "udp port 9"})
	if err != nil {
		b.Fatal(err)
	}
	journeys := countJourneys(s)
	to := &unix.SockaddrInet4{Addr: [4]byte{198, 51, 100, 1}, Port: 9}
	start := time.Now()
	sent := 0
	for time.Since(start) < 3*time.Second {
		if err := unix.Sendto(fd, []byte("flood"), 0, to); err == nil {
			sent++
		}
		if sent%2 == 0 {
			time.Sleep(time.Millisecond) // about 1,000 packets and 15,000 events a second
		}
	}
	time.Sleep(1500 * time.Millisecond)
	err = s.Close()
	took := time.Since(start).Seconds() - 1.5
	n := <-journeys
	if err != nil && !strings.Contains(err.Error(), "faster") {
		b.Fatal(err)
	}
	b.ReportMetric(float64(s.Events())/took, "events/s")
	b.ReportMetric(float64(sent)/took, "packets/s")
	b.ReportMetric(float64(n)/float64(sent), "journeys/packet")
	if err != nil {
		b.ReportMetric(1, "overflowed")
	}
}

// countJourneys counts the journeys s gives out, until it is closed.
func countJourneys(s *Session) <-chan int {
	n := make(chan int, 1)
	go func() {
		c := 0
		for range s.Journeys() {
			c++
		}
		n <- c
	}()
	return n
}
