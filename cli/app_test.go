package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestAppNeedsATerminal: workbench without a command, its streams not a terminal, says
// so in one line and fails.
func TestAppNeedsATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Run(context.Background(), nil, strings.NewReader(""), &out, &errOut)
	want := "workbench: the workbench app needs a terminal; use a subcommand or --script\n"
	if code == 0 || errOut.String() != want || out.Len() != 0 {
		t.Errorf("status %d, stdout %q, stderr %q; want non-zero and %q", code, out.String(), errOut.String(), want)
	}
}
