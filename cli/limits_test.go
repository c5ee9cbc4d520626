package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"workbench/core/cgroup"
	"workbench/testutil"
)

func parseLimitFlags(t *testing.T, args ...string) (cgroup.Limits, error) {
	t.Helper()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	lf := addLimitFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cgroup.Limits{}, err
	}
	return lf.limits()
}

func TestLimitFlags(t *testing.T) {
	l, err := parseLimitFlags(t, "--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "-m", "512m", "--memory-swap", "1g", "--pids-limit", "10")
	want := cgroup.Limits{CPUs: 0.5, CPUShares: 512, CpusetCpus: "0", Memory: 512 << 20, MemorySwap: 1 << 30, PidsLimit: 10}
	if err != nil || l != want {
		t.Fatalf("limits = %+v, %v; want %+v", l, err, want)
	}
	if l, err := parseLimitFlags(t, "--cpu-period", "50000", "--cpu-quota", "25000", "--memory", "64m", "--memory-swap", "-1"); err != nil || l.CPUPeriod != 50000 || l.CPUQuota != 25000 || l.MemorySwap != -1 {
		t.Fatalf("period/quota = %+v, %v", l, err)
	}
	if l, err := parseLimitFlags(t); err != nil || !l.IsZero() {
		t.Fatalf("no flags = %+v, %v", l, err)
	}
}

// refusedLimits are limit flags out of the kernel's range or that do not go together,
// and how the one line that refuses them starts.
var refusedLimits = []struct {
	flags []string
	want  string
}{
	{[]string{"--cpus", "0"}, "--cpus 0 is out of range: use 0.01 to"},
	{[]string{"--cpus", "-1"}, "--cpus -1 is out of range: use 0.01 to"},
	{[]string{"--cpus", "4096"}, "--cpus 4096 is more than the "},
	{[]string{"--cpu-period", "0"}, "--cpu-period 0 is out of range: use 1000 to 1000000 microseconds"},
	{[]string{"--cpu-period", "1000001"}, "--cpu-period 1000001 is out of range: use 1000 to 1000000 microseconds"},
	{[]string{"--cpu-quota", "0"}, "--cpu-quota 0 is out of range: use 1000 to 17592186044415 microseconds, or -1 for no quota"},
	{[]string{"--cpu-quota", "17592186044416"}, "--cpu-quota 17592186044416 is out of range: use 1000 to 17592186044415 microseconds, or -1 for no quota"},
	{[]string{"--cpu-shares", "0"}, "--cpu-shares 0 is out of range: use 2 to 262144 (1024 is the default weight)"},
	{[]string{"-c", "1"}, "--cpu-shares 1 is out of range: use 2 to 262144 (1024 is the default weight)"},
	{[]string{"--cpuset-cpus", "4095"}, "--cpuset-cpus \"4095\" names CPU 4095, which this machine does not have: use CPUs "},
	{[]string{"--cpuset-cpus", ""}, "--cpuset-cpus is empty: name CPUs such as 0 or 0-1"},
	{[]string{"--memory", "0"}, "--memory 0 is out of range: give a size of at least 6m, e.g. --memory 64m"},
	{[]string{"--memory", "6k"}, "--memory 6KiB is below what a process needs: use 6m to 1024t"},
	{[]string{"--memory", "5m"}, "--memory 5MiB is below what a process needs: use 6m to 1024t"},
	{[]string{"--memory", "12q"}, "--memory: memory size \"12q\" has an unknown unit \"q\": use b, k, m, g or t, e.g. 512m"},
	{[]string{"--memory", "2000t"}, "--memory: memory size \"2000t\" is more than any machine has: use at most 1024t"},
	{[]string{"--memory-swap", "0"}, "--memory-swap 0 is out of range: give a size at least --memory, or -1 for unlimited swap"},
	{[]string{"--pids-limit", "0"}, "--pids-limit 0 would stop the container from starting any process: use 1 to 4194304, or -1 for no limit"},
	{[]string{"--pids-limit", "-2"}, "--pids-limit -2 is out of range: use 1 to 4194304, or -1 for no limit"},
	{[]string{"--pids-limit", "4294967296"}, "--pids-limit 4294967296 is out of range: use 1 to 4194304, or -1 for no limit"},
	{[]string{"--cpus", "1", "--cpu-quota", "5000"}, "--cpus cannot be combined with --cpu-period or --cpu-quota"},
}

func TestLimitFlagsRejectBadInput(t *testing.T) {
	for _, c := range refusedLimits {
		_, err := parseLimitFlags(t, c.flags...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line starting %q", c.flags, err, c.want)
		}
	}
}

// TestRunAndUpdateRefuseLimitsOutOfRange runs the commands as a person would: a limit
// out of the kernel's range gets one line naming the flag, the value and the range,
// and nothing is made (no lab, no container, no cgroup).
func TestRunAndUpdateRefuseLimitsOutOfRange(t *testing.T) {
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { Run(context.Background(), []string{"reset"}, strings.NewReader(""), io.Discard, io.Discard) })
	for _, c := range refusedLimits {
		for _, cmd := range [][]string{{"run"}, {"update"}} {
			args := append(append(cmd, c.flags...), "busybox", "true")
			var out, errb bytes.Buffer
			code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
			msg := errb.String()
			if code != failStatus(args) || !strings.HasPrefix(msg, "workbench: "+c.want) || strings.Count(msg, "\n") != 1 {
				t.Errorf("%v: status %d, stderr %q; want one line starting %q", args, code, msg, "workbench: "+c.want)
			}
		}
	}
	for _, p := range []string{inst.RunDir, inst.DataDir, "/sys/fs/cgroup/pids" + inst.CgroupParent()} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a refused run made %s", p)
		}
	}
}

// FuzzLimitFlags gives each limit flag arbitrary values, as `run` and `update` parse
// them: a refusal is one line that starts with the flag and shows no parser
// internals; what is accepted passes Validate.
func FuzzLimitFlags(f *testing.F) {
	names := []string{"cpus", "cpu-period", "cpu-quota", "cpu-shares", "cpuset-cpus", "memory", "memory-swap", "pids-limit"}
	for i, v := range []string{"0.5", "100000", "-1", "512", "0-1", "64m", "-1", "4294967296"} {
		f.Add(uint8(i), v)
		f.Add(uint8(i), "lots")
	}
	for _, v := range []string{"", "0", "NaN", "1e400", "99999999999999999999", "2000t", "1.5.5m", "0x10", "-0", " 1", "1 2"} {
		f.Add(uint8(0), v)
	}
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		name := names[int(which)%len(names)]
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		lf := addLimitFlags(fs)
		err := fs.Parse([]string{"--" + name + "=" + value})
		if err != nil {
			err = flagError(&cobra.Command{Use: "run"}, err)
		} else {
			var l cgroup.Limits
			if l, err = lf.limits(); err == nil {
				if verr := l.Validate(); verr != nil {
					t.Fatalf("--%s=%q: limits() took %+v, which Validate refuses: %v", name, value, l, verr)
				}
				return
			}
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "--"+name) || strings.Contains(msg, "\n") {
			t.Fatalf("--%s=%q: %q is not one line that starts with the flag", name, value, msg)
		}
		rest := strings.Replace(msg, strconv.Quote(value), "", 1)
		for _, w := range goInternals {
			if strings.Contains(rest, w) {
				t.Fatalf("--%s=%q: %q shows %q", name, value, msg, w)
			}
		}
	})
}
