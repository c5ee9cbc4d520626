package cli

import (
	"regexp"
	"strings"
	"testing"

	"workbench/testutil"

	"github.com/spf13/pflag"
)

// TestReadmeListsDockersFlagsAndCommands checks the README's tables: every flag run
// has, every refused flag and every refused command is there, a refused one with its
// reason.
func TestReadmeListsDockersFlagsAndCommands(t *testing.T) {
	readme := testutil.ReadFile(t, "../README.md")
	rows := map[string]string{}
	for _, line := range strings.Split(readme, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
			rows[name[1]] = strings.TrimSpace(cells[2])
		}
	}
	run, _, _ := NewRoot().Find([]string{"run"})
	run.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		if got, ok := rows["--"+f.Name]; !ok || !strings.HasPrefix(got, "supported") && !strings.HasPrefix(got, "the workbench's") {
			t.Errorf("README: run --%s is not in the table as supported (%q)", f.Name, got)
		}
	})
	for name, why := range refusedRunFlags {
		if got := rows["--"+name]; got != "refused: "+why {
			t.Errorf("README: --%s is %q, want %q", name, got, "refused: "+why)
		}
	}
	for path, why := range refusedCommands {
		if got := rows[path]; got != "refused: "+why {
			t.Errorf("README: %s is %q, want %q", path, got, "refused: "+why)
		}
	}
}
