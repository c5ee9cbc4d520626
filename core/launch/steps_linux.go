package launch

import (
	"errors"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"workbench/cmdlog"
)

var errAltOrder = errors.New("launch: Otherwise must follow the step it is the alternative of")

// Mount mounts as mount(2) does and returns the step's index.
func (p *Program) Mount(source, target, fstype string, flags uintptr, data string) int {
	var src, typ, dat uintptr
	if source != "" {
		src = p.str(source)
	}
	if fstype != "" {
		typ = p.str(fstype)
	}
	if data != "" {
		dat = p.str(data)
	}
	return p.add(MountCommand(source, target, fstype, flags, data), unix.SYS_MOUNT, src, p.str(target), typ, flags, dat)
}

// Unmount detaches a mount (umount -l).
func (p *Program) Unmount(target string) int {
	return p.add(cmdlog.Quote("umount", "-l", target), unix.SYS_UMOUNT2, p.str(target), unix.MNT_DETACH)
}

// Mkdir makes a directory; one that exists already is nothing to do.
func (p *Program) Mkdir(path string, mode uint32) int {
	i := p.add(cmdlog.Quote("mkdir", "-m", strconv.FormatUint(uint64(mode), 8), path), unix.SYS_MKDIRAT, atFDCWD, p.str(path), uintptr(mode))
	p.Tolerate(i, unix.EEXIST)
	return i
}

// Mknod makes a character device node.
func (p *Program) Mknod(path string, mode uint32, major, minor uint32) int {
	text := cmdlog.Quote("mknod", "-m", strconv.FormatUint(uint64(mode), 8), path, "c", itoa(int(major)), itoa(int(minor)))
	return p.add(text, unix.SYS_MKNODAT, atFDCWD, p.str(path), uintptr(unix.S_IFCHR|mode), uintptr(unix.Mkdev(major, minor)))
}

// Symlink makes link point at target.
func (p *Program) Symlink(target, link string) int {
	return p.add(cmdlog.Quote("ln", "-s", target, link), unix.SYS_SYMLINKAT, p.str(target), atFDCWD, p.str(link))
}

// CreateFile makes an empty file (to mount on); an existing one is left as it is.
func (p *Program) CreateFile(path string, mode uint32) int {
	i := p.add(cmdlog.Quote("touch", path), unix.SYS_OPENAT, atFDCWD, p.str(path),
		unix.O_CREAT|unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, uintptr(mode))
	p.steps[i].save = 0
	j := p.addQuiet("close "+path, unix.SYS_CLOSE)
	p.steps[j].reg, p.steps[j].regArg = 0, 0
	return i
}

// Chdir changes the working directory.
func (p *Program) Chdir(path string) int {
	return p.add(cmdlog.Quote("cd", path), unix.SYS_CHDIR, p.str(path))
}

// PivotRoot makes the working directory the root, stacking the old root on it
// (pivot_root . .), as runc does.
func (p *Program) PivotRoot() int {
	dot := p.str(".")
	return p.add("pivot_root . .", unix.SYS_PIVOT_ROOT, dot, dot)
}

// Sethostname sets the host name of the UTS namespace.
func (p *Program) Sethostname(name string) int {
	return p.add(cmdlog.Quote("hostname", name), unix.SYS_SETHOSTNAME, p.str(name), uintptr(len(name)))
}

// Unshare makes new namespaces for the clone itself (CLONE_NEW* flags).
func (p *Program) Unshare(flags uintptr, text string) int {
	return p.add(text, unix.SYS_UNSHARE, flags)
}

// Setns joins the namespaces of a file (a namespace file or a pidfd) handed over with
// File.
func (p *Program) Setns(fd uintptr, nstype uintptr, text string) int {
	return p.add(text, unix.SYS_SETNS, fd, nstype)
}

