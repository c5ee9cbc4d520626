package core

import (
	"os/exec"
	"sort"
	"testing"
	"time"

	"workbench/testutil"
)

// benchRuns is how many whole-process runs one benchmark iteration measures.
const benchRuns = 50

// measure runs the binary with args benchRuns times and reports the p50 and p95 of
// the wall time of each whole process, in milliseconds.
func measure(b *testing.B, args ...string) {
	bin := testutil.Binary(b)
	for i := 0; i < b.N; i++ {
		times := make([]float64, 0, benchRuns)
		for j := 0; j < benchRuns; j++ {
			start := time.Now()
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				b.Fatalf("workbench %v: %v: %s", args, err, out)
			}
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
		sort.Float64s(times)
		b.ReportMetric(times[len(times)/2], "p50-ms")
		b.ReportMetric(times[len(times)*95/100], "p95-ms")
		b.ReportMetric(times[0], "min-ms")
	}
}

func benchLab(b *testing.B) {
	testutil.RequireRoot(b)
	testutil.NewInstance(b)
	b.Cleanup(func() { _ = exec.Command(testutil.Binary(b), "reset").Run() })
	// The lab and the built-in image are made once, outside the measurement.
	mustWB(b, "run", "--rm", "busybox", "true")
}

// BenchmarkRunRm measures `workbench run --rm busybox true`: a container on host1's
// bridge (veth, address, hosts file), its cgroup, namespaces, overlay and pivot_root,
// then its removal.
func BenchmarkRunRm(b *testing.B) {
	benchLab(b)
	b.ResetTimer()
	measure(b, "run", "--rm", "busybox", "true")
}

// BenchmarkRunRmNetNone is the same with --net none: the engine's own cost.
func BenchmarkRunRmNetNone(b *testing.B) {
	benchLab(b)
	b.ResetTimer()
	measure(b, "run", "--rm", "--net", "none", "busybox", "true")
}

// BenchmarkExec measures `workbench exec NAME true` in a running container.
func BenchmarkExec(b *testing.B) {
	benchLab(b)
	mustWB(b, "run", "-d", "--name", "bench", "busybox", "sleep", "100000")
	b.ResetTimer()
	measure(b, "exec", "bench", "true")
}
