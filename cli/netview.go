package cli

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/instance"
)

// hostNetnsPath resolves a lab host's name ("" = host1, "real" = the machine) to its
// network namespace file, failing with what to do when the host does not exist.
func hostNetnsPath(inst instance.Instance, host string) (string, error) {
	path, err := network.New(inst, cmdlog.Open(inst.CommandLogPath())).HostNetnsPath(host)
	if err != nil && (host == "" || host == network.DefaultHost) {
		if _, statErr := os.Stat(inst.HostNetnsPath(network.DefaultHost)); statErr != nil {
			return "", fmt.Errorf("the lab is not made yet (host1 has no network namespace): the first `workbench run` or `workbench host add NAME` makes it")
		}
	}
	return path, err
}

// viewOutput tells how wide the command's output is and whether it may be coloured:
// a terminal gets its width and colour (unless $NO_COLOR is set); anything else gets
// $COLUMNS or 80 columns and plain text. width > 0 overrides the width.
func viewOutput(cmd *cobra.Command, width int) (int, bool) {
	w, colour := 80, false
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		w = n
	}
	if f, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		colour = os.Getenv("NO_COLOR") == ""
		if tw, _, err := term.GetSize(int(f.Fd())); err == nil && tw > 0 {
			w = tw
		}
	}
	if width > 0 {
		w = width
	}
	return w, colour
}