// Write writes data to a descriptor handed over with File.
func (p *Program) Write(fd uintptr, data, text string) int {
	b := []byte(data)
	p.keep = append(p.keep, b)
	return p.add(text, unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

// Umask sets the file mode creation mask.
func (p *Program) Umask(mask uint32) int {
	return p.add("umask "+strconv.FormatUint(uint64(mask), 8), unix.SYS_UMASK, uintptr(mask))
}

// Stdio makes in, out and errOut (numbers from File) the command's descriptors 0, 1, 2.
func (p *Program) Stdio(in, out, errOut uintptr) {
	for target, fd := range []uintptr{in, out, errOut} {
		p.addQuiet("dup3 "+itoa(int(fd))+" "+itoa(target), unix.SYS_DUP3, fd, uintptr(target), 0)
	}
}

// Credentials sets the supplementary groups, then the group, then the user (real,
// effective and saved). Capabilities set afterwards survive it (KeepCaps).
func (p *Program) Credentials(uid, gid uint32, groups []uint32) {
	text := cmdlog.Quote("setpriv", "--reuid="+itoa(int(uid)), "--regid="+itoa(int(gid)), groupsFlag(groups))
	var gp uintptr
	if len(groups) > 0 {
		g := append([]uint32(nil), groups...)
		p.keep = append(p.keep, g)
		gp = uintptr(unsafe.Pointer(&g[0]))
	}
	p.add(text, unix.SYS_SETGROUPS, uintptr(len(groups)), gp)
	p.addQuiet("setresgid "+itoa(int(gid)), unix.SYS_SETRESGID, uintptr(gid), uintptr(gid), uintptr(gid))
	p.addQuiet("setresuid "+itoa(int(uid)), unix.SYS_SETRESUID, uintptr(uid), uintptr(uid), uintptr(uid))
}

func groupsFlag(groups []uint32) string {
	if len(groups) == 0 {
		return "--clear-groups"
	}
	s := make([]string, len(groups))
	for i, g := range groups {
		s[i] = itoa(int(g))
	}
	return "--groups=" + strings.Join(s, ",")
}

// KeepCaps keeps the permitted capabilities across a change of user while on.
func (p *Program) KeepCaps(on bool) int {
	v := uintptr(0)
	if on {
		v = 1
	}
	return p.addQuiet("prctl PR_SET_KEEPCAPS", unix.SYS_PRCTL, unix.PR_SET_KEEPCAPS, v)
}

// DropBounding drops from the bounding set every capability up to last that is not in
// keep (a mask of CAP_* numbers). It needs CAP_SETPCAP: drop before changing user.
func (p *Program) DropBounding(keep uint64, last int, text string) {
	first := true
	for c := 0; c <= last; c++ {
		if keep&(1<<c) != 0 {
			continue
		}
		i := p.addQuiet("drop capability "+itoa(c)+" from the bounding set", unix.SYS_PRCTL, unix.PR_CAPBSET_DROP, uintptr(c))
		p.Tolerate(i, unix.EINVAL)
		if first {
			p.steps[i].text, p.steps[i].quiet, first = "capsh --drop=<all but "+text+">", false, false
		}
	}
}

// SetCapabilities makes keep the effective and permitted capabilities and empties the
// inheritable and ambient ones. After a change of user it needs KeepCaps.
func (p *Program) SetCapabilities(keep uint64, text string) {
	hdr := &unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	data := &[2]unix.CapUserData{}
	for i := range data {
		w := uint32(keep >> (32 * i))
		data[i] = unix.CapUserData{Effective: w, Permitted: w}
	}
	p.add("capsh --caps=<"+text+"> --inh=''", unix.SYS_CAPSET, ptr(p, hdr), ptr(p, data))
	i := p.addQuiet("clear the ambient capabilities", unix.SYS_PRCTL, unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL)
	p.Tolerate(i, unix.EINVAL)
}

// NoNewPrivs sets no_new_privs: no execve can grant privileges again.
func (p *Program) NoNewPrivs() int {
	return p.add("setpriv --no-new-privs", unix.SYS_PRCTL, unix.PR_SET_NO_NEW_PRIVS, 1)
}

// Seccomp installs a seccomp filter; it should be the last step, right before the
// command starts.
func (p *Program) Seccomp(filter []unix.SockFilter, text string) int {
	if len(filter) == 0 {
		p.fail(errors.New("launch: empty seccomp filter"))
		return -1
	}
	f := append([]unix.SockFilter(nil), filter...)
	p.keep = append(p.keep, f)
	prog := &unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]}
	return p.add(text, unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, ptr(p, prog))
}

