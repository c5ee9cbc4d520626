// Command probe is run inside a container by the engine's tests: it tries what a
// hostile process would, and prints one line per attempt, "NAME ok" or
// "NAME refused ERROR".
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

func main() {
	for _, name := range os.Args[1:] {
		try, ok := attempts[name]
		if !ok {
			fmt.Println(name, "unknown")
			continue
		}
		if err := try(); err != nil {
			fmt.Println(name, "refused", errText(err))
		} else {
			fmt.Println(name, "ok")
		}
	}
}

func errText(err error) string {
	if e, ok := err.(syscall.Errno); ok {
		return unix.ErrnoName(e)
	}
	return strings.ReplaceAll(err.Error(), " ", "_")
}

func raw(nr uintptr, args ...uintptr) error {
	a := make([]uintptr, 6)
	copy(a, args)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_, _, e := unix.RawSyscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	if e != 0 {
		return e
	}
	return nil
}

func str(s string) uintptr {
	b, _ := unix.BytePtrFromString(s)
	return uintptr(unsafe.Pointer(b))
}

var attempts = map[string]func() error{
	// A key in a keyring: the keyrings are not namespaced.
	"keyctl":  func() error { return raw(unix.SYS_KEYCTL, unix.KEYCTL_GET_KEYRING_ID, ^uintptr(3), 0) },
	"add_key": func() error { return raw(unix.SYS_ADD_KEY, str("user"), str("probe"), str("x"), 1, ^uintptr(2)) },
	// A user namespace would give all capabilities over new namespaces.
	"unshare-user": func() error { return raw(unix.SYS_UNSHARE, unix.CLONE_NEWUSER) },
	"perf_event_open": func() error {
		attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_CPU_CLOCK}
		attr.Size = uint32(unsafe.Sizeof(attr))
		return raw(unix.SYS_PERF_EVENT_OPEN, uintptr(unsafe.Pointer(&attr)), 0, ^uintptr(0), ^uintptr(0), 0)
	},
	"userfaultfd": func() error { return raw(unix.SYS_USERFAULTFD, 0) },
	"bpf":         func() error { return raw(unix.SYS_BPF, unix.BPF_MAP_CREATE, 0, 0) },
	"kexec_load":  func() error { return raw(unix.SYS_KEXEC_LOAD, 0, 0, 0, 0) },
	"open_by_handle_at": func() error {
		return raw(unix.SYS_OPEN_BY_HANDLE_AT, 0, 0, 0)
	},
	"mount": func() error { return unix.Mount("tmpfs", "/mnt", "tmpfs", 0, "") },
	// A node of a device the container may make but not open.
	"open-kvm": func() error {
		_ = unix.Mknod("/tmp/kvm", unix.S_IFCHR|0o600, int(unix.Mkdev(10, 232)))
		f, err := os.OpenFile("/tmp/kvm", os.O_RDWR, 0)
		if err == nil {
			f.Close()
			return nil
		}
		return err.(*os.PathError).Err
	},
	"mknod-kvm": func() error { return unix.Mknod("/tmp/kvm2", unix.S_IFCHR|0o600, int(unix.Mkdev(10, 232))) },
	// Every descriptor of this process besides 0, 1 and 2.
	"extra-fds": func() error {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			return err
		}
		var extra []string
		for _, e := range ents {
			if e.Name() > "2" || len(e.Name()) > 1 {
				// The directory ReadDir read is closed by now: its link is gone.
				if link, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil {
					extra = append(extra, e.Name()+"="+link)
				}
			}
		}
		if len(extra) > 0 {
			return fmt.Errorf("open: %s", strings.Join(extra, ","))
		}
		return nil
	},
}
