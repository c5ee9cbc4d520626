package seccomp

import (
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/net/bpf"
)

// condition emits the test of one argument condition: it falls through when the
// condition holds and jumps to fail when it does not. Arguments are 64-bit and
// compared as unsigned numbers, as libseccomp does: high words first, low words when
// the high words decide nothing.
func (a *asm) condition(c specs.LinuxSeccompArg, fail label) {
	pass := a.newLabel()
	// Both supported architectures are little-endian: args[i] holds its low word
	// first. A 32-bit load reads a word in the machine's byte order.
	lo := uint32(offArgs + 8*c.Index)
	hi := lo + 4
	hiVal, loVal := uint32(c.Value>>32), uint32(c.Value)
	switch c.Op {
	case specs.OpEqualTo:
		a.equal(hi, lo, c.Value, nil, pass, fail)
	case specs.OpNotEqual:
		a.equal(hi, lo, c.Value, nil, fail, pass)
	case specs.OpGreaterThan:
		a.ordered(hi, lo, hiVal, loVal, pass, fail, bpf.JumpGreaterThan, pass, fail)
	case specs.OpGreaterEqual:
		a.ordered(hi, lo, hiVal, loVal, pass, fail, bpf.JumpGreaterOrEqual, pass, fail)
	case specs.OpLessThan:
		a.ordered(hi, lo, hiVal, loVal, fail, pass, bpf.JumpGreaterOrEqual, fail, pass)
	case specs.OpLessEqual:
		a.ordered(hi, lo, hiVal, loVal, fail, pass, bpf.JumpGreaterThan, fail, pass)
	case specs.OpMaskedEqual:
		// (arg & value) == valueTwo
		a.equal(hi, lo, c.ValueTwo, &c.Value, pass, fail)
	}
	a.place(pass)
}

// equal emits a 64-bit equality test of the argument whose words are at hi and lo
// with want, each word and-ed with the mask's first when there is a mask: equal goes
// to same, different to differ.
func (a *asm) equal(hi, lo uint32, want uint64, mask *uint64, same, differ label) {
	low := a.newLabel()
	a.equalWord(hi, want>>32, mask, 32, low, differ)
	a.place(low)
	a.equalWord(lo, want, mask, 0, same, differ)
}

// equalWord emits the test of one word of equal: the word at off, and-ed with the
// mask shifted right by shift when there is a mask, against the low word of want.
func (a *asm) equalWord(off uint32, want uint64, mask *uint64, shift uint, same, differ label) {
	a.load(off)
	if mask != nil {
		a.emit(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: uint32(*mask >> shift)})
	}
	a.jump(bpf.JumpEqual, uint32(want), same, differ)
}

// ordered emits an unsigned 64-bit comparison of the argument whose words are at hi
// and lo with the value hiVal:loVal: a high word above goes to above, below to below;
// equal high words go on to test the low word with lowTest.
func (a *asm) ordered(hi, lo, hiVal, loVal uint32, above, below label, lowTest bpf.JumpTest, lowTrue, lowFalse label) {
	notAbove, low := a.newLabel(), a.newLabel()
	a.load(hi)
	a.jump(bpf.JumpGreaterThan, hiVal, above, notAbove)
	a.place(notAbove)
	a.jump(bpf.JumpEqual, hiVal, low, below)
	a.place(low)
	a.load(lo)
	a.jump(lowTest, loVal, lowTrue, lowFalse)
}
