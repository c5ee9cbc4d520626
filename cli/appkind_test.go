package cli

import (
	"strings"
	"testing"

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
