package traceview

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"workbench/netviz/trace"
	"workbench/tui/pane"
)

// Source sends a probe and follows it.
type Source interface {
	// Probe sends one probe from a lab host or container to TO[:PORT][/PROTO] and
	// returns its journey.
	Probe(ctx context.Context, from, to string) (trace.Journey, error)
}

// CLISource traces with the CLI's `trace --json --probe`, so the pane names hosts,
// containers and addresses exactly as the command line does.
type CLISource struct {
	// Run runs the CLI.
	Run pane.RunFunc
	// Timeout bounds one probe, as `--timeout` does.
	Timeout string
}

// Probe runs `trace --json --timeout T --probe FROM TO` and reads the journey it prints.
func (s CLISource) Probe(ctx context.Context, from, to string) (trace.Journey, error) {
	var out, errOut bytes.Buffer
	args := []string{"trace", "--json", "--timeout", s.Timeout, "--probe", from, to}
	if code := s.Run(ctx, args, strings.NewReader(""), &out, &errOut); code != 0 {
		msg := strings.TrimSpace(errOut.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = fmt.Sprintf("exit status %d", code)
		}
		return trace.Journey{}, fmt.Errorf("trace %s %s: %s", from, to, strings.TrimPrefix(msg, "workbench: "))
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	var j trace.Journey
	if err := json.Unmarshal([]byte(line), &j); err != nil {
		return trace.Journey{}, fmt.Errorf("trace %s %s printed no journey: %w", from, to, err)
	}
	return j, nil
}
