// Package images is the workbench's image store: content-addressed layers, each
// unpacked once into a directory of its own and shared by every image that has it
// (overlayfs lower directories), image configs, and an index from references
// (name:tag) to images. Images come from the built-in busybox, `docker save` tarballs,
// OCI layouts, registries, and commits of a container's upper directory.
package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"workbench/atomicfile"
	"workbench/cmdlog"
	"workbench/errkind"
)

// Store is an image store rooted in one directory:
//
//	refs.json           reference -> image ID
//	images/HEX.json     what the store knows of an image (HEX = its config digest)
//	configs/HEX.json    the image config exactly as it came
//	layers/HEX/         an unpacked layer (HEX = its diffID), layers/HEX.json its size
//	tmp/                layers being unpacked, renamed into layers/ when verified
//	lock                taken while the index or the set of layers changes
type Store struct {
	dir string
	log *cmdlog.Log
	// events is the file events are recorded in (RecordEventsTo), "" for none.
	events string
}

// Image is an image of the store, ready to be mounted.
type Image struct {
	// ID is the digest of the image config, "sha256:...".
	ID string
	// Ref is the reference it was asked by, normalised ("busybox:latest").
	Ref string
	// Layers are the absolute directories of the unpacked layers, bottom first.
	Layers []string
	// Config is how a container of the image starts.
	Config Config
}

// Config is the part of an image config that says how a container starts.
type Config struct {
	// Entrypoint and Cmd make the command line, as docker joins them.
	Entrypoint, Cmd []string
	// Env holds KEY=VALUE pairs.
	Env []string
	// WorkingDir is the directory the process starts in, "" for /.
	WorkingDir string
	// User is "user[:group]" by name or number, "" for root.
	User string
	// ExposedPorts lists "PORT/PROTO", e.g. "80/tcp".
	ExposedPorts []string
}

// HistoryEntry is one step that made an image, as `image history` shows it.
type HistoryEntry struct {
	// Created is when the step ran.
	Created time.Time `json:",omitempty"`
	// CreatedBy is the command of the step.
	CreatedBy string `json:",omitempty"`
	// Comment is a free note.
	Comment string `json:",omitempty"`
	// EmptyLayer is set when the step made no layer (ENV, CMD...).
	EmptyLayer bool `json:",omitempty"`
}

// LayerInfo describes one layer of an image.
type LayerInfo struct {
	// DiffID is the digest of the uncompressed layer tar, "sha256:...".
	DiffID string
	// Size is the total size of the layer's regular files in bytes.
	Size int64
}

// record is what images/HEX.json holds.
type record struct {
	// ID is the digest of the image config.
	ID string
	// Config is how a container of the image starts.
	Config Config
	// Layers are the image's layers, bottom first.
	Layers []LayerInfo
	// History holds the steps that made the image.
	History []HistoryEntry `json:",omitempty"`
	// Created is when the image was made.
	Created time.Time
	// OS and Architecture are the image's platform.
	OS           string `json:",omitempty"`
	Architecture string `json:",omitempty"`
}

// Open returns the store in dir, making its directories on first use.
func Open(dir string, log *cmdlog.Log) (*Store, error) {
	for _, sub := range []string{"images", "configs", "layers", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("make the image store in %s: %w", dir, err)
		}
	}
	return &Store{dir: dir, log: log}, nil
}

// Resolve returns the image a reference or an image ID (or a unique prefix of one)
// names. The built-in "busybox" is made from the machine's /bin/busybox on first use.
func (s *Store) Resolve(ctx context.Context, ref string) (*Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec, name, err := s.lookup(ref)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, notFound(ref)
	}
	img := s.image(rec, name)
	for _, dir := range img.Layers {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("layer %s of image %s is missing from the store: pull or load the image again (or `workbench rmi -f %s`)", shortID(filepath.Base(dir)), name, name)
		}
	}
	return img, nil
}

func notFound(ref string) error {
	return errkind.New(errkind.NotFound, "image", ref, "image %q is not in the store", ref)
}

