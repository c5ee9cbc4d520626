package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/cgview"
	"workbench/core"
)

// statsInterval is how often `stats` samples and prints.
const statsInterval = time.Second

func newStatsCmd() *cobra.Command {
	var noStream, asJSON bool
	cmd := leaf{use: "stats [--no-stream] [--json] [CONTAINER...]",
		short: "Show CPU, throttling, memory and PID figures of containers, live",
		long: `stats reads the containers' cgroups every second: CPU % of one core and of the machine, the CFS
quota and period, periods throttled, time throttled, memory against its limit, failcnt, OOM kills
and PIDs. Without names it shows every running container. It streams until interrupted unless
--no-stream is given (then it samples twice, a second apart, and prints once).`,
		example: `  workbench stats
  workbench stats --no-stream --json web`,
		run: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			inst := e.Instance()
			list := statsTargets(e, args)
			if _, err := list(cmd.Context()); err != nil {
				return err
			}
			s := cgview.NewSampler(inst, list, 2)
			defer s.Close()
			out := cmd.OutOrStdout()
			clear := outputIsTerminal(out) && !noStream && !asJSON
			if err := s.Sample(cmd.Context()); err != nil {
				return err
			}
			tick := time.NewTicker(statsInterval)
			defer tick.Stop()
			for {
				select {
				case <-cmd.Context().Done():
					return nil
				case <-tick.C:
				}
				if err := s.Sample(cmd.Context()); err != nil {
					return err
				}
				rows := cgview.Rows(s.Snapshot())
				switch {
				case asJSON && noStream:
					return printJSON(cmd, rows)
				case asJSON:
					b, _ := json.Marshal(rows)
					fmt.Fprintln(out, string(b))
				default:
					if clear {
						fmt.Fprint(out, "\x1b[H\x1b[2J")
					}
					fmt.Fprint(out, cgview.FitTable(rows, outputWidth(out)))
				}
				if noStream {
					return nil
				}
			}
		}}.command()
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one reading and exit")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (one array per reading)")
	return cmd
}

// statsTargets returns the function that lists what `stats` samples: the named
// containers (each must exist), or every running container, looked up again each time
// so containers that start or stop come and go.
func statsTargets(e *core.Engine, names []string) func(context.Context) ([]cgview.Target, error) {
	return func(ctx context.Context) ([]cgview.Target, error) {
		var cs []core.Container
		if len(names) == 0 {
			all, err := e.List(ctx, false)
			if err != nil {
				return nil, err
			}
			cs = all
		}
		for _, n := range names {
			c, err := e.Lookup(ctx, n)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c)
		}
		out := make([]cgview.Target, 0, len(cs))
		for _, c := range cs {
			out = append(out, cgview.Target{ID: c.ID, Name: c.Name, CgroupID: c.CgroupID})
		}
		return out, nil
	}
}

// outputIsTerminal reports whether w is a terminal, where a streaming table redraws in
// place: a file that is one, or a writer that says it is (the app's stream view).
func outputIsTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ IsTerminal() bool }); ok {
		return t.IsTerminal()
	}
	return isTerminal(w)
}

// outputWidth is the width of the screen w shows on, 0 when it is not one (a file, a
// pipe: the table is printed whole).
func outputWidth(w io.Writer) int {
	if s, ok := w.(interface{ Width() int }); ok {
		return s.Width()
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			return cols
		}
	}
	return 0
}

// isTerminal reports whether a stream is a terminal device.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
