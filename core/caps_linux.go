package core

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// defaultCaps is Docker's default capability set: what a container's root keeps.
var defaultCaps = []uint{
	unix.CAP_CHOWN, unix.CAP_DAC_OVERRIDE, unix.CAP_FSETID, unix.CAP_FOWNER,
	unix.CAP_MKNOD, unix.CAP_NET_RAW, unix.CAP_SETGID, unix.CAP_SETUID,
	unix.CAP_SETFCAP, unix.CAP_SETPCAP, unix.CAP_NET_BIND_SERVICE, unix.CAP_SYS_CHROOT,
	unix.CAP_KILL, unix.CAP_AUDIT_WRITE,
}

// defaultCapMask is defaultCaps as a bit mask.
func defaultCapMask() uint64 {
	var m uint64
	for _, c := range defaultCaps {
		m |= 1 << c
	}
	return m
}

// lastCap is the highest capability number the kernel knows.
func lastCap() uint {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return unix.CAP_LAST_CAP
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 0 || n > 63 {
		return unix.CAP_LAST_CAP
	}
	return uint(n)
}

// restrictThread reduces the calling thread to Docker's default capabilities in every
// set (bounding, effective, permitted, inheritable; ambient cleared) and sets
// no_new_privs. Processes it forks afterwards inherit exactly that. The caller holds
// the thread locked (runtime.LockOSThread) and forks from it.
func restrictThread() error {
	keep := defaultCapMask()
	for c := uint(0); c <= lastCap(); c++ {
		if keep&(1<<c) != 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil && err != unix.EINVAL {
			return fmt.Errorf("drop capability %d from the bounding set: %w", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil && err != unix.EINVAL {
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	for i := range data {
		word := uint32(keep >> (32 * i))
		data[i] = unix.CapUserData{Effective: word, Permitted: word, Inheritable: word}
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("set capabilities: %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("set no_new_privs: %w", err)
	}
	return nil
}

// CapNames names the capabilities of a mask, e.g. for inspect.
func CapNames(mask uint64) []string {
	var out []string
	for c := uint(0); c < 64; c++ {
		if mask&(1<<c) != 0 {
			out = append(out, capName(c))
		}
	}
	return out
}

var capNames = map[uint]string{
	unix.CAP_CHOWN: "CHOWN", unix.CAP_DAC_OVERRIDE: "DAC_OVERRIDE", unix.CAP_FSETID: "FSETID",
	unix.CAP_FOWNER: "FOWNER", unix.CAP_MKNOD: "MKNOD", unix.CAP_NET_RAW: "NET_RAW",
	unix.CAP_SETGID: "SETGID", unix.CAP_SETUID: "SETUID", unix.CAP_SETFCAP: "SETFCAP",
	unix.CAP_SETPCAP: "SETPCAP", unix.CAP_NET_BIND_SERVICE: "NET_BIND_SERVICE",
	unix.CAP_SYS_CHROOT: "SYS_CHROOT", unix.CAP_KILL: "KILL", unix.CAP_AUDIT_WRITE: "AUDIT_WRITE",
}

func capName(c uint) string {
	if n, ok := capNames[c]; ok {
		return "CAP_" + n
	}
	return "cap" + strconv.Itoa(int(c))
}
