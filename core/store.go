package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"workbench/atomicfile"
)

// The files of a container's directory, inst.ContainersDir()/<id>/.
const (
	stateFile    = "state.json"
	logFile      = "container.log"
	hostnameFile = "hostname"
	hostsFile    = "hosts"
	resolvFile   = "resolv.conf"
	netnsFile    = "netns"
	layerDirName = "layer"
	upperDir     = "upper"
	workDir      = "work"
	mergedDir    = "merged"
	// pausedFile marks a container a commit froze; the next command thaws it if the
	// commit died before it could.
	pausedFile = "paused"
)

// Dir is the directory holding a container's state, log, files and layers.
func (e *Engine) Dir(id string) string { return filepath.Join(e.inst.ContainersDir(), id) }

// LogPath is the file where a container's output is recorded.
func (e *Engine) LogPath(id string) string { return filepath.Join(e.Dir(id), logFile) }

// save writes a container's state atomically (a new file renamed over the old one).
func (e *Engine) save(c Container) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state of %s: %w", c.Name, err)
	}
	if err := atomicfile.Write(filepath.Join(e.Dir(c.ID), stateFile), b); err != nil {
		return fmt.Errorf("write state of %s: %w", c.Name, err)
	}
	return nil
}

// errNoState marks a directory without a readable state file (a half-made container).
var errNoState = errors.New("no valid state file")

// load reads the state of the container with this full ID.
func (e *Engine) load(id string) (Container, error) {
	b, err := os.ReadFile(filepath.Join(e.Dir(id), stateFile))
	if err != nil {
		return Container{}, fmt.Errorf("%w: %v", errNoState, err)
	}
	var c Container
	if err := json.Unmarshal(b, &c); err != nil || c.ID != id {
		return Container{}, fmt.Errorf("%w: %s is damaged", errNoState, filepath.Join(e.Dir(id), stateFile))
	}
	return c, nil
}

// ids lists the directory names under the containers directory.
func (e *Engine) ids() ([]string, error) {
	ents, err := os.ReadDir(e.inst.ContainersDir())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	var out []string
	for _, d := range ents {
		if d.IsDir() {
			out = append(out, d.Name())
		}
	}
	return out, nil
}

// loadAll reads every container with a valid state, newest first.
func (e *Engine) loadAll() ([]Container, error) {
	ids, err := e.ids()
	if err != nil {
		return nil, err
	}
	var out []Container
	for _, id := range ids {
		c, err := e.load(id)
		if err != nil {
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}
