package launch

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
)

const busybox = "/bin/busybox"

// run starts p with opts, its output on a pipe, and returns what it printed, its
// exit status and the program's error.
func run(t *testing.T, p *Program, opts Options) (string, int, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	null, _ := os.Open(os.DevNull)
	defer null.Close()
	p.Stdio(p.File(null), p.File(w), p.File(w))
	pr, err := p.Start(opts)
	w.Close()
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	out, _ := io.ReadAll(r)
	perr := pr.Wait()
	return string(out), wait(t, pr), perr
}

// wait reaps the process and returns its exit status as a shell reports it.
func wait(t *testing.T, pr *Process) int {
	t.Helper()
	code, err := pr.ExitCode()
	if err != nil {
		t.Fatal(err)
	}
	pr.PidFD.Close()
	return code
}

func sh(p *Program, script string) {
	p.Exec("sh", []string{busybox}, []string{"sh", "-c", script}, []string{"PATH=/bin"})
}

func needBusybox(t *testing.T) {
	t.Helper()
	testutil.RequireRoot(t)
	if _, err := os.Stat(busybox); err != nil {
		t.Skip("needs " + busybox + " (busybox-static; make deps installs it)")
	}
}

func TestCommandIsPID1OfItsNamespaces(t *testing.T) {
	needBusybox(t)
	p := New()
	p.Sethostname("inside")
	sh(p, "echo $$; hostname")
	out, code, err := run(t, p, Options{Cloneflags: unix.CLONE_NEWPID | unix.CLONE_NEWUTS | unix.CLONE_NEWNS})
	if err != nil || code != 0 {
		t.Fatalf("err %v, exit %d, output %q", err, code, out)
	}
	if out != "1\ninside\n" {
		t.Fatalf("output %q, want the command as PID 1 of a namespace named inside", out)
	}
	if name, _ := os.Hostname(); name == "inside" {
		t.Fatal("the machine's host name changed")
	}
}