func (s *Store) image(rec *record, name string) *Image {
	img := &Image{ID: rec.ID, Ref: name, Config: rec.Config, Layers: make([]string, len(rec.Layers))}
	for i, l := range rec.Layers {
		img.Layers[i] = s.layerDir(l.DiffID)
	}
	return img
}

// lookup finds the record a reference or ID names, making the built-in busybox when
// it is asked for and missing. A valid reference that is not in the index gives a nil
// record and the normalised name. The caller must not hold the store's lock.
func (s *Store) lookup(ref string) (*record, string, error) {
	rec, name, err := s.find(ref)
	if err == nil && rec == nil && name == builtinRef {
		rec, err = s.makeBusybox()
	}
	return rec, name, err
}

// find is lookup without making the built-in image.
func (s *Store) find(ref string) (*record, string, error) {
	refs, err := s.readRefs()
	if err != nil {
		return nil, "", err
	}
	r, perr := ParseRef(ref)
	if perr == nil {
		if id, ok := refs[r.String()]; ok {
			rec, err := s.readRecord(id)
			return rec, r.String(), err
		}
	}
	if id, ok, err := s.findID(ref); err != nil || ok {
		if err != nil {
			return nil, "", err
		}
		rec, err := s.readRecord(id)
		return rec, shortID(id), err
	}
	if perr != nil {
		return nil, "", perr
	}
	return nil, r.String(), nil
}

// findID matches "sha256:HEX", "HEX" or a prefix of at least 4 hex digits of an ID.
func (s *Store) findID(ref string) (string, bool, error) {
	p := strings.TrimPrefix(ref, "sha256:")
	if len(p) < 4 || len(p) > 64 || strings.Trim(p, "0123456789abcdef") != "" {
		return "", false, nil
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "images"))
	if err != nil {
		return "", false, fmt.Errorf("read the image store: %w", err)
	}
	var found []string
	for _, e := range entries {
		if h, ok := strings.CutSuffix(e.Name(), ".json"); ok && strings.HasPrefix(h, p) {
			found = append(found, "sha256:"+h)
		}
	}
	switch len(found) {
	case 0:
		return "", false, nil
	case 1:
		return found[0], true, nil
	}
	return "", false, fmt.Errorf("image ID prefix %s matches %d images: give more digits", p, len(found))
}

// shortID is the 12-digit form docker shows.
func shortID(id string) string {
	h := strings.TrimPrefix(id, "sha256:")
	if len(h) > 12 {
		h = h[:12]
	}
	return h
}

func hexOf(digest string) string { return strings.TrimPrefix(digest, "sha256:") }

func (s *Store) layerDir(diffID string) string {
	return filepath.Join(s.dir, "layers", hexOf(diffID))
}

func (s *Store) recordPath(id string) string {
	return filepath.Join(s.dir, "images", hexOf(id)+".json")
}

func (s *Store) readRecord(id string) (*record, error) {
	b, err := os.ReadFile(s.recordPath(id))
	if err != nil {
		return nil, fmt.Errorf("read image %s: %w (the store may be damaged: remove the image with `workbench rmi` and load it again)", shortID(id), err)
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("read image %s: %w", shortID(id), err)
	}
	return &rec, nil
}

func (s *Store) readRefs() (map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "refs.json"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the image index: %w", err)
	}
	refs := map[string]string{}
	if err := json.Unmarshal(b, &refs); err != nil {
		return nil, fmt.Errorf("the image index %s is damaged: %w", filepath.Join(s.dir, "refs.json"), err)
	}
	return refs, nil
}

func writeJSONAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'))
}

// lock takes the store's lock; the returned function releases it.
func (s *Store) lock() (func(), error) {
	f, err := os.OpenFile(filepath.Join(s.dir, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the image store: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock the image store: %w", err)
	}
	return func() { f.Close() }, nil
}

// digestOf is the "sha256:..." digest of b.
func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
