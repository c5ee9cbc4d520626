package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

// logTimeLayout is Docker's timestamp of `logs -t`: RFC 3339 with nine digits of
// nanoseconds always, so that every line's time has the same width.
const logTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// logOptions are the flags of logs.
type logOptions struct {
	follow, timestamps bool
	tail, since, until string
}

// logWindow is which entries logs prints: the last tail of them (-1: all), and of
// those the ones written from since up to until (zero: no bound).
type logWindow struct {
	tail         int
	since, until time.Time
}

func newLogsCmd() *cobra.Command {
	var o logOptions
	cmd := leaf{use: "logs [-f] [-t] [--tail N] [--since T] [--until T] CONTAINER",
		short: "Print a container's output (standard error to standard error)",
		example: `  workbench logs --tail 20 -f web
  workbench logs --since 10m -t web
  workbench logs --since 2024-05-01T12:00:00Z --until 2024-05-01T12:05:00Z web`,
		args: cobra.ExactArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			win, err := o.window(time.Now())
			if err != nil {
				return err
			}
			return onContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container, _ []string) error {
				lr, err := e.OpenLog(c.ID)
				if err != nil {
					return err
				}
				defer lr.Close()
				return printLogs(cmd, e, c, lr, win, o)
			})(cmd, args)
		}}.command()
	fs := cmd.Flags()
	fs.BoolVarP(&o.follow, "follow", "f", false, "keep printing new output until the container ends")
	fs.BoolVarP(&o.timestamps, "timestamps", "t", false, "show when each line was written (RFC 3339, nanoseconds, UTC)")
	fs.StringVarP(&o.tail, "tail", "n", "all", "print only the last N lines (all: every line)")
	fs.StringVar(&o.since, "since", "", "print only lines written since a time (2024-05-01T12:00:00Z) or for a duration back (10m)")
	fs.StringVar(&o.until, "until", "", "print only lines written before a time (2024-05-01T12:00:00Z) or a duration ago (10m)")
	return cmd
}

// window reads --tail, --since and --until.
func (o logOptions) window(now time.Time) (logWindow, error) {
	w := logWindow{tail: -1}
	if o.tail != "all" {
		n, err := strconv.Atoi(o.tail)
		if err != nil || n < 0 {
			return w, fmt.Errorf("--tail %q is not a number of lines: give one like --tail 20, or --tail all", o.tail)
		}
		w.tail = n
	}
	var err error
	w.since, w.until, err = parseTimeFlags(o.since, o.until, now)
	return w, err
}

// shows says whether an entry written at t is inside the window's times.
func (w logWindow) shows(t time.Time) bool {
	return (w.since.IsZero() || !t.Before(w.since)) && (w.until.IsZero() || t.Before(w.until))
}

// printLogs prints the window's entries of a log, then, with -f, what the container
// writes until it ends.
func printLogs(cmd *cobra.Command, e *core.Engine, c core.Container, lr *core.LogReader, win logWindow, o logOptions) error {
	show := func(ent core.LogEntry) {
		if !win.shows(ent.Time) {
			return
		}
		w := cmd.OutOrStdout()
		if ent.Stream == "stderr" {
			w = cmd.ErrOrStderr()
		}
		io.WriteString(w, logLine(ent, o.timestamps))
	}
	// The tail is what the log holds now: read it to its end first.
	var tail []core.LogEntry
	err := readToEnd(lr, func(ent core.LogEntry) {
		if win.tail < 0 {
			show(ent)
		} else if tail = append(tail, ent); len(tail) > win.tail {
			tail = tail[1:]
		}
	})
	if err != nil {
		return err
	}
	for _, ent := range tail {
		show(ent)
	}
	for follow := o.follow; follow; {
		if !win.until.IsZero() && time.Now().After(win.until) {
			return nil
		}
		// Once it has ended, read what it wrote last, then stop.
		follow = stillRunning(cmd, e, c.ID)
		if err := readToEnd(lr, show); err != nil || !follow {
			return err
		}
		select {
		case <-cmd.Context().Done():
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// readToEnd passes each entry the log holds now to each, in order.
func readToEnd(lr *core.LogReader, each func(core.LogEntry)) error {
	for {
		ent, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		each(ent)
	}
}

// logLine is an entry as logs prints it: its text, after its time with -t.
func logLine(ent core.LogEntry, timestamps bool) string {
	if timestamps {
		return ent.Time.UTC().Format(logTimeLayout) + " " + ent.Log
	}
	return ent.Log
}

// stillRunning says whether the container still runs (its log may still grow).
func stillRunning(cmd *cobra.Command, e *core.Engine, id string) bool {
	c, err := e.Lookup(cmd.Context(), id)
	return err == nil && c.State == core.StateRunning
}
