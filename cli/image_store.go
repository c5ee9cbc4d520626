package cli

import (
	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/images"
)

// openImageStore opens the image store of the current instance. A command that
// changes the store also takes the instance's state lock: lock is then the function
// that releases it.
func openImageStore(cmd *cobra.Command, change bool) (store *images.Store, unlock func(), err error) {
	inst, err := rootInstance(cmd)
	if err != nil {
		return nil, nil, err
	}
	unlock = func() {}
	if change {
		if unlock, err = inst.Lock(cmd.Context()); err != nil {
			return nil, nil, err
		}
	}
	store, err = images.Open(inst.ImagesDir(), cmdlog.Open(inst.CommandLogPath()))
	if err != nil {
		unlock()
		return nil, nil, err
	}
	store.RecordEventsTo(inst.EventsPath())
	return store, unlock, nil
}
