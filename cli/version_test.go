package cli

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestVersionSaysWhatRuns(t *testing.T) {
	out, _, code := runCLI("version")
	var u unix.Utsname
	_ = unix.Uname(&u)
	for _, want := range []string{"Client: workbench", " Version:", "Go version:        " + runtime.Version(),
		"OS/Arch:           " + runtime.GOOS + "/" + runtime.GOARCH, "Kernel Version:    " + unix.ByteSliceToString(u.Release[:]), "Cgroup Version:    "} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("version: status %d, no %q in\n%s", code, want, out)
		}
	}
	if out, _, code := runCLI("version", "--format", "{{.Client.GoVersion}} {{.Server.CgroupVersion}}"); code != 0 || !regexp.MustCompile(`^go\S+ [12]\n$`).MatchString(out) {
		t.Errorf("version --format: %d %q", code, out)
	}
	out, _, code = runCLI("--version")
	if code != 0 || !regexp.MustCompile(`^workbench version \S+, build \S+\n$`).MatchString(out) {
		t.Errorf("--version: status %d, %q; want one line as docker --version", code, out)
	}
}
