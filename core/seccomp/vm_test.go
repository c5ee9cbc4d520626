package seccomp

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// dockerCaps is Docker's default bounding set.
var dockerCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// seccompData is struct seccomp_data as the kernel passes it on a little-endian
// machine: nr, arch, instruction_pointer, args[6], each argument low word first.
func seccompData(arch, nr uint32, args ...uint64) []byte {
	b := make([]byte, offArgs+8*maxArgs)
	binary.LittleEndian.PutUint32(b[offNr:], nr)
	binary.LittleEndian.PutUint32(b[offArch:], arch)
	for i, a := range args {
		binary.LittleEndian.PutUint64(b[offArgs+8*i:], a)
	}
	return b
}

// vm runs a program the way the kernel does on seccomp_data.
type vm struct{ *bpf.VM }

// newVM loads a program, disassembled from the raw form the kernel gets.
func newVM(t testing.TB, prog []unix.SockFilter) vm {
	t.Helper()
	raw := make([]bpf.RawInstruction, len(prog))
	for i, ins := range prog {
		raw[i] = bpf.RawInstruction{Op: ins.Code, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	insns, ok := bpf.Disassemble(raw)
	if !ok {
		t.Fatalf("the program has instructions x/net/bpf does not know: %v", insns)
	}
	v, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatalf("load the program into the VM: %v", err)
	}
	return vm{v}
}

// verdict runs the program on seccomp_data. The kernel loads a 32-bit word of
// seccomp_data in the machine's byte order, the VM in network order, so the words
// are swapped for it.
func (v vm) verdict(t testing.TB, data []byte) uint32 {
	in := make([]byte, len(data))
	for i := 0; i < len(data); i += 4 {
		binary.BigEndian.PutUint32(in[i:], binary.LittleEndian.Uint32(data[i:]))
	}
	ret, err := v.Run(in)
	if err != nil {
		t.Fatalf("run the program: %v", err)
	}
	return uint32(ret)
}
