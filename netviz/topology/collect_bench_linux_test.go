package topology

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// BenchmarkCollect100 reads a host with a bridge and 100 container namespaces joined to
// it by veth pairs (made once), 20 times, and reports the median and worst read.
func BenchmarkCollect100(b *testing.B) {
	inst := testutil.KernelTest(b)
	host := inst.HostNetnsName("host1")
	var script strings.Builder
	fmt.Fprintf(&script, "netns add %s\n-n %s link add br0 type bridge\n-n %s link set br0 up\n", host, host, host)
	var sources []Source
	for i := 0; i < 100; i++ {
		c := fmt.Sprintf("%sc%d", inst.Name, i)
		fmt.Fprintf(&script, "netns add %s\n-n %s link add v%d type veth peer name eth0 netns %s\n-n %s link set v%d master br0 up\n-n %s addr add 172.18.0.%d/16 dev eth0\n",
			c, host, i, c, host, i, c, i+2)
		sources = append(sources, Source{Name: c, Kind: KindContainer, Path: "/run/netns/" + c})
	}
	b.Cleanup(func() {
		for _, s := range sources {
			_ = exec.Command("ip", "netns", "del", s.Name).Run()
		}
		_ = exec.Command("ip", "netns", "del", host).Run()
	})
	for _, line := range strings.Split(strings.TrimSpace(script.String()), "\n") {
		if out, err := exec.Command("ip", strings.Fields(line)...).CombinedOutput(); err != nil {
			b.Fatalf("ip %s: %v: %s", line, err, out)
		}
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
