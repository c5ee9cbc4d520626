package capture

import (
	"context"
	"net"
	"runtime"
	"testing"
	"time"
)

// floodSeconds is how long the live flood runs, as the target is stated: at least
// 200,000 packets per second decoded, with no drops, for 10 s.
const floodSeconds = 10

// unlearntMAC is a locally administered address no interface of the test lab has.
var unlearntMAC = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x99}

// BenchmarkCaptureFlood floods minimal UDP frames from one namespace to another across
// the bridge for 10 s while capturing (and decoding into lines) on the sender's veth.
// It reports what was sent, captured and dropped per second: the capture must keep up
// with the fastest sender, with no kernel drops. The frames are addressed to a MAC no
// bridge port has learnt, so the bridge floods them to b, whose eth0 takes them in and
// drops them at once (not for it): the cheapest way through the kernel, which leaves the
// most of the machine's two cores to the capture. One iteration is the whole
// measurement; run it with -benchtime 1x.
func BenchmarkCaptureFlood(b *testing.B) {
	l := newTestLab(b)
	for i := 0; i < b.N; i++ {
		c, err := Start(context.Background(), Config{Netns: l.host, Interfaces: []string{"vetha"}, Filter: "udp", BufferSize: 64 << 20})
		if err != nil {
			b.Fatal(err)
		}
		done := countLines(c)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), floodSeconds*time.Second)
		sent, err := flood(ctx, l.a, "172.18.0.3:9", unlearntMAC)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		time.Sleep(200 * time.Millisecond)
		c.Stop()
		n := <-done
		runtime.ReadMemStats(&after)
		st := c.Stats()
		b.ReportMetric(float64(n)/elapsed.Seconds(), "pkt/s")
		b.ReportMetric(float64(sent)/elapsed.Seconds(), "sent/s")
		b.ReportMetric(float64(st.Filtered)-float64(n), "missed")
		b.ReportMetric(float64(st.Dropped), "kernel-drops")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(max(n, 1)), "allocs/pkt")
	}
}

// BenchmarkCaptureDrain measures the capture's own speed, free of the sender's: a
// flood fills a 64 MiB ring while nothing reads it, then the capture starts and the
// time to read, copy, decode, format and deliver every packet in the ring is taken.
func BenchmarkCaptureDrain(b *testing.B) {
	l := newTestLab(b)
	for i := 0; i < b.N; i++ {
		c, err := open(Config{Netns: l.host, Interfaces: []string{"vetha"}, Filter: "udp", BufferSize: 64 << 20})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		sent, err := flood(ctx, l.a, "172.18.0.3:9", unlearntMAC)
		cancel()
		if err != nil {
			c.readers[0].ring.close()
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		c.start(context.Background())
		n := 0
		for range c.Packets() {
			if n++; n == 1 {
				start = time.Now() // from the first packet delivered: the goroutines are up
			}
			if len(c.Packets()) == 0 && c.readers[0].ring.idle() {
				break
			}
		}
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		c.Stop()
		for range c.Packets() {
		}
		st := c.Stats()
		b.ReportMetric(float64(n)/elapsed.Seconds(), "pkt/s")
		b.ReportMetric(float64(n), "packets")
		b.ReportMetric(float64(sent), "sent")
		b.ReportMetric(float64(st.Dropped), "kernel-drops")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(max(n, 1)), "allocs/pkt")
	}
}

// countLines counts the packets a capture delivers until it ends.
func countLines(c *Capture) <-chan int {
	done := make(chan int)
	go func() {
		n := 0
		for p := range c.Packets() {
			if len(p.Line) > 0 {
				n++
			}
		}
		done <- n
	}()
	return done
}

// BenchmarkDecodeLine decodes and formats a million UDP frames into lines: the
// capture's per-packet work after the copy out of the ring.
func BenchmarkDecodeLine(b *testing.B) {
	data := udpFrame([]byte{2, 0x42, 0xac, 0x12, 0, 2}, []byte{2, 0x42, 0xac, 0x12, 0, 3}, []byte{172, 18, 0, 2}, []byte{172, 18, 0, 3})
	d := NewDecoder(false)
	p := Packet{Time: time.Now(), Iface: "vetha", Dir: DirIn, Data: data, Length: len(data)}
	buf := make([]byte, 0, 256)
	const perIteration = 1000000
	buf = d.AppendLine(buf[:0], &p)
	allocs := testing.AllocsPerRun(1000, func() { buf = d.AppendLine(buf[:0], &p) })
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for j := 0; j < perIteration; j++ {
			buf = d.AppendLine(buf[:0], &p)
		}
	}
	b.ReportMetric(float64(b.N*perIteration)/time.Since(start).Seconds(), "pkt/s")
	b.ReportMetric(allocs, "allocs/pkt")
}
