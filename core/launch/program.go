// Package launch starts a process the way a container runtime does: a clone of the
// calling process runs a fixed program of system calls (namespace joins, mounts,
// pivot_root, credentials, capabilities, no_new_privs, a seccomp filter) and ends in
// execve of the command. Nothing of the caller survives into the command: no Go
// runtime thread, no file descriptor but the ones the program hands on, no signal
// handler. The program is built, and written down as the shell commands a person would
// type, before the clone; the clone runs it without allocating, as the Go runtime's own
// fork does, so it may also join a user namespace, which a threaded process cannot.
package launch

import (
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Program is the set-up stage of one process: the system calls its clone makes, in
// order, then the command it executes. Build it with the methods below, then Start it.
// A Program is used once.
type Program struct {
	steps []step
	// files are the descriptors the program uses, duplicated for it. The clone moves
	// them to their slots (firstFile and up) and closes every other descriptor it
	// inherited.
	files []*os.File
	// keep holds the memory the steps point at until the clone has run.
	keep []any
	// exec is the command: the paths to try in turn, its arguments and environment.
	exec execSpec
	// terminal is set when a step sends a terminal's master to the parent.
	terminal bool
	err      error
}

// step is one system call of the program.
type step struct {
	nr   uintptr
	args [6]uintptr
	// reg, when not noReg, is the register whose value replaces args[regArg].
	reg, regArg int8
	// save, when not noReg, is the register the call's result is kept in.
	save int8
	// ok are the errors that count as "nothing to do": the step is skipped.
	ok [2]syscall.Errno
	// alt is how many of the following steps are this one's alternative: run when it
	// fails with an error not in ok, skipped when it succeeds.
	alt uint8
	// text is the shell command that does the same, for the command log and for
	// errors; quiet steps (moving descriptors, say) are left out of the log.
	text  string
	quiet bool
}

const (
	noReg   = -1
	numRegs = 4
)

// The clone's descriptors besides 0, 1 and 2 are laid out in slots, so that steps can
// name them before the program starts.
const (
	fdReport   = 3 // the report pipe: what went wrong, or EOF once the command runs
	fdGo       = 4 // the go-ahead pipe, read before the first step when there is one
	fdTerminal = 5 // the socket a terminal's master is sent back on
	fdScratch0 = 6 // free for steps: a terminal's master
	fdScratch1 = 7 // free for steps: a terminal's other end
	firstFile  = 8 // the first of the files handed to the program
)

// execSpec is the command the program ends with.
type execSpec struct {
	name  string
	paths []*byte
	argv  []*byte
	envv  []*byte
}

// New returns an empty program.
func New() *Program { return &Program{} }

// add appends a step and returns its index.
func (p *Program) add(text string, nr uintptr, args ...uintptr) int {
	s := step{nr: nr, reg: noReg, save: noReg, text: text}
	copy(s.args[:], args)
	p.steps = append(p.steps, s)
	return len(p.steps) - 1
}

// addQuiet appends a step the command log leaves out; text still names it in errors.
func (p *Program) addQuiet(text string, nr uintptr, args ...uintptr) int {
	i := p.add(text, nr, args...)
	p.steps[i].quiet = true
	return i
}

// cstr keeps a NUL-terminated copy of s alive for the program.
func (p *Program) cstr(s string) *byte {
	b, err := unix.BytePtrFromString(s)
	if err != nil {
		p.fail(err)
		b = new(byte)
	}
	p.keep = append(p.keep, b)
	return b
}

// str is cstr's address, as a system call argument.
func (p *Program) str(s string) uintptr { return uintptr(unsafe.Pointer(p.cstr(s))) }

// ptr keeps v alive for the program and returns its address.
func ptr[T any](p *Program, v *T) uintptr {
	p.keep = append(p.keep, v)
	return uintptr(unsafe.Pointer(v))
}

// fail records the first error found while building; Start returns it.
func (p *Program) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// File hands a descriptor to the program and returns the number it has in the clone.
// The program keeps a duplicate of its own, closed once the program has started; the
// clone keeps it, close-on-exec, until the command starts.
func (p *Program) File(f *os.File) uintptr {
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		p.fail(err)
	}
	p.files = append(p.files, os.NewFile(uintptr(fd), f.Name()))
	return uintptr(firstFile + len(p.files) - 1)
}

// Tolerate makes step i count as nothing to do when it fails with one of errs.
func (p *Program) Tolerate(i int, errs ...syscall.Errno) {
	copy(p.steps[i].ok[:], errs)
}

// Otherwise makes the steps that alt adds the alternative of step i: they run only if
// step i fails (with an error it does not tolerate).
func (p *Program) Otherwise(i int, alt func()) {
	n := len(p.steps)
	alt()
	if i != n-1 {
		p.fail(errAltOrder)
	}
	p.steps[i].alt = uint8(len(p.steps) - n)
}

// Commands is the program as shell commands, one per step, in order.
func (p *Program) Commands() []string {
	var out []string
	for _, s := range p.steps {
		if !s.quiet {
			out = append(out, s.text)
		}
	}
	return out
}

// itoa spells a number for the command log.
func itoa(n int) string { return strconv.Itoa(n) }
