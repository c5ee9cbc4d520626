package seccomp

import (
	"os"
	"slices"
	"strings"
	"testing"

	profiles "github.com/moby/profiles/seccomp"
	"golang.org/x/sys/unix"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoadSmall checks a small profile with every kind of rule: names unknown to
// the architecture, an errnoRet of its own, the profile's defaultErrnoRet, an
// argument condition, a capability include, the old "name", TRAP, LOG and TRACE.
func TestLoadSmall(t *testing.T) {
	small := readTestdata(t, "small.json")
	f, err := Load(small, dockerCaps)
	if err != nil {
		t.Fatal(err)
	}
	errno := func(e unix.Errno) uint32 { return unix.SECCOMP_RET_ERRNO | uint32(e) }
	checkVerdicts(t, f, []verdictCase{
		call("read", unix.SYS_READ, allow),
		call("write", unix.SYS_WRITE, allow),
		call("openat", unix.SYS_OPENAT, errno(unix.EACCES)),
		call("personality(8)", unix.SYS_PERSONALITY, allow, 8),
		call("personality(0)", unix.SYS_PERSONALITY, errno(1), 0),
		call("mount without CAP_SYS_ADMIN", unix.SYS_MOUNT, errno(1)),
		call("getpid", unix.SYS_GETPID, unix.SECCOMP_RET_TRAP),
		call("kill", unix.SYS_KILL, unix.SECCOMP_RET_LOG),
		call("ptrace", unix.SYS_PTRACE, unix.SECCOMP_RET_TRACE|7),
		call("close, not named", unix.SYS_CLOSE, errno(1)),
		{name: "read, foreign arch", arch: foreignArch(), nr: unix.SYS_READ, want: killProcess},
	})
	f, err = Load(small, []string{"CAP_SYS_ADMIN"})
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, f, []verdictCase{call("mount with CAP_SYS_ADMIN", unix.SYS_MOUNT, allow)})
}

// TestLoadDefaultJSON checks that Docker's default.json, as moby ships it, compiles
// to the same program as Default.
func TestLoadDefaultJSON(t *testing.T) {
	profile := readTestdata(t, "default.json")
	for _, caps := range [][]string{dockerCaps, append(dockerCaps[:len(dockerCaps):len(dockerCaps)], "CAP_SYS_ADMIN")} {
		loaded, err := Load(profile, caps)
		if err != nil {
			t.Fatal(err)
		}
		def, err := Default(caps)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(loaded.Instructions(), def.Instructions()) {
			t.Errorf("caps %v: default.json compiles to %d instructions, Default to %d, and they differ",
				caps, len(loaded.Instructions()), len(def.Instructions()))
		}
	}
}

// loadErrorCases are profiles Load refuses, and a part of the error each gives.
var loadErrorCases = []struct {
	name, profile, want string
}{
	{"bad JSON", "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n}", "line 3, column 1: invalid character '}'"},
	{"empty", "", "the profile ends early"},
	{"two objects", `{"defaultAction": "SCMP_ACT_ERRNO"} {}`, "more after the end of the profile"},
	{"not an object", `[]`, "the profile is a JSON array: it is one JSON object"},
	{"unknown field", "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscall\": []}", `line 2, column 2: unknown field "syscall"`},
	{"no default action", `{"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`, `no "defaultAction"`},
	{"unknown default action", `{"defaultAction": "SCMP_ACT_DENY"}`, `unknown action "SCMP_ACT_DENY" in the default action: use SCMP_ACT_ALLOW, SCMP_ACT_ERRNO`},
	{"unknown action", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_FOO"}]}`, `unknown action "SCMP_ACT_FOO" in the rule for keyctl: use SCMP_ACT_ALLOW`},
	{"unknown action, many names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write", "close", "open"], "action": "ALLOW"}]}`, `unknown action "ALLOW" in the rule for read and 3 more (write, close, ...)`},
	{"unknown action in an excluded rule", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_FOO", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}`, `unknown action "SCMP_ACT_FOO" in the rule for mount`},
	{"no action", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"]}]}`, `no action in the rule for read`},
	{"notify", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}`, "SCMP_ACT_NOTIFY in the rule for mount needs a seccomp agent"},
	{"unknown operator", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_LIKE"}]}]}`, `unknown operator "SCMP_CMP_LIKE" in the rule for personality: use SCMP_CMP_EQ`},
	{"bad argument index", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`, "argument index 6 in the rule for socket: a syscall has arguments 0 to 5"},
	{"negative argument index", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": -1, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`, `line 1, column 119: "syscalls.args.index" is a JSON number -1, where the profile wants a uint`},
	{"errnoRet on allow", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]}`, "errnoRet in the rule for read: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one"},
	{"errno too large", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]}`, "errnoRet 5000 in the rule for read: an errno is at most 4095"},
	{"default errno too large", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 70000}`, "errnoRet 70000 in the default action"},
	{"rule without names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"action": "SCMP_ACT_ALLOW"}]}`, `a rule with action "SCMP_ACT_ALLOW" has no "names"`},
	{"null rule", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [null]}`, "a rule is null"},
	{"name and names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW"}]}`, "both 'name' and 'names'"},
	{"flags", `{"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]}`, `"flags" [SECCOMP_FILTER_FLAG_SPEC_ALLOW]: the workbench installs the filter without flags`},
	{"listener", `{"defaultAction": "SCMP_ACT_ERRNO", "listenerPath": "/run/agent.sock"}`, "runs no seccomp agent"},
	{"unknown architecture", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_VAX"]}`, `unknown architecture "SCMP_ARCH_VAX"`},
	{"bad kernel version", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "six"}}]}`, "invalid kernel version"},
}

// TestLoadErrors checks that each bad profile gives one line that says what is wrong.
func TestLoadErrors(t *testing.T) {
	for _, c := range loadErrorCases {
		_, err := Load([]byte(c.profile), dockerCaps)
		switch {
		case err == nil:
			t.Errorf("%s: loaded, want an error with %q", c.name, c.want)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: error %q, want it to contain %q", c.name, err, c.want)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error of more than one line: %q", c.name, err)
		}
	}
}

// FuzzLoad checks that no profile makes Load panic, that its errors are one line,
// and that a program it returns is one the kernel takes and means what the profile
// says for the syscalls it names.
func FuzzLoad(f *testing.F) {
	f.Add(readTestdata(f, "small.json"))
	f.Add(readTestdata(f, "default.json"))
	for _, c := range loadErrorCases {
		f.Add([]byte(c.profile))
	}
	f.Fuzz(func(t *testing.T, profile []byte) {
		filter, err := Load(profile, dockerCaps)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("error not on one line: %q", msg)
			}
			return
		}
		prog := filter.Instructions()
		if len(prog) == 0 || len(prog) > unix.BPF_MAXINSNS {
			t.Fatalf("a program of %d instructions", len(prog))
		}
		p, err := profiles.LoadProfile(string(profile), specWith(dockerCaps))
		if err != nil {
			t.Fatal(err)
		}
		v := newVM(t, prog)
		for _, sc := range p.Syscalls {
			for _, name := range sc.Names {
				nr, ok := lookupSyscall(name)
				if !ok {
					continue
				}
				for _, val := range probes(p, nr) {
					args := []uint64{val, val, val, val, val, val}
					if got, want := v.verdict(t, seccompData(nativeArch, nr, args...)), reference(t, p, nativeArch, nr, args); got != want {
						t.Fatalf("%s(%#x...): verdict %#x, want %#x", name, val, got, want)
					}
				}
			}
		}
	})
}
