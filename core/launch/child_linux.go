package launch

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// child is everything the clone reads. The parent fills it in before the clone; the
// clone writes only its plain-number fields, never a pointer.
type child struct {
	steps []step
	// fds[i] is the parent's descriptor that becomes number 3+i in the clone, or -1.
	fds []int32
	// high is a number above every descriptor of the parent: the clone parks the fds
	// there while it moves them to their slots.
	high uintptr
	// waitGo makes the clone wait for a byte on fdGo before its first step.
	waitGo bool
	exec   execSpec
	// Scratch memory of the clone.
	rec     uint64
	poll    pollFd
	goByte  [1]byte
	dfl     sigaction
	noSigs  uint64
	allSigs uint64
	oldSigs uint64
}

// sigaction is the kernel's struct sigaction on amd64 and arm64.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// pollFd is struct pollfd.
type pollFd struct {
	fd              int32
	events, revents int16
}

// What a record on the report pipe says about a step.
const (
	recFailed    = 1 // the step failed: the program stops
	recSkipped   = 2 // the step had nothing to do (a tolerated error)
	recAlternate = 3 // the step failed and its alternative runs
)

// cloneArgs is struct clone_args of clone3(2).
type cloneArgs struct {
	flags, pidfd, childTID, parentTID, exitSignal, stack, stackSize, tls, setTID, setTIDSize, cgroup uint64
}

// fork clones the calling thread with signals blocked and, in the clone, runs the
// program; it returns the clone's PID in the parent. Between the clone and execve
// nothing may allocate, grow the stack or take a lock: this function and everything
// it calls are nosplit and use raw system calls only, on memory prepared beforehand.
//
//go:norace
//go:nosplit
func fork(args *cloneArgs, c *child) (uintptr, syscall.Errno) {
	syscall.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&c.allSigs)), uintptr(unsafe.Pointer(&c.oldSigs)), 8, 0, 0)
	pid, _, err := syscall.RawSyscall6(unix.SYS_CLONE3, uintptr(unsafe.Pointer(args)), unsafe.Sizeof(*args), 0, 0, 0, 0)
	if pid == 0 && err == 0 {
		runChild(c)
	}
	syscall.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&c.oldSigs)), 0, 8, 0, 0)
	return pid, err
}

// runChild is the clone: it dies with its parent until the command starts, moves its
// descriptors to their slots and closes every other one, runs the steps, resets the
// signals and executes the command. It never returns.
//
//go:norace
//go:nosplit
func runChild(c *child) {
	syscall.RawSyscall6(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0, 0)
	n := uintptr(len(c.fds))
	for i := uintptr(0); i < n; i++ {
		if c.fds[i] >= 0 {
			if _, _, e := syscall.RawSyscall6(unix.SYS_DUP3, uintptr(c.fds[i]), c.high+i, 0, 0, 0, 0); e != 0 {
				exit(1)
			}
		}
	}
	// An empty slot holds a copy of the report pipe, so that no descriptor a step
	// opens lands in a slot a later step names.
	for i := uintptr(0); i < n; i++ {
		from := c.high + i
		if c.fds[i] < 0 {
			from = c.high
		}
		syscall.RawSyscall6(unix.SYS_DUP3, from, 3+i, unix.O_CLOEXEC, 0, 0, 0)
	}
	syscall.RawSyscall6(unix.SYS_CLOSE_RANGE, 3+n, ^uintptr(0), 0, 0, 0, 0)
	// The parent is gone if nobody reads the report pipe any more: stop (the parent
	// may have died before the parent-death signal was set).
	c.poll = pollFd{fd: fdReport}
	if r, _, _ := syscall.RawSyscall6(unix.SYS_POLL, uintptr(unsafe.Pointer(&c.poll)), 1, 0, 0, 0, 0); r == 1 && c.poll.revents&(unix.POLLERR|unix.POLLHUP) != 0 {
		exit(1)
	}
	if c.waitGo {
		if r, _, _ := syscall.RawSyscall6(unix.SYS_READ, fdGo, uintptr(unsafe.Pointer(&c.goByte[0])), 1, 0, 0, 0); r != 1 {
			exit(1)
		}
	}
	var regs [numRegs]uintptr
	for i := 0; i < len(c.steps); i++ {
		s := &c.steps[i]
		a := s.args
		if s.reg != noReg {
			a[s.regArg] = regs[s.reg]
		}
		r, _, e := syscall.RawSyscall6(s.nr, a[0], a[1], a[2], a[3], a[4], a[5])
		switch {
		case e == 0:
			if s.save != noReg {
				regs[s.save] = r
			}
			i += int(s.alt)
		case e == s.ok[0] || e == s.ok[1]:
			report(c, recSkipped, uintptr(i), e)
			i += int(s.alt)
		case s.alt > 0:
			report(c, recAlternate, uintptr(i), e)
		default:
			report(c, recFailed, uintptr(i), e)
			exit(1)
		}
	}
	syscall.RawSyscall6(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, 0, 0, 0, 0, 0)
	for sig := uintptr(1); sig <= 64; sig++ {
		syscall.RawSyscall6(unix.SYS_RT_SIGACTION, sig, uintptr(unsafe.Pointer(&c.dfl)), 0, 8, 0, 0)
	}
	syscall.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&c.noSigs)), 0, 8, 0, 0)
	err := syscall.ENOENT
	denied := false
	for j := 0; j < len(c.exec.paths); j++ {
		_, _, e := syscall.RawSyscall6(unix.SYS_EXECVE, uintptr(unsafe.Pointer(c.exec.paths[j])),
			uintptr(unsafe.Pointer(&c.exec.argv[0])), uintptr(unsafe.Pointer(&c.exec.envv[0])), 0, 0, 0)
		if e == syscall.EACCES {
			denied = true
			continue
		}
		if e == syscall.ENOENT || e == syscall.ENOTDIR {
			continue
		}
		err = e
		break
	}
	if err == syscall.ENOENT && denied {
		err = syscall.EACCES
	}
	report(c, recFailed, uintptr(len(c.steps)), err)
	exit(1)
}

// report writes one record to the report pipe: what happened, at which step, why.
//
//go:norace
//go:nosplit
func report(c *child, what, step uintptr, err syscall.Errno) {
	c.rec = uint64(what)<<56 | uint64(step)<<16 | uint64(err)&0xffff
	syscall.RawSyscall6(unix.SYS_WRITE, fdReport, uintptr(unsafe.Pointer(&c.rec)), 8, 0, 0, 0)
}

//go:norace
//go:nosplit
func exit(code uintptr) {
	for {
		syscall.RawSyscall6(unix.SYS_EXIT_GROUP, code, 0, 0, 0, 0, 0)
	}
}
