package script

import (
	"context"
	"sort"
	"testing"
	"time"
)

// BenchmarkKernelChecks measures what one expectation costs on two namespaces: a ping,
// a TCP connection, a capture on two interfaces and a counter read around a command,
// 20 of each, reported as medians.
func BenchmarkKernelChecks(b *testing.B) {
	lab := newPairLab(b)
	env := &Env{Run: lab.run, Lab: lab}
	kinds := []struct{ name, line string }{
		{"ping", "expect ping @a 10.99.0.2"},
		{"tcp", "expect tcp @a 10.99.0.2:8080"},
		{"capture", "expect capture @b:vb icmp and @a:va icmp within 3s while in a busybox ping -c 1 -W 1 10.99.0.2"},
		{"counter", `expect counter @b filter INPUT "echo in" grows while in a busybox ping -c 1 -W 1 10.99.0.2`},
	}
	for i := 0; i < b.N; i++ {
		for _, k := range kinds {
			s, err := Parse("b.lab", []byte(k.line))
			if err != nil {
				b.Fatal(err)
			}
			var took []time.Duration
			for j := 0; j < 20; j++ {
				start := time.Now()
				if v := s.Steps[0].Check.Verify(context.Background(), env); !v.Pass {
					b.Fatalf("%s: %s", k.name, v.Detail)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(x, y int) bool { return took[x] < took[y] })
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, k.name+"-p50-ms")
		}
	}
}