// Terminal makes a terminal of rows and cols in the /dev/pts the clone sees
// (/dev/ptmx), sends its master to the parent (Process.Terminal) and makes the other
// end the clone's controlling terminal and its descriptors 0, 1 and 2. With console
// set, that end is also bound over it, as runc binds /dev/console.
func (p *Program) Terminal(rows, cols uint16, console string) {
	p.terminal = true
	i := p.addQuiet("open /dev/ptmx", unix.SYS_OPENAT, atFDCWD, p.str("/dev/ptmx"), unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC)
	p.steps[i].save = 0
	i = p.addQuiet("keep the terminal's master", unix.SYS_DUP3, 0, fdScratch0, unix.O_CLOEXEC)
	p.steps[i].reg, p.steps[i].regArg = 0, 0
	p.addQuiet("unlock the terminal", unix.SYS_IOCTL, fdScratch0, unix.TIOCSPTLCK, ptr(p, new(int32)))
	p.addQuiet("size the terminal", unix.SYS_IOCTL, fdScratch0, unix.TIOCSWINSZ, ptr(p, &unix.Winsize{Row: rows, Col: cols}))
	i = p.addQuiet("open the terminal", unix.SYS_IOCTL, fdScratch0, unix.TIOCGPTPEER, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC)
	p.steps[i].save = 1
	i = p.addQuiet("keep the terminal", unix.SYS_DUP3, 0, fdScratch1, unix.O_CLOEXEC)
	p.steps[i].reg, p.steps[i].regArg = 1, 0
	b := []byte{'t'}
	iov := &unix.Iovec{Base: &b[0]}
	iov.SetLen(1)
	rights := unix.UnixRights(fdScratch0)
	msg := &unix.Msghdr{Iov: iov, Control: &rights[0]}
	msg.SetIovlen(1)
	msg.SetControllen(len(rights))
	p.keep = append(p.keep, b, iov, rights)
	p.addQuiet("send the terminal's master", unix.SYS_SENDMSG, fdTerminal, ptr(p, msg), 0)
	p.addQuiet("setsid", unix.SYS_SETSID)
	p.addQuiet("make the terminal the controlling one", unix.SYS_IOCTL, fdScratch1, unix.TIOCSCTTY, 0)
	if console != "" {
		p.Mount("/proc/self/fd/"+itoa(fdScratch1), console, "", unix.MS_BIND, "")
	}
	p.Stdio(fdScratch1, fdScratch1, fdScratch1)
}

// Exec ends the program: it executes the command, trying each path in turn as execvp
// does (a name without a slash is looked up in the container's PATH by the caller).
// name is the command as the user gave it, for messages.
func (p *Program) Exec(name string, paths, argv, env []string) {
	p.exec = execSpec{name: name}
	for _, path := range paths {
		p.exec.paths = append(p.exec.paths, p.cstr(path))
	}
	p.exec.argv = p.strs(argv)
	p.exec.envv = p.strs(env)
	if len(paths) == 0 || len(argv) == 0 {
		p.fail(errors.New("launch: no command to execute"))
	}
}

// strs is a NULL-terminated array of strings, as execve takes them.
func (p *Program) strs(ss []string) []*byte {
	out := make([]*byte, 0, len(ss)+1)
	for _, s := range ss {
		out = append(out, p.cstr(s))
	}
	out = append(out, nil)
	p.keep = append(p.keep, out)
	return out
}

// atFDCWD is AT_FDCWD as a system call argument.
const atFDCWD = ^uintptr(99) // -100

// MountCommand spells a mount(2) call as the mount(8) command that makes it.
func MountCommand(source, target, fstype string, flags uintptr, data string) string {
	switch {
	case flags&unix.MS_PRIVATE != 0:
		return cmdlog.Quote("mount", "--make-rprivate", target)
	case flags&unix.MS_SLAVE != 0:
		return cmdlog.Quote("mount", "--make-rslave", target)
	}
	args := []string{"mount"}
	if fstype != "" {
		args = append(args, "-t", fstype)
	}
	if opts := mountOptions(flags, data); opts != "" {
		args = append(args, "-o", opts)
	}
	if source != "" {
		args = append(args, source)
	}
	return cmdlog.Quote(append(args, target)...)
}

// mountOptions spells mount flags and data as mount(8)'s -o does.
func mountOptions(flags uintptr, data string) string {
	names := []struct {
		flag uintptr
		name string
	}{{unix.MS_REMOUNT, "remount"}, {unix.MS_BIND | unix.MS_REC, "rbind"}, {unix.MS_BIND, "bind"},
		{unix.MS_RDONLY, "ro"}, {unix.MS_NOSUID, "nosuid"}, {unix.MS_NODEV, "nodev"},
		{unix.MS_NOEXEC, "noexec"}, {unix.MS_STRICTATIME, "strictatime"}}
	var opts []string
	for _, n := range names {
		if flags&n.flag == n.flag {
			opts = append(opts, n.name)
			flags &^= n.flag
		}
	}
	if data != "" {
		opts = append(opts, data)
	}
	return strings.Join(opts, ",")
}

// Prlimit sets a resource limit (RLIMIT_*) of the clone, kept by the command.
func (p *Program) Prlimit(resource int, soft, hard uint64, text string) int {
	return p.add(text, unix.SYS_PRLIMIT64, 0, uintptr(resource), ptr(p, &unix.Rlimit{Cur: soft, Max: hard}), 0)
}
