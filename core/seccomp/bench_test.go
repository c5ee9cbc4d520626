package seccomp

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// inner is how many times one benchmark iteration repeats what it measures, so that
// -benchtime 1x still gives a figure.
const inner = 1000

// BenchmarkCompileDefault measures Default: the evaluation of Docker's profile and
// its compilation.
func BenchmarkCompileDefault(b *testing.B) {
	var f *Filter
	var err error
	for range b.N {
		start := time.Now()
		for range inner {
			if f, err = Default(dockerCaps); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/inner, "µs/compile")
	}
	b.ReportMetric(float64(len(f.Instructions())), "instructions")
}

// BenchmarkVM measures the default program in x/net/bpf's VM on read, the most common
// syscall, and on socket(AF_MCTP), whose verdict is the last of the longest run of
// argument rules.
func BenchmarkVM(b *testing.B) {
	f, err := Default(dockerCaps)
	if err != nil {
		b.Fatal(err)
	}
	v := newVM(b, f.Instructions())
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"read", seccompData(nativeArch, unix.SYS_READ)},
		{"socket-AF_MCTP", seccompData(nativeArch, unix.SYS_SOCKET, unix.AF_MCTP)},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				start := time.Now()
				for range 100 * inner {
					if v.verdict(b, c.data) != allow {
						b.Fatal("refused")
					}
				}
				b.ReportMetric(float64(time.Since(start).Nanoseconds())/(100*inner), "ns/eval")
			}
		})
	}
}

// allowAll is a filter of one instruction that allows every syscall.
var allowAll = &Filter{prog: []unix.SockFilter{{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ALLOW}}}

// syscallCost times two cheap syscalls in this process without a filter, then with
// one installed (the default one, or allowAll when all is true), and prints the four
// figures in nanoseconds per call: getpid, which the kernel's cache of syscalls a
// filter always allows lets through without running the program, and
// personality(0xffffffff), whose verdict runs the program to the last of Docker's
// personality values.
func syscallCost(all bool) int {
	const calls = 200_000
	cost := func(nr, arg uintptr) float64 {
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			for range calls {
				unix.RawSyscall(nr, arg, 0, 0)
			}
			best = min(best, time.Since(start))
		}
		return float64(best.Nanoseconds()) / calls
	}
	getpid, personality := cost(unix.SYS_GETPID, 0), cost(unix.SYS_PERSONALITY, 0xffffffff)
	f, err := allowAll, error(nil)
	if !all {
		f, err = Default(dockerCaps)
	}
	if err == nil {
		err = install(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(getpid, cost(unix.SYS_GETPID, 0), personality, cost(unix.SYS_PERSONALITY, 0xffffffff))
	return 0
}

// childCosts runs syscallCost in a child and returns its four figures.
func childCosts(b *testing.B, mode string) []float64 {
	out := runChild(b, mode)
	var costs []float64
	for _, f := range strings.Fields(out) {
		c, err := strconv.ParseFloat(f, 64)
		if err != nil {
			b.Fatalf("child printed %q", out)
		}
		costs = append(costs, c)
	}
	if len(costs) != 4 {
		b.Fatalf("child printed %q", out)
	}
	return costs
}

// BenchmarkKernelSyscall measures the cost of a syscall in a child process without a
// filter, with a filter that allows everything in one instruction, and with the
// default filter: the best of five runs of 200000 calls each.
func BenchmarkKernelSyscall(b *testing.B) {
	for range b.N {
		def, all := childCosts(b, "cost-default"), childCosts(b, "cost-allow")
		b.ReportMetric(def[0], "ns/getpid-unfiltered")
		b.ReportMetric(all[1], "ns/getpid-allow-filter")
		b.ReportMetric(def[1], "ns/getpid-default-filter")
		b.ReportMetric(def[2], "ns/personality-unfiltered")
		b.ReportMetric(all[3], "ns/personality-allow-filter")
		b.ReportMetric(def[3], "ns/personality-default-filter")
	}
}
