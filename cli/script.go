package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"workbench/core/network"
	"workbench/instance"
	"workbench/labs"
	"workbench/script"
)

// addScriptFlags gives the root command --script, --keep and --demo.
func addScriptFlags(root *cobra.Command) {
	var file, demo string
	var keep bool
	root.Flags().StringVar(&file, "script", "", "run a lab script headless (a file, or the name of a bundled lab): print each step, its output and each verdict; exit 1 if any expectation fails")
	root.Flags().BoolVar(&keep, "keep", false, "with --script: leave the lab standing at the end instead of resetting the instance")
	root.Flags().StringVar(&demo, "demo", "", "play a bundled lab step by step in the full-screen app (`workbench demo` lists them)")
	next := root.RunE
	root.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case file != "" && demo != "":
			return fmt.Errorf("--script and --demo cannot go together: run a lab headless with --script, or play it in the app with --demo")
		case file != "":
			return runScriptFile(cmd, file, keep)
		case demo != "":
			return playDemo(cmd, demo, demoStart{})
		case keep:
			return fmt.Errorf("--keep goes with --script FILE: it keeps the script's lab standing")
		case next != nil:
			return next(cmd, args)
		}
		return cmd.Help()
	}
}

// loadScript reads and parses a script file, or a bundled lab when no file has that name.
func loadScript(name string) (*script.Script, error) {
	src, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) && !strings.ContainsRune(name, '/') {
		lab, labErr := labs.Get(strings.TrimSuffix(name, labs.Ext))
		if labErr != nil {
			return nil, fmt.Errorf("no script file %s and no bundled lab of that name: give a path, or a name from `workbench demo`", name)
		}
		return lab.Script()
	}
	if err != nil {
		return nil, fmt.Errorf("read script: %w", err)
	}
	return script.Parse(name, src)
}

// runScriptFile runs a script headless in the current instance and, unless keep,
// resets the instance at the end, even when interrupted.
func runScriptFile(cmd *cobra.Command, name string, keep bool) error {
	s, err := loadScript(name)
	if err != nil {
		// Every bad line on a line of its own, then a status: nothing ran.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(cmd.ErrOrStderr(), "workbench: "+line)
		}
		return ExitStatus{Code: 2}
	}
	inst, err := rootInstance(cmd)
	if err != nil {
		return err
	}
	if !keep {
		if what := standingLab(inst); what != "" {
			return fmt.Errorf("instance %s already has a lab standing (%s) and the script would reset it at the end: run it in another instance (WORKBENCH_INSTANCE=lab1), with --keep, or after `workbench reset`", inst.Name, what)
		}
	}
	_, err = os.Stat(inst.ImagesDir())
	hadImages := err == nil
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := cmd.OutOrStdout()
	r := script.NewRunner(s, &script.Env{Run: Run, Lab: newScriptLab(inst)})
	ok := r.Run(ctx, out)
	if keep {
		fmt.Fprintf(out, "the lab is left standing in instance %s (`workbench reset` removes it)\n", inst.Name)
	} else if err := resetLab(out, hadImages); err != nil {
		return err
	}
	if !ok {
		return ExitStatus{Code: 1}
	}
	return nil
}

// standingLab names what an instance already has: its first lab host or a container.
func standingLab(inst instance.Instance) string {
	if _, err := os.Stat(network.NetnsPath(inst, network.DefaultHost)); err == nil {
		return "host " + inst.HostNetnsName(network.DefaultHost)
	}
	if entries, err := os.ReadDir(inst.ContainersDir()); err == nil && len(entries) > 0 {
		return fmt.Sprintf("%d container(s)", len(entries))
	}
	return ""
}

// resetLab removes everything the script made, with the same command a person uses;
// an image store that was there before the script stays. It runs on a fresh context:
// an interrupted script still cleans up.
func resetLab(out io.Writer, keepImages bool) error {
	args := []string{"reset"}
	if keepImages {
		args = append(args, "--keep-images")
	}
	var errOut strings.Builder
	if code := Run(context.Background(), args, strings.NewReader(""), io.Discard, &errOut); code != 0 {
		return fmt.Errorf("the lab could not be removed: %s", strings.TrimSpace(errOut.String()))
	}
	fmt.Fprintln(out, "the lab is removed")
	return nil
}
