package cli

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"workbench/testutil"
)

// runCLI runs one command line in this process, with an empty input.
func runCLI(args ...string) (out, errOut string, code int) {
	var o, e bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// groupPaths lists every command that only groups others, by its words.
func groupPaths() [][]string {
	var out [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			p := append(slices.Clone(path), sub.Name())
			if sub.HasSubCommands() {
				out = append(out, p)
			}
			walk(sub, p)
		}
	}
	walk(NewRoot(), nil)
	return out
}

func TestEveryGroupRefusesUnknownSubcommands(t *testing.T) {
	testutil.NewInstance(t)
	groups := groupPaths()
	for _, want := range []string{"network", "host", "image", "container", "system", "completion"} {
		if !slices.ContainsFunc(groups, func(p []string) bool { return len(p) == 1 && p[0] == want }) {
			t.Errorf("no command group %s among %v", want, groups)
		}
	}
	for _, g := range append(groups, nil) {
		args := append(slices.Clone(g), "bogus")
		out, errOut, code := runCLI(args...)
		want := "workbench: unknown command \"bogus\" for \"" + strings.Join(append([]string{"workbench"}, g...), " ") + "\""
		if code != 1 || out != "" || !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want 1 and one line %q...", args, code, out, errOut, want)
		}
		if g == nil {
			continue
		}
		if out, _, code := runCLI(g...); code != 0 || !strings.Contains(out, "Available Commands:") {
			t.Errorf("%v alone: status %d, want its help:\n%s", g, code, out)
		}
	}
	if _, errOut, _ := runCLI("netwrok"); !strings.Contains(errOut, "did you mean network?") {
		t.Errorf("a near miss is not suggested: %q", errOut)
	}
}

func TestRefusedCommandsSayWhy(t *testing.T) {
	testutil.NewInstance(t)
	for path, why := range refusedCommands {
		out, errOut, code := runCLI(strings.Fields(path)...)
		want := "workbench: " + path + " is Docker's, not the workbench's: " + why + "\n"
		if code != 1 || out != "" || errOut != want {
			t.Errorf("%s: status %d, stdout %q, stderr %q; want %q", path, code, out, errOut, want)
		}
	}
	// None of them is a command the workbench has.
	root := NewRoot()
	for path := range refusedCommands {
		if c, rest, err := root.Find(strings.Fields(path)); err == nil && len(rest) == 0 && c != root {
			t.Errorf("%s is refused but is a command: %s", path, c.CommandPath())
		}
	}
}

func TestRefusedRunFlagsSayWhy(t *testing.T) {
	testutil.NewInstance(t)
	for _, cmd := range []string{"run", "container run"} {
		for name, why := range refusedRunFlags {
			args := append(strings.Fields(cmd), "--"+name+"=x", "busybox", "true")
			out, errOut, code := runCLI(args...)
			want := "workbench: --" + name + " is Docker's, not the workbench's: " + why
			if code != failStatus(args) || out != "" {
				t.Errorf("%v: status %d, stdout %q", args, code, out)
			}
			checkOneLine(t, strings.Join(args, " "), errOut, want)
		}
	}
	for short, long := range refusedRunShorthands {
		_, errOut, code := runCLI("run", "-"+short, "busybox", "true")
		if code != 125 || !strings.HasPrefix(errOut, "workbench: --"+long+" is Docker's") {
			t.Errorf("run -%s: status %d, %q", short, code, errOut)
		}
	}
	// Another command's unknown flag still says where the flags are listed.
	_, errOut, _ := runCLI("ps", "--gpus")
	checkOneLine(t, "ps --gpus", errOut, "workbench: unknown flag --gpus: `workbench ps --help` lists the flags ps takes")
	_, errOut, _ = runCLI("network", "create", "--gpus", "x")
	checkOneLine(t, "network create --gpus", errOut, "workbench: unknown flag --gpus: `workbench network create --help` lists the flags create takes")
	// A refused flag is none that run has.
	run, _, _ := NewRoot().Find([]string{"run"})
	for name := range refusedRunFlags {
		if run.Flags().Lookup(name) != nil {
			t.Errorf("--%s is refused, but run has it", name)
		}
	}
	for short := range refusedRunShorthands {
		if run.Flags().ShorthandLookup(short) != nil {
			t.Errorf("-%s is refused, but run has it", short)
		}
	}
}

func TestCommandGroupsHaveDockersNames(t *testing.T) {
	root := NewRoot()
	for _, path := range []string{
		"container ls", "container ps", "container list", "container rm", "container remove", "container inspect",
		"container logs", "container stop", "container start", "container restart", "container kill", "container exec",
		"container run", "container port", "container prune", "container stats", "container update", "container wait",
		"container commit", "container diff",
		"image ls", "image list", "image rm", "image rmi", "image remove", "image inspect", "image history", "image pull",
		"image load", "image tag", "image prune",
		"network ls", "network list", "network rm", "network remove", "network create", "network inspect",
		"network connect", "network disconnect", "network prune",
		"system prune", "version",
	} {
		c, rest, err := root.Find(strings.Fields(path))
		if err != nil || len(rest) != 0 || !c.Runnable() {
			t.Errorf("%s is not a command: %v %v", path, rest, err)
		}
	}
	ls, _, _ := root.Find([]string{"container", "ls"})
	if ls.Flags().Lookup("filter") == nil || ls.CommandPath() != "workbench container ls" || !strings.HasPrefix(ls.Use, "ls ") {
		t.Errorf("container ls is not ps under its name: %s %q", ls.CommandPath(), ls.Use)
	}
}
