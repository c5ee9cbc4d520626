package core

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Security is what the processes of a container may do.
type Security struct {
	// Caps are its capabilities ("CAP_CHOWN", ...): the bounding, permitted and
	// effective sets of its root; the inheritable and ambient sets are empty.
	Caps []string
	// Seccomp is its seccomp profile: SeccompDefault (Docker's default profile),
	// SeccompUnconfined, or SeccompCustom (seccomp.json in its directory, in Docker's
	// format).
	Seccomp string
}

// The seccomp profiles a container may have.
const (
	SeccompDefault    = "default"
	SeccompUnconfined = "unconfined"
	SeccompCustom     = "custom"
)

// seccompFile is the custom profile's file in a container's directory.
const seccompFile = "seccomp.json"

// DefaultCaps is Docker's default capability set, what a container's root keeps.
var DefaultCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// capNames are the capabilities by number, as linux/capability.h names them.
var capNames = [...]string{
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
	"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
}

// CapMask turns capability names (with or without "CAP_", any case) into a mask of
// their numbers.
func CapMask(names []string) (uint64, error) {
	var m uint64
	for _, n := range names {
		c, ok := capNumber(n)
		if !ok {
			return 0, fmt.Errorf("unknown capability %q: use a name from capabilities(7), e.g. CAP_NET_ADMIN", n)
		}
		m |= 1 << c
	}
	return m, nil
}

func capNumber(name string) (int, bool) {
	n := strings.TrimPrefix(strings.ToUpper(name), "CAP_")
	for i, c := range capNames {
		if c == n {
			return i, true
		}
	}
	return 0, false
}

// CapNames names the capabilities of a mask, e.g. for inspect.
func CapNames(mask uint64) []string {
	var out []string
	for c := 0; c < 64; c++ {
		if mask&(1<<c) == 0 {
			continue
		}
		if c < len(capNames) {
			out = append(out, "CAP_"+capNames[c])
		} else {
			out = append(out, "CAP_"+strconv.Itoa(c))
		}
	}
	return out
}

// ownBoundingSet is this process's bounding set.
func ownBoundingSet() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ^uint64(0)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			if m, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64); err == nil {
				return m
			}
		}
	}
	return ^uint64(0)
}

// lastCap is the highest capability number the kernel knows.
func lastCap() int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return len(capNames) - 1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 || n > 63 {
		return len(capNames) - 1
	}
	return n
}

// containerCaps is Docker's default set with --cap-drop taken out, then --cap-add put
// in ("ALL" names every capability), or every capability with --privileged: every one
// the workbench itself has, which a container cannot exceed.
func containerCaps(add, drop []string, privileged bool) ([]string, error) {
	all := (uint64(1)<<(lastCap()+1) - 1) & ownBoundingSet()
	if privileged {
		return CapNames(all), nil
	}
	set, _ := CapMask(DefaultCaps)
	for _, list := range []struct {
		names []string
		add   bool
	}{{drop, false}, {add, true}} {
		for _, n := range list.names {
			m := all
			if !strings.EqualFold(n, "ALL") {
				var err error
				if m, err = CapMask([]string{n}); err != nil {
					return nil, err
				}
			}
			if list.add {
				set |= m
			} else {
				set &^= m
			}
		}
	}
	return CapNames(set), nil
}
