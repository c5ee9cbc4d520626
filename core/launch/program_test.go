package launch

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMountCommand(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{MountCommand("proc", "/m/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""), "mount -t proc -o nosuid,nodev,noexec proc /m/proc"},
		{MountCommand("/p", "/p", "", unix.MS_BIND|unix.MS_REC, ""), "mount -o rbind /p /p"},
		{MountCommand("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""), "mount --make-rprivate /"},
		{MountCommand("tmpfs", "/d", "tmpfs", unix.MS_RDONLY, "size=0"), "mount -t tmpfs -o ro,size=0 tmpfs /d"},
	} {
		if c.got != c.want {
			t.Errorf("MountCommand = %q, want %q", c.got, c.want)
		}
	}
}

func TestCommandsLeaveQuietStepsOut(t *testing.T) {
	p := New()
	p.Sethostname("box")
	p.Credentials(1000, 1000, []uint32{27})
	p.Chdir("/srv")
	got := strings.Join(p.Commands(), "\n")
	want := "hostname box\nsetpriv --reuid=1000 --regid=1000 --groups=27\ncd /srv"
	if got != want {
		t.Fatalf("Commands:\n%s\nwant:\n%s", got, want)
	}
}

func TestOtherwiseMustFollowItsStep(t *testing.T) {
	p := New()
	i := p.Mkdir("/a", 0o755)
	p.Mkdir("/b", 0o755)
	p.Otherwise(i, func() { p.Mkdir("/c", 0o755) })
	p.Exec("true", []string{"/bin/true"}, []string{"true"}, nil)
	if _, err := p.Start(Options{}); err == nil || !strings.Contains(err.Error(), "Otherwise") {
		t.Fatalf("Start = %v, want the misuse of Otherwise named", err)
	}
}

func TestProgramWithoutCommandIsRefused(t *testing.T) {
	p := New()
	p.Sethostname("x")
	if _, err := p.Start(Options{}); err == nil {
		t.Fatal("a program without Exec started")
	}
}
