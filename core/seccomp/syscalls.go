package seccomp

import (
	"slices"
	"strings"
)

//go:generate go run gensyscalls.go

// syscallNumber is one entry of the native syscall table.
type syscallNumber struct {
	name string
	nr   uint32
}

// lookupSyscall returns the native number of the syscall with this name, and false
// for a name the native architecture does not have.
func lookupSyscall(name string) (uint32, bool) {
	i, ok := slices.BinarySearchFunc(syscallTable[:], name, func(s syscallNumber, name string) int {
		return strings.Compare(s.name, name)
	})
	if !ok {
		return 0, false
	}
	return syscallTable[i].nr, true
}
