package core

import (
	"errors"
	"os"

	"workbench/core/network"
)

// makeNetns makes a new network namespace kept alive by a bind mount on path, the way
// `ip netns add` does, without moving the process (see network.BindNewNetns).
func (e *Engine) makeNetns(path string) error {
	if err := network.BindNewNetns(path); err != nil {
		return err
	}
	e.log.AddArgs("touch", path)
	e.log.AddArgs("unshare", "--net="+path, "true")
	return nil
}

// removeNetns unmounts and removes a namespace file made by makeNetns; a missing file
// is not an error.
func (e *Engine) removeNetns(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	e.log.AddArgs("umount", path)
	e.log.AddArgs("rm", path)
	return network.UnbindNetns(path)
}
