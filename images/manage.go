package images

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Summary is one image as `images` lists it.
type Summary struct {
	// ID is the image ID, "sha256:...".
	ID string
	// Refs are the references naming it, sorted; empty for an unnamed image.
	Refs []string
	// Created is when the image was made.
	Created time.Time
	// Size is the sum of its layers' sizes in bytes.
	Size int64
	// Layers is the number of its layers.
	Layers int
}

// List returns every image of the store, newest first. The built-in busybox is
// listed once it has been made (by its first use), and not after it was removed.
func (s *Store) List() ([]Summary, error) {
	refs, err := s.readRefs()
	if err != nil {
		return nil, err
	}
	byID := map[string][]string{}
	for r, id := range refs {
		byID[id] = append(byID[id], r)
	}
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, rec := range recs {
		sum := Summary{ID: rec.ID, Refs: append([]string{}, byID[rec.ID]...), Created: rec.Created, Layers: len(rec.Layers)}
		sort.Strings(sum.Refs)
		for _, l := range rec.Layers {
			sum.Size += l.Size
		}
		out = append(out, sum)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Tag records dst as another reference to the image src names.
func (s *Store) Tag(src, dst string) error {
	rec, _, err := s.lookup(src)
	if err != nil {
		return err
	}
	if rec == nil {
		return notFound(src)
	}
	r, err := ParseRef(dst)
	if err != nil {
		return err
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	refs, err := s.readRefs()
	if err != nil {
		return err
	}
	refs[r.String()] = rec.ID
	if err := s.writeRefs(refs); err != nil {
		return err
	}
	s.event("tag", rec.ID, r.String())
	return nil
}

// HistoryLine is one line of `image history`: a step and the layer it made, if any.
type HistoryLine struct {
	// HistoryEntry is the step.
	HistoryEntry
	// Layer is the layer the step made, empty for a step that made none.
	Layer LayerInfo
	// LayerDir is that layer's directory in the store.
	LayerDir string `json:",omitempty"`
}

// Details is everything the store knows of one image.
type Details struct {
	// ID is the image ID.
	ID string
	// Refs are the references naming it.
	Refs []string
	// Created is when the image was made.
	Created time.Time
	// OS and Architecture are the platform of the image.
	OS, Architecture string
	// Config is how a container of the image starts.
	Config Config
	// Layers are its layers, bottom first.
	Layers []LayerInfo
	// LayerDirs are their directories in the store, bottom first.
	LayerDirs []string
	// History pairs the steps that made it with their layers, newest first as docker
	// shows them.
	History []HistoryLine
}

// Inspect returns the details of the image a reference or ID names.
func (s *Store) Inspect(ref string) (*Details, error) {
	n, err := s.named(ref, true)
	if err != nil {
		return nil, err
	}
	rec := n.rec
	d := &Details{ID: rec.ID, Created: rec.Created, OS: rec.OS, Architecture: rec.Architecture, Config: rec.Config, Layers: rec.Layers, Refs: n.mine}
	for _, l := range rec.Layers {
		d.LayerDirs = append(d.LayerDirs, s.layerDir(l.DiffID))
	}
	d.History = pairHistory(rec.History, rec.Layers, d.LayerDirs)
	return d, nil
}

// namedImage is an image as a reference or ID names it: its record, the name it was
// found by, every reference of the store and, sorted, those that name it.
type namedImage struct {
	rec  *record
	name string
	refs map[string]string
	mine []string
}

// named finds the image ref names (the built-in one is made first when asked for with
// builtin and missing), or says it is not there.
func (s *Store) named(ref string, builtin bool) (namedImage, error) {
	find := s.find
	if builtin {
		find = s.lookup
	}
	rec, name, err := find(ref)
	if err == nil && rec == nil {
		err = notFound(ref)
	}
	if err != nil {
		return namedImage{}, err
	}
	n := namedImage{rec: rec, name: name}
	n.refs, err = s.readRefs()
	for r, id := range n.refs {
		if id == rec.ID {
			n.mine = append(n.mine, r)
		}
	}
	sort.Strings(n.mine)
	return n, err
}

// pairHistory gives each non-empty step its layer; layers without a step (an image
// with no history) get a step of their own. The result is newest first.
func pairHistory(hist []HistoryEntry, layers []LayerInfo, dirs []string) []HistoryLine {
	var out []HistoryLine
	li := 0
	for _, h := range hist {
		line := HistoryLine{HistoryEntry: h}
		if !h.EmptyLayer && li < len(layers) {
			line.Layer, line.LayerDir = layers[li], dirs[li]
			li++
		}
		out = append(out, line)
	}
	for ; li < len(layers); li++ {
		out = append(out, HistoryLine{Layer: layers[li], LayerDir: dirs[li]})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// InUseFunc says whether a container uses the image with this ID: it returns an error
// naming the container and what to do, or nil.
type InUseFunc func(id string) error

// Remove removes a reference. When no reference to the image is left (or force is
// set, which removes every reference to it) the image goes, with every layer no other
// image has. inUse is asked first and its refusal stops the removal.
func (s *Store) Remove(ref string, force bool, inUse InUseFunc) ([]string, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	s.sweepTemp()
	n, err := s.named(ref, false)
	if err != nil {
		return nil, err
	}
	rec, name, refs, mine := n.rec, n.name, n.refs, n.mine
	_, byRef := refs[name]
	if byRef && len(mine) > 1 && !force {
		delete(refs, name)
		if err := s.writeRefs(refs); err != nil {
			return nil, err
		}
		s.event("untag", rec.ID, name)
		return []string{"Untagged: " + name}, nil
	}
	if len(mine) > 1 && !byRef && !force {
		return nil, fmt.Errorf("image %s has several references (%s): remove them one by one, or use rmi -f", shortID(rec.ID), strings.Join(mine, ", "))
	}
	if inUse != nil {
		if err := inUse(rec.ID); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, r := range mine {
		delete(refs, r)
		out = append(out, "Untagged: "+r)
	}
	if err := s.writeRefs(refs); err != nil {
		return nil, err
	}
	for _, r := range mine {
		s.event("untag", rec.ID, r)
	}
	if err := os.Remove(s.recordPath(rec.ID)); err != nil {
		return out, fmt.Errorf("remove image %s: %w", shortID(rec.ID), err)
	}
	os.Remove(filepath.Join(s.dir, "configs", hexOf(rec.ID)+".json"))
	out = append(out, "Deleted: "+rec.ID)
	s.event("delete", rec.ID, "")
	removed, err := s.removeUnusedLayers(nil)
	return append(out, removed...), err
}

// records reads the record of every image of the store.
func (s *Store) records() ([]*record, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "images"))
	if err != nil {
		return nil, fmt.Errorf("read the image store: %w", err)
	}
	var out []*record
	for _, e := range entries {
		if h, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			rec, err := s.readRecord("sha256:" + h)
			if err != nil {
				return nil, err
			}
			out = append(out, rec)
		}
	}
	return out, nil
}

// removeUnusedLayers deletes every layer no image has, or, when only is given, those
// of its diffIDs that no image has. The caller holds the lock.
func (s *Store) removeUnusedLayers(only []string) ([]string, error) {
	used := map[string]bool{}
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		for _, l := range rec.Layers {
			used[hexOf(l.DiffID)] = true
		}
	}
	layers, err := os.ReadDir(filepath.Join(s.dir, "layers"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range layers {
		if !e.IsDir() || used[e.Name()] || only != nil && !slices.Contains(only, "sha256:"+e.Name()) {
			continue
		}
		dir := filepath.Join(s.dir, "layers", e.Name())
		s.log.AddArgs("rm", "-rf", dir)
		if err := os.RemoveAll(dir); err != nil {
			return out, fmt.Errorf("remove layer %s: %w", e.Name()[:12], err)
		}
		os.Remove(dir + ".json")
		out = append(out, "Deleted: sha256:"+e.Name())
	}
	return out, nil
}
