package seccomp

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// label names a position in a program; jumps go to labels, and the layout turns
// them into the forward offsets of classic BPF.
type label int

// step is one element of a program before layout: an instruction, a conditional
// jump to two labels, or the position of a label.
type step struct {
	ins bpf.Instruction // a plain instruction (load, ALU, return), or nil

	// A conditional jump when ins is nil and mark is false.
	cond   bpf.JumpTest
	val    uint32
	jt, jf label

	mark bool // the position of label at
	at   label

	// Set by the layout: a jump target beyond 255 instructions is reached through a
	// `ja` right after the conditional jump.
	farT, farF bool
}

// asm collects the steps of a program.
type asm struct {
	steps  []step
	labels int
}

// newLabel returns a label not yet placed.
func (a *asm) newLabel() label {
	a.labels++
	return label(a.labels - 1)
}

// place puts label l at the next instruction.
func (a *asm) place(l label) { a.steps = append(a.steps, step{mark: true, at: l}) }

// emit appends plain instructions.
func (a *asm) emit(ins ...bpf.Instruction) {
	for _, i := range ins {
		a.steps = append(a.steps, step{ins: i})
	}
}

// load appends a load of the 32-bit word at off in seccomp_data into A.
func (a *asm) load(off uint32) { a.emit(bpf.LoadAbsolute{Off: off, Size: 4}) }

// jump appends "if A cond val goto jt else goto jf".
func (a *asm) jump(cond bpf.JumpTest, val uint32, jt, jf label) {
	a.steps = append(a.steps, step{cond: cond, val: val, jt: jt, jf: jf})
}

// size is the number of instructions a step lays out to.
func (s *step) size() int {
	switch {
	case s.mark:
		return 0
	case s.ins != nil:
		return 1
	}
	n := 1
	if s.farT {
		n++
	}
	if s.farF {
		n++
	}
	return n
}

// positions returns the instruction index of every label and the program length.
func (a *asm) positions() ([]int, int) {
	pos := make([]int, a.labels)
	n := 0
	for i := range a.steps {
		if a.steps[i].mark {
			pos[a.steps[i].at] = n
		}
		n += a.steps[i].size()
	}
	return pos, n
}

// layout marks every jump that cannot reach its target in 255 instructions as far.
// Far jumps only make the program longer, so the loop ends.
func (a *asm) layout() {
	for changed := true; changed; {
		changed = false
		pos, _ := a.positions()
		n := 0
		for i := range a.steps {
			s := &a.steps[i]
			if s.ins == nil && !s.mark {
				dt, df := s.offsets(pos, n)
				if !s.farT && dt > 255 {
					s.farT, changed = true, true
				}
				if !s.farF && df > 255 {
					s.farF, changed = true, true
				}
			}
			n += s.size()
		}
	}
}

// offsets returns the skips of the conditional jump at instruction n: to its
// targets, or to the `ja` steps of far targets.
func (s *step) offsets(pos []int, n int) (dt, df int) {
	dt, df = pos[s.jt]-n-1, pos[s.jf]-n-1
	if s.farT {
		dt = 0
	}
	switch {
	case s.farF && s.farT:
		df = 1
	case s.farF:
		df = 0
	}
	return dt, df
}

// assemble lays the program out and returns it in the form seccomp(2) takes.
func (a *asm) assemble() ([]unix.SockFilter, error) {
	a.layout()
	pos, total := a.positions()
	if total > unix.BPF_MAXINSNS {
		return nil, fmt.Errorf("the profile compiles to %d instructions, more than the kernel's limit of %d: merge rules with the same action and arguments, or drop rules", total, unix.BPF_MAXINSNS)
	}
	prog := make([]bpf.Instruction, 0, total)
	for i := range a.steps {
		s := &a.steps[i]
		switch {
		case s.mark:
			continue
		case s.ins != nil:
			prog = append(prog, s.ins)
			continue
		}
		n := len(prog)
		if pos[s.jt] < n+s.size() || pos[s.jf] < n+s.size() {
			return nil, fmt.Errorf("internal error: a jump at instruction %d goes backwards", n)
		}
		dt, df := s.offsets(pos, n)
		prog = append(prog, bpf.JumpIf{Cond: s.cond, Val: s.val, SkipTrue: uint8(dt), SkipFalse: uint8(df)})
		if s.farT {
			prog = append(prog, bpf.Jump{Skip: uint32(pos[s.jt] - len(prog) - 1)})
		}
		if s.farF {
			prog = append(prog, bpf.Jump{Skip: uint32(pos[s.jf] - len(prog) - 1)})
		}
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	out := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		out[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return out, nil
}
