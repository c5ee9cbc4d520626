package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// node is a boolean test over a packet.
type node interface{}

type (
	andNode struct{ a, b node }
	orNode  struct{ a, b node }
	notNode struct{ x node }
	// atom loads a value (after the pre instructions), masks it if mask is not 0, and
	// compares it with val.
	atom struct {
		pre  []bpf.Instruction
		load bpf.Instruction
		mask uint32
		cond bpf.JumpTest
		val  uint32
	}
)

// DefaultSnaplen is the number of bytes kept of each packet, as tcpdump keeps.
const DefaultSnaplen = 262144

// Compile compiles a tcpdump-style expression into a classic BPF program that returns
// snaplen for a packet to keep and 0 for one to drop. An empty expression keeps all.
func Compile(expr string, snaplen uint32) ([]bpf.Instruction, error) {
	tree, err := parse(expr)
	if err != nil {
		return nil, err
	}
	if tree == nil {
		return []bpf.Instruction{bpf.RetConstant{Val: snaplen}}, nil
	}
	g := &codegen{}
	accept, reject := g.newLabel(), g.newLabel()
	g.emit(tree, accept, reject)
	g.place(accept)
	g.ins = append(g.ins, bpf.RetConstant{Val: snaplen})
	g.place(reject)
	g.ins = append(g.ins, bpf.RetConstant{Val: 0})
	return g.resolve()
}

// codegen emits instructions whose jumps name labels, then resolves them to skips.
type codegen struct {
	ins    []bpf.Instruction
	jumps  []pendingJump
	labels []int // label -> instruction index, -1 until placed
}

type pendingJump struct{ at, ifTrue, ifFalse int }

func (g *codegen) newLabel() int {
	g.labels = append(g.labels, -1)
	return len(g.labels) - 1
}

func (g *codegen) place(l int) { g.labels[l] = len(g.ins) }

// emit writes code that jumps to ifTrue when n holds and to ifFalse otherwise. Both
// labels are placed after the code, so every jump goes forward as BPF requires.
func (g *codegen) emit(n node, ifTrue, ifFalse int) {
	switch n := n.(type) {
	case andNode:
		mid := g.newLabel()
		g.emit(n.a, mid, ifFalse)
		g.place(mid)
		g.emit(n.b, ifTrue, ifFalse)
	case orNode:
		mid := g.newLabel()
		g.emit(n.a, ifTrue, mid)
		g.place(mid)
		g.emit(n.b, ifTrue, ifFalse)
	case notNode:
		g.emit(n.x, ifFalse, ifTrue)
	case atom:
		g.ins = append(g.ins, n.pre...)
		g.ins = append(g.ins, n.load)
		if n.mask != 0 && n.mask != ^uint32(0) {
			g.ins = append(g.ins, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: n.mask})
		}
		g.jumps = append(g.jumps, pendingJump{at: len(g.ins), ifTrue: ifTrue, ifFalse: ifFalse})
		g.ins = append(g.ins, bpf.JumpIf{Cond: n.cond, Val: n.val})
	default:
		panic(fmt.Sprintf("filter: unknown node %T", n))
	}
}

func (g *codegen) resolve() ([]bpf.Instruction, error) {
	for _, j := range g.jumps {
		t, f := g.labels[j.ifTrue]-j.at-1, g.labels[j.ifFalse]-j.at-1
		if t > 255 || f > 255 {
			return nil, fmt.Errorf("filter: the expression is too long for one BPF program (a jump of %d instructions): split it or simplify it", max(t, f))
		}
		ji := g.ins[j.at].(bpf.JumpIf)
		ji.SkipTrue, ji.SkipFalse = uint8(t), uint8(f)
		g.ins[j.at] = ji
	}
	if len(g.ins) > bpfMaxInstructions {
		return nil, fmt.Errorf("filter: the expression compiles to %d instructions, more than the kernel's %d: simplify it", len(g.ins), bpfMaxInstructions)
	}
	return g.ins, nil
}

// bpfMaxInstructions is the kernel's BPF_MAXINSNS for classic BPF socket filters.
const bpfMaxInstructions = 4096
