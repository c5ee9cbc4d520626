package seccomp

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	profiles "github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// reference is the meaning of a profile written plainly, rule after rule, to check
// the program against: the native architecture only, no x32, the first rule of the
// syscall whose conditions all hold, else the default action.
func reference(t testing.TB, p *specs.LinuxSeccomp, arch, nr uint32, args []uint64) uint32 {
	if arch != nativeArch {
		return unix.SECCOMP_RET_KILL_PROCESS
	}
	if nr&x32Bit != 0 {
		return enosys
	}
	defaultErrno := uint(unix.EPERM)
	if p.DefaultErrnoRet != nil {
		defaultErrno = *p.DefaultErrnoRet
	}
	ret := func(act specs.LinuxSeccompAction, errnoRet *uint) uint32 {
		r, err := retOf(act, errnoRet, defaultErrno, "a rule")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, sc := range p.Syscalls {
		if !slices.ContainsFunc(sc.Names, func(name string) bool {
			n, ok := lookupSyscall(name)
			return ok && n == nr
		}) {
			continue
		}
		if !slices.ContainsFunc(sc.Args, func(c specs.LinuxSeccompArg) bool { return !holds(c, args[c.Index]) }) {
			return ret(sc.Action, sc.ErrnoRet)
		}
	}
	return ret(p.DefaultAction, nil)
}

// holds tells whether an argument meets a condition.
func holds(c specs.LinuxSeccompArg, v uint64) bool {
	switch c.Op {
	case specs.OpEqualTo:
		return v == c.Value
	case specs.OpNotEqual:
		return v != c.Value
	case specs.OpLessThan:
		return v < c.Value
	case specs.OpLessEqual:
		return v <= c.Value
	case specs.OpGreaterThan:
		return v > c.Value
	case specs.OpGreaterEqual:
		return v >= c.Value
	case specs.OpMaskedEqual:
		return v&c.Value == c.ValueTwo
	}
	panic("unknown operator " + c.Op)
}

// probes are argument values around the values of the conditions of a syscall's
// rules: equal, one off, and the same with the other word changed, so that every
// comparison meets its edges in both words.
func probes(p *specs.LinuxSeccomp, nr uint32) []uint64 {
	out := []uint64{0, 1, 0xffffffff, 1 << 32, ^uint64(0)}
	for _, sc := range p.Syscalls {
		if !slices.ContainsFunc(sc.Names, func(name string) bool {
			n, ok := lookupSyscall(name)
			return ok && n == nr
		}) {
			continue
		}
		for _, c := range sc.Args {
			for _, v := range []uint64{c.Value, c.ValueTwo} {
				out = append(out, v, v-1, v+1, v^1<<32, v+1<<32, v-1<<32, v|c.ValueTwo, v&^1)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkAgainstReference runs the program on every syscall the profile names and the
// numbers next to them and compares its verdicts with the reference. Each probe of a
// syscall goes into each argument in turn, the other arguments being random probes.
func checkAgainstReference(t *testing.T, p *specs.LinuxSeccomp, prog []unix.SockFilter, rng *rand.Rand) {
	t.Helper()
	v := newVM(t, prog)
	nrs := []uint32{0, 1000, 0xffffffff, x32Bit}
	for _, sc := range p.Syscalls {
		for _, name := range sc.Names {
			if nr, ok := lookupSyscall(name); ok {
				nrs = append(nrs, nr, nr-1, nr+1)
			}
		}
	}
	slices.Sort(nrs)
	nrs = slices.Compact(nrs)
	args := make([]uint64, maxArgs)
	failures := 0
	for _, nr := range nrs {
		vals := probes(p, nr)
		for i := range args {
			for _, val := range vals {
				for j := range args {
					args[j] = vals[rng.IntN(len(vals))]
				}
				args[i] = val
				for _, arch := range []uint32{nativeArch, foreignArch()} {
					got := v.verdict(t, seccompData(arch, nr, args...))
					want := reference(t, p, arch, nr, args)
					if got != want {
						t.Errorf("arch %#x nr %d args %#x: verdict %#x, want %#x", arch, nr, args, got, want)
						if failures++; failures > 10 {
							t.FailNow()
						}
					}
				}
			}
		}
	}
}

// TestDefaultMatchesReference compares the default program with the plain reading
// of the evaluated profile, for Docker's capabilities and for all of them.
func TestDefaultMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, caps := range [][]string{dockerCaps, append(dockerCaps[:len(dockerCaps):len(dockerCaps)], "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_TIME", "CAP_DAC_READ_SEARCH", "CAP_BPF")} {
		p, err := profiles.GetDefaultProfile(specWith(caps))
		if err != nil {
			t.Fatal(err)
		}
		f, err := newFilter(p)
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstReference(t, p, f.Instructions(), rng)
	}
}

// randomProfile makes a profile of n rules over a few syscalls, with every operator,
// action and argument, values in both words, runs of rules that differ only in a
// value, and a name no architecture has.
func randomProfile(rng *rand.Rand, n int, syscalls []string) *specs.LinuxSeccomp {
	ops := []specs.LinuxSeccompOperator{specs.OpEqualTo, specs.OpNotEqual, specs.OpLessThan,
		specs.OpLessEqual, specs.OpGreaterThan, specs.OpGreaterEqual, specs.OpMaskedEqual}
	acts := []specs.LinuxSeccompAction{specs.ActAllow, specs.ActErrno, specs.ActTrap,
		specs.ActLog, specs.ActKill, specs.ActKillProcess, specs.ActTrace}
	value := func() uint64 {
		switch rng.IntN(4) {
		case 0:
			return uint64(rng.IntN(4))
		case 1:
			return uint64(rng.Uint32())
		case 2:
			return uint64(rng.IntN(3))<<32 | uint64(rng.IntN(3))
		}
		return rng.Uint64()
	}
	errno := uint(unix.EACCES)
	p := &specs.LinuxSeccomp{DefaultAction: acts[rng.IntN(len(acts))], DefaultErrnoRet: &errno}
	for range n {
		if last := len(p.Syscalls) - 1; last >= 0 && len(p.Syscalls[last].Args) == 1 && rng.IntN(3) == 0 {
			// The same rule for another value, as Docker's rules for socket families.
			sc := p.Syscalls[last]
			sc.Args = []specs.LinuxSeccompArg{sc.Args[0]}
			sc.Args[0].Value ^= uint64(1 + rng.IntN(3))
			p.Syscalls = append(p.Syscalls, sc)
			continue
		}
		sc := specs.LinuxSyscall{Action: acts[rng.IntN(len(acts))]}
		for range 1 + rng.IntN(2) {
			sc.Names = append(sc.Names, syscalls[rng.IntN(len(syscalls))])
		}
		if sc.Action == specs.ActErrno && rng.IntN(2) == 0 {
			e := uint(1 + rng.IntN(maxErrno))
			sc.ErrnoRet = &e
		}
		for range rng.IntN(4) {
			sc.Args = append(sc.Args, specs.LinuxSeccompArg{
				Index: uint(rng.IntN(maxArgs)), Value: value(), ValueTwo: value(), Op: ops[rng.IntN(len(ops))],
			})
		}
		p.Syscalls = append(p.Syscalls, sc)
	}
	return p
}

// TestRandomProfilesMatchReference compares programs of random profiles, small and
// large enough to need far jumps, with the plain reading of each profile.
func TestRandomProfilesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"read", "write", "openat", "close", "socket", "personality", "no_such_syscall"}
	for i := range 40 {
		n := 1 + rng.IntN(12)
		if i%8 == 0 {
			n = 150 // blocks and jumps beyond 255 instructions
		}
		p := randomProfile(rng, n, names)
		prog, err := compile(p)
		if err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		checkAgainstReference(t, p, prog, rng)
	}
}

// TestFarJumps compiles a profile whose argument rules for one syscall and whose
// search tree are longer than a conditional jump reaches, and checks that the program
// jumps through `ja` and still means what the profile says.
func TestFarJumps(t *testing.T) {
	p := personalityRules(300, func(v uint64) []specs.LinuxSeccompArg {
		return []specs.LinuxSeccompArg{{Index: 0, Value: v << 20, Op: specs.OpEqualTo}}
	})
	// Every other syscall gets a rule of its own, so the search tree is large too.
	for i, s := range syscallTable {
		if i%2 == 0 {
			p.Syscalls = append(p.Syscalls, specs.LinuxSyscall{
				Names: []string{s.name}, Action: specs.ActAllow,
				Args: []specs.LinuxSeccompArg{{Index: 1, Value: 7, Op: specs.OpNotEqual}},
			})
		}
	}
	prog, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(prog, func(ins unix.SockFilter) bool { return ins.Code == unix.BPF_JMP|unix.BPF_JA }) {
		t.Errorf("a program of %d instructions has no ja", len(prog))
	}
	checkAgainstReference(t, p, prog, rand.New(rand.NewPCG(5, 6)))
}

// TestTooLarge checks that a profile beyond the kernel's 4096 instructions is refused
// with a clear error.
func TestTooLarge(t *testing.T) {
	p := personalityRules(1000, func(v uint64) []specs.LinuxSeccompArg {
		return []specs.LinuxSeccompArg{{Index: 0, Value: v, Op: specs.OpGreaterThan}, {Index: 1, Value: v, Op: specs.OpEqualTo}}
	})
	_, err := compile(p)
	if err == nil || !strings.Contains(err.Error(), "more than the kernel's limit of 4096") {
		t.Fatalf("compile of 1000 rules: %v, want an error about the limit of 4096 instructions", err)
	}
}

// personalityRules is a profile that fails every syscall but personality, which n
// rules allow, the arguments of rule v (from 0) being args(v).
func personalityRules(n uint64, args func(v uint64) []specs.LinuxSeccompArg) *specs.LinuxSeccomp {
	p := &specs.LinuxSeccomp{DefaultAction: specs.ActErrno}
	for v := range n {
		p.Syscalls = append(p.Syscalls, specs.LinuxSyscall{Names: []string{"personality"}, Action: specs.ActAllow, Args: args(v)})
	}
	return p
}