func TestOnlyTheProgramsDescriptorsReachTheCommand(t *testing.T) {
	needBusybox(t)
	// A descriptor without close-on-exec, as a caller's shell may leave one (exec 7</).
	fd, err := syscall.Open("/", syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	p := New()
	sh(p, "ls /proc/self/fd")
	out, code, err := run(t, p, Options{})
	if err != nil || code != 0 {
		t.Fatalf("err %v, exit %d", err, code)
	}
	// ls itself opens one descriptor (3) to read the directory.
	if got := strings.Fields(out); strings.Join(got, " ") != "0 1 2 3" {
		t.Fatalf("descriptors in the command: %v, want only 0 1 2 (and ls's own 3); the caller had %d open", got, fd)
	}
}

func TestExitCodesForACommandThatCannotRun(t *testing.T) {
	needBusybox(t)
	dir := t.TempDir()
	plain := dir + "/plain"
	if err := os.WriteFile(plain, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		paths []string
		code  int
		says  string
	}{
		{"nosuch", []string{"/nowhere/nosuch", "/bin/nosuch"}, 127, `exec: "nosuch": executable file not found in $PATH`},
		{"/nowhere/x", []string{"/nowhere/x"}, 127, `exec: "/nowhere/x": no such file or directory`},
		{plain, []string{plain}, 126, "permission denied"},
		{dir, []string{dir}, 126, "permission denied"},
	} {
		p := New()
		p.Exec(c.name, c.paths, []string{c.name}, nil)
		_, code, err := run(t, p, Options{})
		var le *Error
		if !errors.As(err, &le) || le.Code() != c.code || !strings.Contains(le.Error(), c.says) {
			t.Errorf("%s: error %v, want code %d saying %q", c.name, err, c.code, c.says)
		}
		if code != 1 {
			t.Errorf("%s: the clone exited %d, want 1", c.name, code)
		}
	}
}

func TestFailingStepIsNamedAndStops(t *testing.T) {
	needBusybox(t)
	p := New()
	p.Mkdir("/nowhere/at/all", 0o755)
	sh(p, "echo ran")
	out, _, err := run(t, p, Options{})
	var le *Error
	if !errors.As(err, &le) || le.Code() != 125 || le.Step != "mkdir -m 755 /nowhere/at/all" || le.Err != syscall.ENOENT {
		t.Fatalf("error %#v, want the mkdir step with ENOENT", err)
	}
	if out != "" {
		t.Fatalf("the command ran after a failed step: %q", out)
	}
}

func TestToleratedAndAlternativeSteps(t *testing.T) {
	needBusybox(t)
	dir := t.TempDir()
	p := New()
	p.Mkdir(dir, 0o755) // exists: tolerated
	i := p.Mkdir(dir+"/missing/x", 0o755)
	p.Otherwise(i, func() { p.Mkdir(dir+"/alt", 0o700) })
	j := p.Mkdir(dir+"/first", 0o755)
	p.Otherwise(j, func() { p.Mkdir(dir+"/not-made", 0o755) })
	sh(p, "echo ok")
	out, code, err := run(t, p, Options{})
	if err != nil || code != 0 || out != "ok\n" {
		t.Fatalf("err %v exit %d out %q", err, code, out)
	}
	for name, want := range map[string]bool{"alt": true, "first": true, "not-made": false} {
		if _, err := os.Stat(dir + "/" + name); (err == nil) != want {
			t.Errorf("%s made: %v, want %v", name, err == nil, want)
		}
	}
}

func TestCapabilitiesNoNewPrivsAndUser(t *testing.T) {
	needBusybox(t)
	keep := uint64(1<<unix.CAP_CHOWN | 1<<unix.CAP_KILL)
	p := New()
	p.DropBounding(keep, lastCapForTest(t), "chown,kill")
	p.KeepCaps(true)
	p.Credentials(0, 0, []uint32{10, 20})
	p.SetCapabilities(keep, "chown,kill")
	p.NoNewPrivs()
	sh(p, "grep -E '^(Cap|NoNewPrivs|Groups)' /proc/self/status")
	out, code, err := run(t, p, Options{})
	if err != nil || code != 0 {
		t.Fatalf("err %v exit %d out %q", err, code, out)
	}
	want := "0000000000000021"
	for _, line := range []string{"CapInh:\t0000000000000000", "CapPrm:\t" + want, "CapEff:\t" + want, "CapBnd:\t" + want, "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "Groups:\t10 20"} {
		if !strings.Contains(out, line) {
			t.Errorf("status lacks %q:\n%s", line, out)
		}
	}
}

func TestTerminalInItsOwnDevpts(t *testing.T) {
	needBusybox(t)
	p := New()
	p.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, "")
	p.Mount("devpts", "/dev/pts", "devpts", unix.MS_NOSUID|unix.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620")
	p.Mount("/dev/pts/ptmx", "/dev/ptmx", "", unix.MS_BIND, "")
	p.Terminal(30, 100, "")
	sh(p, "tty; stty size; echo done")
	pr, err := p.Start(Options{Cloneflags: unix.CLONE_NEWNS})
	if err != nil {
		t.Fatal(err)
	}
	master, err := pr.Terminal()
	if err != nil {
		t.Fatalf("terminal: %v", err)
	}
	defer master.Close()
	if err := pr.Wait(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	buf := make([]byte, 256)
	for !strings.Contains(out.String(), "done") {
		n, err := master.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			break
		}
	}
	wait(t, pr)
	if !strings.HasPrefix(out.String(), "/dev/pts/0\r\n30 100") {
		t.Fatalf("tty says %q, want /dev/pts/0 of a new devpts instance, 30 rows of 100", out.String())
	}
}

func TestUserNamespaceWithMaps(t *testing.T) {
	needBusybox(t)
	p := New()
	p.Credentials(0, 0, nil)
	sh(p, "cat /proc/self/uid_map; id -u")
	out, code, err := run(t, p, Options{Cloneflags: unix.CLONE_NEWUSER, UIDMap: "0 100000 65536", GIDMap: "0 100000 65536"})
	if err != nil || code != 0 {
		t.Fatalf("err %v exit %d out %q", err, code, out)
	}
	if f := strings.Fields(out); len(f) != 4 || f[0] != "0" || f[1] != "100000" || f[3] != "0" {
		t.Fatalf("output %q, want the map 0 100000 65536 and uid 0", out)
	}
}

func TestJoinsAPIDNamespaceThroughAPidfd(t *testing.T) {
	needBusybox(t)
	// A process that is PID 1 of a namespace of its own.
	holder := exec.Command(busybox, "sleep", "30")
	holder.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	fd, err := unix.PidfdOpen(holder.Process.Pid, 0)
	if err != nil {
		t.Fatal(err)
	}
	pidfd := os.NewFile(uintptr(fd), "pidfd")
	defer pidfd.Close()
	p := New()
	sh(p, "echo $$")
	out, code, err := run(t, p, Options{Join: []Namespace{{File: pidfd, Type: unix.CLONE_NEWPID}}})
	if err != nil || code != 0 {
		t.Fatalf("err %v exit %d", err, code)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(out)); n < 2 {
		t.Fatalf("PID inside %q, want 2 or more in the holder's namespace", out)
	}
}

// TestManyStartsUnderGarbageCollection starts clones while other goroutines allocate
// hard: the clone must never touch the runtime.
func TestManyStartsUnderGarbageCollection(t *testing.T) {
	needBusybox(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep [][]byte
			for {
				select {
				case <-stop:
					return
				default:
				}
				keep = append(keep, make([]byte, 1<<12))
				if len(keep) > 256 {
					keep = nil
					runtime.Gosched()
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	n := 200
	if testing.Short() {
		n = 20
	}
	for i := 0; i < n; i++ {
		p := New()
		p.Sethostname("h" + strconv.Itoa(i))
		p.Exec("true", []string{busybox}, []string{"true"}, nil)
		pr, err := p.Start(Options{Cloneflags: unix.CLONE_NEWUTS | unix.CLONE_NEWPID})
		if err != nil {
			t.Fatal(err)
		}
		if err := pr.Wait(); err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		if code := wait(t, pr); code != 0 {
			t.Fatalf("start %d exited %d", i, code)
		}
	}
}

func lastCapForTest(t *testing.T) int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}
