package cli

import (
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
		fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: "+w)
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

// eachContainer opens the engine and applies act to each named container in turn,
// printing each name once act has succeeded, as docker does; it stops at the first
// error.
func eachContainer(cmd *cobra.Command, names []string, act func(*core.Engine, core.Container) error) error {
	e, err := openEngine(cmd)
	if err != nil {
		return err
	}
	for _, name := range names {
		c, err := e.Lookup(cmd.Context(), name)
		if err != nil {
			return err
		}
		if err := act(e, c); err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), name)
	}
	return nil
}
