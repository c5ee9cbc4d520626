package cli

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"workbench/core/cgroup"
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

func TestLimitFlagsRejectBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--cpus", "0"}, "--cpus 0 is invalid"},
		{[]string{"--cpus", "-1"}, "--cpus -1 is invalid"},
		{[]string{"--cpus", "64"}, "more than the"},
		{[]string{"--cpuset-cpus", "63"}, "does not have"},
		{[]string{"--cpuset-cpus", ""}, "empty"},
		{[]string{"--memory", "12q"}, "unknown unit"},
		{[]string{"--memory", "6k"}, "below what a process needs"},
		{[]string{"--memory", "0"}, "at least 6m"},
		{[]string{"--memory-swap", "0"}, "--memory-swap 0"},
		{[]string{"--pids-limit", "0"}, "--pids-limit 0"},
		{[]string{"--cpu-quota", "0"}, "--cpu-quota 0"},
		{[]string{"--cpu-period", "0"}, "--cpu-period 0"},
		{[]string{"--cpu-shares", "0"}, "--cpu-shares 0"},
		{[]string{"--cpus", "1", "--cpu-quota", "5000"}, "cannot be combined"},
	} {
		_, err := parseLimitFlags(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line with %q", c.args, err, c.want)
		}
	}
}
