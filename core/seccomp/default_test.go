package seccomp

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Verdicts of the filter.
const (
	allow       = unix.SECCOMP_RET_ALLOW
	eperm       = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
	enosys      = unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)
	killProcess = unix.SECCOMP_RET_KILL_PROCESS
)

// foreignArch is a 64-bit architecture other than the native one.
func foreignArch() uint32 {
	if nativeArch == unix.AUDIT_ARCH_X86_64 {
		return unix.AUDIT_ARCH_AARCH64
	}
	return unix.AUDIT_ARCH_X86_64
}

// verdictCase is one syscall the filter sees and what it must answer.
type verdictCase struct {
	name string
	arch uint32
	nr   uint32
	args []uint64
	want uint32
}

func call(name string, nr uint32, want uint32, args ...uint64) verdictCase {
	return verdictCase{name: name, arch: nativeArch, nr: nr, args: args, want: want}
}

func checkVerdicts(t *testing.T, f *Filter, cases []verdictCase) {
	t.Helper()
	v := newVM(t, f.Instructions())
	for _, c := range cases {
		if got := v.verdict(t, seccompData(c.arch, c.nr, c.args...)); got != c.want {
			t.Errorf("%s: verdict %#x, want %#x", c.name, got, c.want)
		}
	}
}

// TestDefaultVerdicts checks Docker's default profile for Docker's default
// capabilities, verdict by verdict, against what moby's data says.
func TestDefaultVerdicts(t *testing.T) {
	f, err := Default(dockerCaps)
	if err != nil {
		t.Fatal(err)
	}
	cases := []verdictCase{
		call("read", unix.SYS_READ, allow),
		call("write", unix.SYS_WRITE, allow),
		call("openat", unix.SYS_OPENAT, allow),
		call("execve", unix.SYS_EXECVE, allow),
		call("getpid", unix.SYS_GETPID, allow),
		call("chroot (CAP_SYS_CHROOT)", unix.SYS_CHROOT, allow),
		call("ptrace (kernel 4.8 and later)", unix.SYS_PTRACE, allow),
		call("clone SIGCHLD", unix.SYS_CLONE, allow, uint64(unix.SIGCHLD)),
		call("clone of a thread", unix.SYS_CLONE, allow, unix.CLONE_VM|unix.CLONE_FS|unix.CLONE_FILES|unix.CLONE_SIGHAND|unix.CLONE_THREAD|unix.CLONE_SYSVSEM),
		call("clone CLONE_NEWUSER", unix.SYS_CLONE, eperm, unix.CLONE_NEWUSER|uint64(unix.SIGCHLD)),
		call("clone CLONE_NEWNS", unix.SYS_CLONE, eperm, unix.CLONE_NEWNS),
		call("clone CLONE_NEWCGROUP", unix.SYS_CLONE, eperm, unix.CLONE_NEWCGROUP),
		call("clone3", unix.SYS_CLONE3, enosys),
		call("personality(PER_LINUX)", unix.SYS_PERSONALITY, allow, 0),
		call("personality(PER_LINUX32)", unix.SYS_PERSONALITY, allow, 8),
		call("personality(UNAME26)", unix.SYS_PERSONALITY, allow, 0x20000),
		call("personality(PER_LINUX32|UNAME26)", unix.SYS_PERSONALITY, allow, 0x20008),
		call("personality(0xffffffff), the query", unix.SYS_PERSONALITY, allow, 0xffffffff),
		call("personality(ADDR_NO_RANDOMIZE)", unix.SYS_PERSONALITY, eperm, 0x0040000),
		call("personality(1<<32), a high word", unix.SYS_PERSONALITY, eperm, 1<<32),
		call("socket(AF_UNSPEC), in the range below AF_AX25", unix.SYS_SOCKET, allow, unix.AF_UNSPEC),
		call("socket(AF_UNIX)", unix.SYS_SOCKET, allow, unix.AF_UNIX),
		call("socket(AF_INET)", unix.SYS_SOCKET, allow, unix.AF_INET),
		call("socket(AF_INET6)", unix.SYS_SOCKET, allow, unix.AF_INET6),
		call("socket(AF_BRIDGE)", unix.SYS_SOCKET, allow, unix.AF_BRIDGE),
		call("socket(AF_NETLINK)", unix.SYS_SOCKET, allow, unix.AF_NETLINK),
		call("socket(AF_PACKET)", unix.SYS_SOCKET, allow, unix.AF_PACKET),
		call("socket(AF_MCTP), the last rule", unix.SYS_SOCKET, allow, unix.AF_MCTP),
		call("socket(AF_AX25)", unix.SYS_SOCKET, eperm, unix.AF_AX25),
		call("socket(AF_IPX)", unix.SYS_SOCKET, eperm, unix.AF_IPX),
		call("socket(AF_DECnet)", unix.SYS_SOCKET, eperm, unix.AF_DECnet),
		call("socket(AF_CAIF)", unix.SYS_SOCKET, eperm, unix.AF_CAIF),
		call("socket(AF_ALG)", unix.SYS_SOCKET, eperm, unix.AF_ALG),
		call("socket(AF_VSOCK)", unix.SYS_SOCKET, eperm, unix.AF_VSOCK),
		call("socket(AF_MAX)", unix.SYS_SOCKET, eperm, unix.AF_MAX),
		call("socket(1<<32|AF_INET), a high word", unix.SYS_SOCKET, eperm, 1<<32|unix.AF_INET),
		call("a number no syscall has", 1000, eperm),
		{name: "read, foreign arch", arch: foreignArch(), nr: unix.SYS_READ, want: killProcess},
		{name: "read, i386", arch: unix.AUDIT_ARCH_I386, nr: 3, want: killProcess},
	}
	for _, d := range []struct {
		name string
		nr   uint32
	}{
		{"keyctl", unix.SYS_KEYCTL}, {"add_key", unix.SYS_ADD_KEY},
		{"request_key", unix.SYS_REQUEST_KEY}, {"unshare", unix.SYS_UNSHARE},
		{"setns", unix.SYS_SETNS}, {"mount", unix.SYS_MOUNT}, {"umount2", unix.SYS_UMOUNT2},
		{"pivot_root", unix.SYS_PIVOT_ROOT}, {"perf_event_open", unix.SYS_PERF_EVENT_OPEN},
		{"userfaultfd", unix.SYS_USERFAULTFD}, {"bpf", unix.SYS_BPF},
		{"kexec_load", unix.SYS_KEXEC_LOAD}, {"kexec_file_load", unix.SYS_KEXEC_FILE_LOAD},
		{"open_by_handle_at", unix.SYS_OPEN_BY_HANDLE_AT}, {"init_module", unix.SYS_INIT_MODULE},
		{"finit_module", unix.SYS_FINIT_MODULE}, {"reboot", unix.SYS_REBOOT},
		{"swapon", unix.SYS_SWAPON}, {"clock_settime", unix.SYS_CLOCK_SETTIME},
		{"fsopen", unix.SYS_FSOPEN}, {"open_tree", unix.SYS_OPEN_TREE},
	} {
		cases = append(cases, call(d.name, d.nr, eperm))
	}
	if x32Bit != 0 {
		cases = append(cases,
			call("x32 read", x32Bit|unix.SYS_READ, enosys),
			call("x32 getpid", x32Bit|unix.SYS_GETPID, enosys))
	}
	checkVerdicts(t, f, cases)
}

