package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// freezeWait is how long Freeze waits for every process of a group to stop.
const freezeWait = 10 * time.Second

// Freeze stops every process of the group with the cgroup freezer (the processes
// cannot see, catch or undo it) and returns once the kernel reports them all frozen:
// on v1 it writes FROZEN to freezer.state and waits until that file reads FROZEN, on
// v2 it writes 1 to cgroup.freeze and waits for "frozen 1" in cgroup.events. A group
// that is not frozen after a while is thawed again and the error says so.
func (g *Group) Freeze() error {
	if err := g.setFrozen(true); err != nil {
		return err
	}
	deadline := time.Now().Add(freezeWait)
	for delay := 100 * time.Microsecond; ; delay = min(2*delay, 10*time.Millisecond) {
		frozen, err := g.frozen()
		if err == nil && frozen {
			return nil
		}
		if err == nil && time.Now().After(deadline) {
			err = fmt.Errorf("cgroup %s is not frozen after %s: a process may be stuck in the kernel (ps -o pid,stat,wchan)", g.path, freezeWait)
		}
		if err != nil {
			return errors.Join(err, g.Thaw())
		}
		time.Sleep(delay)
	}
}

// Thaw lets the processes of a frozen group run again: THAWED to freezer.state on v1,
// 0 to cgroup.freeze on v2.
func (g *Group) Thaw() error { return g.setFrozen(false) }

// setFrozen writes the value that freezes or thaws the group to its freezer file.
func (g *Group) setFrozen(freeze bool) error {
	file, value, err := g.freezer(freeze)
	if err != nil {
		return err
	}
	if err := g.writeFile(file, value); err != nil {
		verb := "thaw"
		if freeze {
			verb = "freeze"
		}
		return fmt.Errorf("%s cgroup %s: %w", verb, g.path, err)
	}
	return nil
}

// freezer is the file that freezes or thaws the group and the value that does it.
func (g *Group) freezer(freeze bool) (file, value string, err error) {
	file, value, missing := filepath.Join(g.lo.dir("freezer", g.path), "freezer.state"), "THAWED",
		"it has no freezer directory (%s is missing; it was made before the freezer was used)"
	if freeze {
		value = "FROZEN"
	}
	switch {
	case g.lo.mode == V2:
		file, value, missing = filepath.Join(g.lo.dir("", g.path), "cgroup.freeze"), "0",
			"%s is missing (the v2 freezer needs Linux 5.2 or later)"
		if freeze {
			value = "1"
		}
	case !g.lo.present["freezer"]:
		return "", "", fmt.Errorf("cgroup %s cannot be frozen: the freezer cgroup controller is not available on this machine", g.path)
	}
	if _, err := os.Stat(file); err != nil {
		return "", "", fmt.Errorf("cgroup %s cannot be frozen: "+missing, g.path, file)
	}
	return file, value, nil
}

// frozen reports whether the kernel has every process of the group frozen: "frozen 1"
// in cgroup.events on v2, FROZEN in freezer.state on v1.
func (g *Group) frozen() (bool, error) {
	file := filepath.Join(g.lo.dir("freezer", g.path), "freezer.state")
	if g.lo.mode == V2 {
		file = filepath.Join(g.lo.dir("", g.path), "cgroup.events")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return false, fmt.Errorf("read the freezer state of cgroup %s: %w", g.path, err)
	}
	if g.lo.mode == V2 {
		return keyValue(b, "frozen") == 1, nil
	}
	return strings.TrimSpace(string(b)) == "FROZEN", nil
}
