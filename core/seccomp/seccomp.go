// Package seccomp builds a container's seccomp filter: Docker's default profile, or a
// profile in Docker's JSON format, evaluated for the container's bounding
// capabilities, the architecture and the running kernel exactly as Docker does, and
// compiled to the classic BPF program that seccomp(SECCOMP_SET_MODE_FILTER) installs.
//
// The program lets through only the native architecture (any other is killed), refuses
// x32 syscalls with ENOSYS on amd64, finds a syscall by a binary search on its number
// and tests argument conditions only for the few syscalls whose rules have them.
package seccomp

import (
	"fmt"

	profiles "github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Filter is a compiled seccomp filter.
type Filter struct {
	prog []unix.SockFilter
}

// Default is Docker's default profile for a process whose bounding capability set
// has these names ("CAP_CHOWN", ...): the capability-dependent groups of syscalls are
// allowed when the set holds their capability.
func Default(bounding []string) (*Filter, error) {
	p, err := profiles.GetDefaultProfile(specWith(bounding))
	if err != nil {
		return nil, fmt.Errorf("evaluate Docker's default seccomp profile: %w", err)
	}
	return newFilter(p)
}

// Load compiles a profile in Docker's JSON format (what --security-opt seccomp=FILE
// names) for a process with this bounding capability set. Its errors are one line
// that does not name the file: the caller puts "seccomp profile FILE: " before them.
func Load(profile []byte, bounding []string) (*Filter, error) {
	if err := check(profile); err != nil {
		return nil, err
	}
	p, err := profiles.LoadProfile(string(profile), specWith(bounding))
	if err != nil {
		return nil, err
	}
	return newFilter(p)
}

// Instructions is the program, for seccomp(SECCOMP_SET_MODE_FILTER). The slice is
// the filter's own: do not change it.
func (f *Filter) Instructions() []unix.SockFilter { return f.prog }

// newFilter compiles an evaluated profile.
func newFilter(p *specs.LinuxSeccomp) (*Filter, error) {
	prog, err := compile(p)
	if err != nil {
		return nil, err
	}
	return &Filter{prog: prog}, nil
}

// specWith is the part of an OCI spec that the evaluation of a profile reads.
func specWith(bounding []string) *specs.Spec {
	return &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: bounding}}}
}
