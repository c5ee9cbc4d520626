// Package cli is the workbench's one command language: the shell, the app's `:` line
// and script lines are all parsed and run here. Each command group lives in its own file;
// commands lists them all.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"workbench/instance"
)

// commands are the constructors of the top-level commands. A fresh tree is built for
// every invocation, so that no flag value leaks from one command line to the next.
func commands() []func() *cobra.Command {
	return []func() *cobra.Command{
		newAttachCmd, newCaptureCmd, newCpCmd, newCreateCmd, newDemoCmd, newEventsCmd, newExecCmd,
		newHostCmd, newCommitCmd, newDiffCmd,
		newImagesCmd, newImageHistoryCmd, newTagCmd, newPullCmd, newLoadCmd, newRmiCmd,
		newInspectCmd, newLogCmd, newResetCmd, newInternalMonitorCmd,
		newStartCmd, newRestartCmd, newStopCmd, newKillCmd, newWaitCmd, newRmCmd,
		newLogsCmd, newTopologyCmd, newIptablesCmd, newNetworkCmd,
		newPauseCmd, newUnpauseCmd, newRenameCmd,
		newPortCmd, newPsCmd, newRunCmd, newStatsCmd, newTopCmd, newTraceCmd, newUpdateCmd,
		newVersionCmd, newVolumeCmd,
	}
}

// NewRoot builds the whole command tree.
func NewRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "workbench",
		Short:         "A terminal workbench on a real container engine",
		Long:          "workbench makes containers from raw kernel parts (namespaces, an overlay rootfs,\nbridges, veth pairs, iptables NAT, cgroups) inside a sandboxed lab, and shows every part live.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetFlagErrorFunc(flagError)
	root.RunE = runApp
	byName := map[string]func() *cobra.Command{}
	for _, newCmd := range commands() {
		c := newCmd()
		byName[c.Name()] = newCmd
		root.AddCommand(c)
	}
	addDockerGroups(root, byName)
	addScriptFlags(root)
	addVersionFlag(root)
	root.InitDefaultCompletionCmd()
	refuseUnknownCommands(root)
	return root
}

// Run parses args as one command line and runs it with the given streams. It returns
// the process exit status: 0, the status a command asked for, or 1 after printing a
// one-line error to stderr. The app and the script runner call it as the shell does.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var st ExitStatus
	if errors.As(err, &st) {
		return st.Code
	}
	fmt.Fprintln(stderr, "workbench: "+oneLine(withAdvice(err)))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if cmd != nil && cmd.Annotations[makesContainer] != "" {
		return 125
	}
	return 1
}

// makesContainer marks, in a command's annotations, a command that makes a container
// (run, create): as Docker's, it fails with status 125 when the workbench could not
// make it, so that a script tells that from the command's own status.
const makesContainer = "makes-container"

// Execute runs the process's own command line.
func Execute(args []string) int {
	return Run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr)
}

// ExitStatus is returned by a command that ends with a status of its own (the exit
// code of a container's process for `run` or `wait`) and has already said what it had
// to say.
type ExitStatus struct{ Code int }

func (e ExitStatus) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// exitError is an error printed as usual that ends the command with a status of its
// own (126, 127) instead of 1.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// needRoot fails with one line that says what to do when the process is not root.
func needRoot(cmd *cobra.Command) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s needs root (namespaces, mounts and cgroups): run it as root, e.g. with sudo", cmd.CommandPath())
	}
	return nil
}

// rootInstance checks for root and returns the current instance: a command that
// touches the kernel starts so.
func rootInstance(cmd *cobra.Command) (instance.Instance, error) {
	if err := needRoot(cmd); err != nil {
		return instance.Instance{}, err
	}
	return currentInstance()
}

// currentInstance is the instance selected by $WORKBENCH_INSTANCE.
func currentInstance() (instance.Instance, error) { return instance.FromEnv() }

// printJSON writes v as indented JSON to the command's output.
func printJSON(cmd *cobra.Command, v any) error {
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
