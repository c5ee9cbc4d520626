package cli

import (
	"strings"
	"testing"

	"workbench/testutil"
	"workbench/tui/cmdline"
)

// TestAppKind: the app hands the terminal to the lines that read it, streams those
// that go on, and runs the others in the background, reading flags as the commands do.
func TestAppKind(t *testing.T) {
	for line, want := range map[string]cmdline.Kind{
		"exec -it web sh":                     cmdline.Interactive,
		"exec -i web sh":                      cmdline.Interactive,
		"exec web ls":                         cmdline.Plain,
		"container exec --tty web sh":         cmdline.Interactive,
		"run -it busybox sh":                  cmdline.Interactive,
		"run -d -it busybox sh":               cmdline.Plain,
		"run --name web busybox echo hi":      cmdline.Plain,
		"attach web":                          cmdline.Interactive,
		"start -ai web":                       cmdline.Interactive,
		"start -a web":                        cmdline.Streaming,
		"start web":                           cmdline.Plain,
		"logs -f web":                         cmdline.Streaming,
		"logs --follow --tail 5 web":          cmdline.Streaming,
		"logs web":                            cmdline.Plain,
		"stats":                               cmdline.Streaming,
		"stats --no-stream":                   cmdline.Plain,
		"events":                              cmdline.Streaming,
		"events --since 10m --until 1s":       cmdline.Plain,
		"ps -a":                               cmdline.Plain,
		"no-such-command -it":                 cmdline.Plain,
		"exec --no-such-flag -it web":         cmdline.Plain,
		"network create --subnet 10.9.0.0/16": cmdline.Plain,
	} {
		if got := appKind(strings.Fields(line)); got != want {
			t.Errorf("appKind(%q) = %d, want %d", line, got, want)
		}
	}
}

// FuzzAppKind: any line the : line may give is read without a panic, and a line that is
// not a command runs as a plain one (whose error then says what is wrong).
func FuzzAppKind(f *testing.F) {
	testutil.Seed(f, "exec -it web sh", "run -d -it busybox", "logs -f", "stats --no-stream=false", "events --until",
		"start -ai", "--help", "exec --", "-it", "network create --subnet", "run --cpus lots busybox")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) == 0 {
			return
		}
		kind := appKind(args)
		if kind != cmdline.Plain && kind != cmdline.Interactive && kind != cmdline.Streaming {
			t.Fatalf("appKind(%q) = %d", line, kind)
		}
		if c, _, err := NewRoot().Find(args); (err != nil || !c.Runnable()) && kind != cmdline.Plain {
			t.Fatalf("appKind(%q) = %d for a line that is not a command", line, kind)
		}
	})
}
