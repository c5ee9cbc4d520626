package seccomp

import "golang.org/x/sys/unix"

// nativeArch is the seccomp_data.arch of the syscalls the filter lets through.
const nativeArch = unix.AUDIT_ARCH_X86_64

// x32Bit marks the syscall numbers of the x32 ABI, which the filter refuses with
// ENOSYS: they share AUDIT_ARCH_X86_64 with native syscalls. Zero where there is none.
const x32Bit = 0x40000000