// TestDefaultSysAdmin checks Docker's includes for CAP_SYS_ADMIN: the mount and
// namespace syscalls are allowed, clone takes any flags, clone3 is allowed.
func TestDefaultSysAdmin(t *testing.T) {
	f, err := Default(append(dockerCaps[:len(dockerCaps):len(dockerCaps)], "CAP_SYS_ADMIN"))
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, f, []verdictCase{
		call("mount", unix.SYS_MOUNT, allow),
		call("umount2", unix.SYS_UMOUNT2, allow),
		call("unshare", unix.SYS_UNSHARE, allow, unix.CLONE_NEWUSER),
		call("setns", unix.SYS_SETNS, allow),
		call("clone CLONE_NEWUSER", unix.SYS_CLONE, allow, unix.CLONE_NEWUSER|uint64(unix.SIGCHLD)),
		call("clone3", unix.SYS_CLONE3, allow),
		call("keyctl", unix.SYS_KEYCTL, eperm),
		call("open_by_handle_at (needs CAP_DAC_READ_SEARCH)", unix.SYS_OPEN_BY_HANDLE_AT, eperm),
		call("pivot_root (in no group)", unix.SYS_PIVOT_ROOT, eperm),
	})
}

// TestDefaultDropsCaps checks that a capability outside the bounding set takes its
// group out: without CAP_SYS_CHROOT, chroot is refused.
func TestDefaultDropsCaps(t *testing.T) {
	f, err := Default([]string{"CAP_CHOWN"})
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, f, []verdictCase{
		call("chroot", unix.SYS_CHROOT, eperm),
		call("read", unix.SYS_READ, allow),
	})
}
