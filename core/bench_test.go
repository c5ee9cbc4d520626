package core

import (
	"errors"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"workbench/testutil"
)

// benchRuns is how many whole-process runs one benchmark iteration measures.
const benchRuns = 50

// measure runs the binary with args benchRuns times and reports the p50 and p95 of
// the wall time of each whole process, in milliseconds.
func measure(b *testing.B, args ...string) {
	for i := 0; i < b.N; i++ {
		times := make([]float64, 0, benchRuns)
		for j := 0; j < benchRuns; j++ {
			took, _ := testutil.Timed(b, args...)
			times = append(times, float64(took.Microseconds())/1000)
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
	b.Cleanup(func() { testutil.Run(b, "", "reset") })
	// The lab and the built-in image are made once, outside the measurement.
	testutil.MustRun(b, "run", "--rm", "busybox", "true")
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
	testutil.MustRun(b, "run", "-d", "--name", "bench", "busybox", "sleep", "100000")
	b.ResetTimer()
	measure(b, "exec", "bench", "true")
}

// BenchmarkIdleContainerMemory starts 50 detached `sleep` containers and reports what
// each costs in the machine's used memory (MemTotal - MemAvailable, after dropping
// the page cache so that only what the containers hold counts), with the monitor's
// resident size.
func BenchmarkIdleContainerMemory(b *testing.B) {
	benchLab(b)
	for i := 0; i < b.N; i++ {
		dropCaches(b)
		before := usedMemory(b)
		for j := 0; j < 50; j++ {
			testutil.MustRun(b, "run", "-d", "busybox", "sleep", "100000")
		}
		time.Sleep(time.Second)
		dropCaches(b)
		after := usedMemory(b)
		b.ReportMetric(float64(after-before)/50/1024, "KiB/container")
		c := psJSON(b)[0]
		if rss, err := residentKiB(c.MonitorPid); err == nil {
			b.ReportMetric(float64(rss), "monitor-RSS-KiB")
		}
		b.StopTimer()
		testutil.MustRun(b, "reset", "--keep-images")
		testutil.MustRun(b, "run", "--rm", "busybox", "true")
		b.StartTimer()
	}
}

// usedMemory is the machine's MemTotal minus MemAvailable, in bytes.
func usedMemory(b *testing.B) int64 {
	b.Helper()
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		b.Fatal(err)
	}
	fields := map[string]int64{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			fields[strings.TrimSuffix(f[0], ":")] = n * 1024
		}
	}
	return fields["MemTotal"] - fields["MemAvailable"]
}

// dropCaches writes back and drops the page cache and the reclaimable slabs.
func dropCaches(b *testing.B) {
	b.Helper()
	syscall.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3"), 0); err != nil {
		b.Fatal(err)
	}
}

// residentKiB is a process's resident set size.
func residentKiB(pid int) (int64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS")
}
