package seccomp

import (
	"fmt"
	"slices"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Offsets in struct seccomp_data, the input of the program.
const (
	offNr   = 0  // int nr
	offArch = 4  // __u32 arch
	offArgs = 16 // __u64 args[6]
)

// maxArgs is the number of syscall arguments in seccomp_data.
const maxArgs = 6

// rule is what a profile says about one syscall: when every condition on its
// arguments holds, the filter returns ret.
type rule struct {
	args []specs.LinuxSeccompArg
	ret  uint32
}

// span is a run of syscall numbers, from first to the next span's first, that the
// filter treats alike. A span with rules is a single syscall whose verdict depends on
// its arguments; ret is then the verdict when no rule holds.
type span struct {
	first uint32
	ret   uint32
	rules []rule
}

// compile turns an evaluated profile into the program: it checks the architecture,
// refuses x32 syscalls, finds the syscall's span by a binary search on its number and
// returns the span's verdict, testing the arguments for syscalls that have rules.
func compile(p *specs.LinuxSeccomp) ([]unix.SockFilter, error) {
	defaultErrno := uint(unix.EPERM)
	if p.DefaultErrnoRet != nil {
		defaultErrno = *p.DefaultErrnoRet
	}
	def, err := retOf(p.DefaultAction, nil, defaultErrno, "the default action")
	if err != nil {
		return nil, err
	}
	bySyscall := make(map[uint32][]rule)
	for _, sc := range p.Syscalls {
		r, err := ruleOf(sc, defaultErrno)
		if err != nil {
			return nil, err
		}
		for _, name := range sc.Names {
			// libseccomp skips names the architecture does not have, and so do we.
			if nr, ok := lookupSyscall(name); ok {
				bySyscall[nr] = append(bySyscall[nr], r)
			}
		}
	}

	var a asm
	native, kill := a.newLabel(), a.newLabel()
	a.load(offArch)
	a.jump(bpf.JumpEqual, nativeArch, native, kill)
	a.place(kill)
	a.emit(bpf.RetConstant{Val: unix.SECCOMP_RET_KILL_PROCESS})
	a.place(native)
	a.load(offNr)
	if x32Bit != 0 {
		x32, search := a.newLabel(), a.newLabel()
		a.jump(bpf.JumpBitsSet, x32Bit, x32, search)
		a.place(x32)
		a.emit(bpf.RetConstant{Val: unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)})
		a.place(search)
	}
	a.search(spans(bySyscall, def))
	return a.assemble()
}

// ruleOf checks one rule of a profile and returns it with its return value.
func ruleOf(sc specs.LinuxSyscall, defaultErrno uint) (rule, error) {
	what := ruleName(sc.Names)
	ret, err := retOf(sc.Action, sc.ErrnoRet, defaultErrno, what)
	if err != nil {
		return rule{}, err
	}
	for _, arg := range sc.Args {
		if arg.Index >= maxArgs {
			return rule{}, fmt.Errorf("argument index %d in %s: a syscall has arguments 0 to %d", arg.Index, what, maxArgs-1)
		}
		switch arg.Op {
		case specs.OpEqualTo, specs.OpNotEqual, specs.OpLessThan, specs.OpLessEqual,
			specs.OpGreaterThan, specs.OpGreaterEqual, specs.OpMaskedEqual:
		default:
			return rule{}, fmt.Errorf("unknown operator %q in %s: use SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ", arg.Op, what)
		}
	}
	return rule{args: sc.Args, ret: ret}, nil
}

// spans cuts the syscall numbers into runs with one verdict each, in order, from 0
// to the largest number: numbers without rules get the default, consecutive numbers
// with the same verdict share a span.
func spans(bySyscall map[uint32][]rule, def uint32) []span {
	nrs := make([]uint32, 0, len(bySyscall))
	for nr := range bySyscall {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	var out []span
	add := func(s span) {
		if last := len(out) - 1; last >= 0 && out[last].rules == nil && s.rules == nil && out[last].ret == s.ret {
			return
		}
		out = append(out, s)
	}
	next := uint32(0)
	for _, nr := range nrs {
		if nr > next {
			add(span{first: next, ret: def})
		}
		add(verdict(nr, bySyscall[nr], def))
		next = nr + 1
	}
	add(span{first: next, ret: def})
	return out
}

// verdict is the span of one syscall with rules. The first rule whose conditions hold
// decides, so rules after one without conditions never do, nor do rules at the end
// that return the default.
func verdict(nr uint32, rules []rule, def uint32) span {
	if i := slices.IndexFunc(rules, func(r rule) bool { return len(r.args) == 0 }); i >= 0 {
		rules = rules[:i+1]
	}
	for len(rules) > 0 && rules[len(rules)-1].ret == def {
		rules = rules[:len(rules)-1]
	}
	switch {
	case len(rules) == 0:
		return span{first: nr, ret: def}
	case len(rules) == 1 && len(rules[0].args) == 0:
		return span{first: nr, ret: rules[0].ret}
	}
	return span{first: nr, ret: def, rules: rules}
}

// search emits a binary search on the syscall number in A over spans, which cover
// every number the search can meet, and the verdict of each span at its leaf.
func (a *asm) search(spans []span) {
	if len(spans) == 1 {
		a.rules(spans[0])
		return
	}
	mid := len(spans) / 2
	low, high := a.newLabel(), a.newLabel()
	a.jump(bpf.JumpGreaterOrEqual, spans[mid].first, high, low)
	a.place(low)
	a.search(spans[:mid])
	a.place(high)
	a.search(spans[mid:])
}

// rules emits the verdict of a span: its rules in order, each returning its action
// when all its conditions hold, then the span's own verdict.
func (a *asm) rules(s span) {
	for rules := s.rules; len(rules) > 0; {
		if n := equalRun(rules); n > 1 {
			a.equalities(rules[:n])
			rules = rules[n:]
			continue
		}
		next := a.newLabel()
		for _, arg := range rules[0].args {
			a.condition(arg, next)
		}
		a.emit(bpf.RetConstant{Val: rules[0].ret})
		a.place(next)
		rules = rules[1:]
	}
	a.emit(bpf.RetConstant{Val: s.ret})
}

// equalRun returns how many rules, from the first, return the same when one argument
// equals a value, the same argument with values of the same high word: Docker's rules
// for socket families and personality values are such runs.
func equalRun(rules []rule) int {
	alike := func(r rule) bool {
		first := rules[0].args
		return len(r.args) == 1 && r.args[0].Op == specs.OpEqualTo && len(first) == 1 &&
			r.args[0].Index == first[0].Index && r.args[0].Value>>32 == first[0].Value>>32 &&
			r.ret == rules[0].ret
	}
	n := 0
	for n < len(rules) && alike(rules[n]) {
		n++
	}
	return n
}

// equalities emits a run of rules found by equalRun: the high word is tested once,
// then the low word against each value in turn, all going to one return.
func (a *asm) equalities(run []rule) {
	c := run[0].args[0]
	lo := uint32(offArgs + 8*c.Index)
	low, match, next := a.newLabel(), a.newLabel(), a.newLabel()
	a.load(lo + 4)
	a.jump(bpf.JumpEqual, uint32(c.Value>>32), low, next)
	a.place(low)
	a.load(lo)
	for i, r := range run {
		miss := next
		if i < len(run)-1 {
			miss = a.newLabel()
		}
		a.jump(bpf.JumpEqual, uint32(r.args[0].Value), match, miss)
		if miss != next {
			a.place(miss)
		}
	}
	a.place(match)
	a.emit(bpf.RetConstant{Val: run[0].ret})
	a.place(next)
}
