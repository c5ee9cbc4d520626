package seccomp

import (
	"fmt"
	"strings"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// maxErrno is the largest errno the kernel returns for SECCOMP_RET_ERRNO (MAX_ERRNO);
// it clamps larger ones.
const maxErrno = 4095

// actionNames lists the actions a profile may use, for error messages.
const actionNames = "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_LOG or SCMP_ACT_TRACE"

// retOf returns the filter's return value for an action of a profile: SECCOMP_RET_*
// and its data. errnoRet is the rule's own errnoRet, defaultErrno what ERRNO and
// TRACE return without one; what names the rule in errors.
func retOf(act specs.LinuxSeccompAction, errnoRet *uint, defaultErrno uint, what string) (uint32, error) {
	if errnoRet != nil && act != specs.ActErrno && act != specs.ActTrace {
		return 0, fmt.Errorf("errnoRet in %s: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one; remove it", what)
	}
	data := defaultErrno
	if errnoRet != nil {
		data = *errnoRet
	}
	switch act {
	case specs.ActAllow:
		return unix.SECCOMP_RET_ALLOW, nil
	case specs.ActErrno:
		if data > maxErrno {
			return 0, fmt.Errorf("errnoRet %d in %s: an errno is at most %d", data, what, maxErrno)
		}
		return unix.SECCOMP_RET_ERRNO | uint32(data), nil
	case specs.ActTrace:
		if data > unix.SECCOMP_RET_DATA {
			return 0, fmt.Errorf("errnoRet %d in %s: the data of SCMP_ACT_TRACE is at most %d", data, what, unix.SECCOMP_RET_DATA)
		}
		return unix.SECCOMP_RET_TRACE | uint32(data), nil
	case specs.ActKill, specs.ActKillThread:
		return unix.SECCOMP_RET_KILL_THREAD, nil
	case specs.ActKillProcess:
		return unix.SECCOMP_RET_KILL_PROCESS, nil
	case specs.ActTrap:
		return unix.SECCOMP_RET_TRAP, nil
	case specs.ActLog:
		return unix.SECCOMP_RET_LOG, nil
	case specs.ActNotify:
		return 0, fmt.Errorf("%s in %s needs a seccomp agent listening, which the workbench does not run: use %s", act, what, actionNames)
	case "":
		return 0, fmt.Errorf("no action in %s: give \"action\", one of %s", what, actionNames)
	}
	return 0, fmt.Errorf("unknown action %q in %s: use %s", act, what, actionNames)
}

// ruleName names a rule by its syscalls in error messages.
func ruleName(names []string) string {
	switch len(names) {
	case 0:
		return "a rule without names"
	case 1:
		return "the rule for " + names[0]
	}
	return fmt.Sprintf("the rule for %s and %d more (%s, ...)", names[0], len(names)-1, strings.Join(names[1:min(len(names), 3)], ", "))
}
