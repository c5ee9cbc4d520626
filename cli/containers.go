package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

// openEngine checks for root and opens the engine of the current instance, which
// reconciles its state with the kernel first; what it could not repair is printed as
// warnings.
func openEngine(cmd *cobra.Command) (*core.Engine, error) {
	inst, err := rootInstance(cmd)
	if err != nil {
		return nil, err
	}
	e, err := core.Open(cmd.Context(), inst)
	if err != nil {
		return nil, err
	}
	for _, w := range e.Warnings() {
		warn(cmd, w)
	}
	return e, nil
}

// lookupContainer opens the engine and finds a container by name or ID prefix.
func lookupContainer(cmd *cobra.Command, nameOrID string) (*core.Engine, core.Container, error) {
	e, err := openEngine(cmd)
	if err != nil {
		return nil, core.Container{}, err
	}
	c, err := e.Lookup(cmd.Context(), nameOrID)
	return e, c, err
}

// eachContainer opens the engine and applies act to each named container in turn, as
// Docker does: the name of each one act succeeded on is printed, each failure is
// reported on stderr in one line and the others are still acted on; any failure ends
// the command with status 1 (or with the status of the one failure there was).
func eachContainer(cmd *cobra.Command, names []string, act func(*core.Engine, core.Container) error) error {
	e, err := openEngine(cmd)
	if err != nil {
		return err
	}
	var failures []error
	for _, name := range names {
		c, err := e.Lookup(cmd.Context(), name)
		if err == nil {
			err = act(e, c)
		}
		if err != nil {
			failures = append(failures, err)
			var st ExitStatus
			if !errors.As(err, &st) { // an ExitStatus has been reported already
				fmt.Fprintln(cmd.ErrOrStderr(), "workbench: "+oneLine(err.Error()))
			}
			continue
		}
		fmt.Fprintln(cmd.OutOrStdout(), name)
	}
	var st ExitStatus
	switch {
	case len(failures) == 0:
		return nil
	case len(failures) == 1 && errors.As(failures[0], &st):
		return st
	}
	return ExitStatus{Code: 1}
}
