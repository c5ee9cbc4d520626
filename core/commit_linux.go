package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"workbench/core/cgroup"
	"workbench/images"
)

// CommitSpec says how Commit makes an image of a container.
type CommitSpec struct {
	// Ref names the new image ("name:tag"); empty leaves it known by its ID only.
	Ref string
	// Comment is a note kept in the image's history.
	Comment string
	// Pause freezes a running container while its layer is read, as `docker commit`
	// does by default; without it the layer is read while the container changes it.
	Pause bool
}

// Commit makes a new image from a container: its writable layer on top of its image.
// A running container is paused (its cgroup frozen) while the layer is read when
// spec.Pause is set, and thawed afterwards whatever happens: a failed commit, a
// cancelled context. A container that does not run is committed as it is.
func (e *Engine) Commit(ctx context.Context, c Container, spec CommitSpec) (img *images.Image, err error) {
	if spec.Ref != "" {
		if _, err := images.ParseRef(spec.Ref); err != nil {
			return nil, err
		}
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cur, err := e.load(c.ID)
	if err != nil {
		return nil, fmt.Errorf("container %s was removed meanwhile: nothing to commit", c.Name)
	}
	store, err := images.Open(e.inst.ImagesDir(), e.log)
	if err != nil {
		return nil, err
	}
	if spec.Pause && cur.State == StateRunning && !cur.Paused {
		if err := e.pause(cur); err != nil {
			return nil, err
		}
		defer func() { err = errors.Join(err, e.resume(cur)) }()
	}
	img, err = store.Commit(ctx, cur.UpperDir, cur.ImageID, spec.Ref, images.CommitOptions{
		Comment:   spec.Comment,
		CreatedBy: "workbench commit " + cur.Name,
	})
	if err == nil {
		e.event("commit", cur, "imageID", img.ID)
	}
	return img, err
}

// pause freezes a container's cgroup. The intent is written first, in the container's
// directory, so that when the command dies with the container frozen the next one
// (reconcile) thaws it.
func (e *Engine) pause(c Container) error {
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return fmt.Errorf("pause container %s: %w", c.Name, err)
	}
	mark := filepath.Join(e.Dir(c.ID), pausedFile)
	if err := os.WriteFile(mark, nil, 0o600); err != nil {
		return fmt.Errorf("pause container %s: %w", c.Name, err)
	}
	if err := g.Freeze(); err != nil {
		os.Remove(mark)
		return fmt.Errorf("pause container %s: %w (commit --pause=false reads its layer while it runs)", c.Name, err)
	}
	return nil
}

// resume thaws a container that pause froze, and removes the mark. A container whose
// cgroup is gone has nothing to thaw.
func (e *Engine) resume(c Container) error {
	if g, err := cgroup.Open(e.inst, c.CgroupID); err == nil {
		if err := g.Thaw(); err != nil {
			return fmt.Errorf("resume container %s: %w", c.Name, err)
		}
	}
	if err := os.Remove(filepath.Join(e.Dir(c.ID), pausedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("resume container %s: %w", c.Name, err)
	}
	return nil
}
