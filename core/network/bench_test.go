package network

import (
	"fmt"
	"os"
	"testing"
	"time"

	"workbench/testutil"
)

// BenchmarkPublish1000Ports publishes 1000 ports of one container in one call: one
// iptables-restore batch of 3000 rules.
func BenchmarkPublish1000Ports(b *testing.B) {
	m, inst := newLab(b)
	ctx := b.Context()
	_, a := attached(b, m, inst, "p", "p")
	specs := make([]PortSpec, 1000)
	for i := range specs {
		specs[i] = PortSpec{HostPort: 20000 + i, ContainerPort: 80, Proto: "tcp"}
	}
	for b.Loop() {
		start := time.Now()
		bindings, err := m.Publish(ctx, a, specs)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "publish-ms")
		start = time.Now()
		if err := m.Unpublish(ctx, bindings); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "unpublish-ms")
	}
}

// BenchmarkAttach250 attaches 250 endpoints to host1's default network one after
// another, each in a namespace of its own, and compares the last ten with the first ten.
func BenchmarkAttach250(b *testing.B) {
	m, inst := newLab(b)
	ctx := b.Context()
	const n = 250
	paths := make([]string, n)
	for i := range paths {
		paths[i] = newSandbox(b, inst, fmt.Sprint(i))
	}
	for b.Loop() {
		took := make([]time.Duration, n)
		start := time.Now()
		for i := range paths {
			t0 := time.Now()
			if _, err := m.Attach(ctx, AttachRequest{ContainerID: fmt.Sprintf("c%03d", i), NetnsPath: paths[i]}); err != nil {
				b.Fatal(err)
			}
			took[i] = time.Since(t0)
		}
		reportFirstAndLast(b, took, time.Since(start))
	}
}

// BenchmarkRun250Detached starts 250 detached containers on host1's default bridge
// through the workbench binary, one after another, and compares the last ten with the
// first ten.
func BenchmarkRun250Detached(b *testing.B) {
	inst := testutil.KernelTest(b)
	b.Cleanup(func() {
		testutil.MustRun(b, "reset")
		os.RemoveAll(inst.RunDir)
	})
	testutil.MustRun(b, "host", "up")
	const n = 250
	for b.Loop() {
		took := make([]time.Duration, n)
		start := time.Now()
		for i := range took {
			took[i], _ = testutil.Timed(b, "run", "-d", "busybox", "sleep", "600")
		}
		reportFirstAndLast(b, took, time.Since(start))
	}
}

// reportFirstAndLast reports the total time of a run of operations and the mean time
// of its first ten and last ten, to tell whether operations grow slower as there are
// more of them.
func reportFirstAndLast(b *testing.B, took []time.Duration, total time.Duration) {
	var first, last time.Duration
	for i := 0; i < 10; i++ {
		first += took[i]
		last += took[len(took)-10+i]
	}
	b.ReportMetric(float64(total.Milliseconds()), "total-ms")
	b.ReportMetric(float64(first.Microseconds())/10000, "first10-ms/op")
	b.ReportMetric(float64(last.Microseconds())/10000, "last10-ms/op")
	b.ReportMetric(float64(last)/float64(first), "last/first")
}
