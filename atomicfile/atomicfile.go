// Package atomicfile writes state files so that a reader, or a command started after
// the writer was killed, sees the old content or the new, never part of either.
package atomicfile

import (
	"os"
	"path/filepath"
)

// tempSuffix ends the name of a file being written: a hidden name that does not end in
// .json, so the readers of a directory of state files pass it over.
const tempSuffix = ".tmp"

// Write writes data to path, readable and writable by its owner only, through a new
// file in the same directory renamed over path. A writer killed part way leaves at
// most a hidden file whose name ends in .tmp.
func Write(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*"+tempSuffix)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
