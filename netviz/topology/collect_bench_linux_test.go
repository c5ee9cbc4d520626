package topology

import (
	"context"
	"fmt"
	"testing"
	"time"

	"workbench/testutil"
)

// BenchmarkCollect100 reads a host with a bridge and 100 container namespaces joined to
// it by veth pairs (made once), 20 times, and reports the median and worst read.
func BenchmarkCollect100(b *testing.B) {
	inst := testutil.KernelTest(b)
	host := inst.HostNetnsName("host1")
	testutil.Netns(b, host)
	ipIn(b, host, "link", "add", "br0", "type", "bridge")
	ipIn(b, host, "link", "set", "br0", "up")
	var sources []Source
	for i := 0; i < 100; i++ {
		c, veth := fmt.Sprintf("%sc%d", inst.Name, i), fmt.Sprintf("v%d", i)
		sources = append(sources, Source{Name: c, Kind: KindContainer, Path: testutil.Netns(b, c)})
		ipIn(b, host, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", c)
		ipIn(b, host, "link", "set", veth, "master", "br0", "up")
		ipIn(b, c, "addr", "add", fmt.Sprintf("172.18.0.%d/16", i+2), "dev", "eth0")
	}
	sources = append(Sources(inst), sources...)
	for range b.N {
		var times []float64
		for i := 0; i < 20; i++ {
			start := time.Now()
			s, err := Collect(context.Background(), sources)
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, float64(time.Since(start).Microseconds())/1000)
			if len(s.Namespaces) != 101 {
				b.Fatalf("read %d namespaces, want 101", len(s.Namespaces))
			}
		}
		b.ReportMetric(percentile(times, 0.5), "p50-ms")
		b.ReportMetric(percentile(times, 1), "max-ms")
	}
}
