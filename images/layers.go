package images

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"workbench/atomicfile"
)

// layerMeta is what layers/HEX.json holds.
type layerMeta struct {
	// Size is the total size of the layer's regular files.
	Size int64
	// Entries is the number of tar entries the layer held.
	Entries int
	// Implied are the directories the layer's tar needed but did not hold, each with
	// the first entry that needed it (UnpackStats.Implied).
	Implied map[string]string `json:",omitempty"`
}

// hasLayer reports whether the layer with this diffID is unpacked in the store.
func (s *Store) hasLayer(diffID string) (LayerInfo, bool) {
	m, ok := s.readLayerMeta(diffID)
	if !ok {
		return LayerInfo{}, false
	}
	if _, err := os.Stat(s.layerDir(diffID)); err != nil {
		return LayerInfo{}, false
	}
	return LayerInfo{DiffID: diffID, Size: m.Size}, true
}

// readLayerMeta reads layers/HEX.json.
func (s *Store) readLayerMeta(diffID string) (layerMeta, bool) {
	var m layerMeta
	b, err := os.ReadFile(s.layerDir(diffID) + ".json")
	if err != nil || json.Unmarshal(b, &m) != nil {
		return layerMeta{}, false
	}
	return m, true
}

// tempDir makes a fresh directory under tmp/ named after this process, so a later
// sweep can tell the leftovers of a dead process.
func (s *Store) tempDir() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	dir := filepath.Join(s.dir, "tmp", strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(b[:]))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("make a temporary directory in the image store: %w", err)
	}
	return dir, nil
}

// sweepTemp removes what dead processes left in tmp/.
func (s *Store) sweepTemp() {
	entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp"))
	for _, e := range entries {
		pid, _, _ := cutDash(e.Name())
		if pid > 0 && pid != os.Getpid() {
			if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid))); err == nil {
				continue
			}
		}
		if pid != os.Getpid() {
			os.RemoveAll(filepath.Join(s.dir, "tmp", e.Name()))
		}
	}
}

func cutDash(name string) (int, string, bool) {
	for i := 0; i < len(name); i++ {
		if name[i] == '-' {
			pid, err := strconv.Atoi(name[:i])
			return pid, name[i+1:], err == nil
		}
	}
	return 0, name, false
}

// addLayer unpacks the uncompressed layer tar read from r into the store, unless a
// layer with wantDiffID is already there. The tar is unpacked into tmp/ and renamed
// into layers/ only once complete and its digest checked against wantDiffID (when
// given); on any failure nothing of it stays. logMake records in the command log how
// a person would fill the directory.
func (s *Store) addLayer(r io.Reader, wantDiffID string, logMake func(dir string)) (LayerInfo, error) {
	if wantDiffID != "" {
		if info, ok := s.hasLayer(wantDiffID); ok {
			return info, nil
		}
	}
	tmp, err := s.tempDir()
	if err != nil {
		return LayerInfo{}, err
	}
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, "layer")
	if err := os.Mkdir(root, 0o755); err != nil {
		return LayerInfo{}, fmt.Errorf("make a layer directory: %w", err)
	}
	s.log.AddArgs("mkdir", "-p", root)
	logMake(root)
	h := sha256.New()
	stats, err := Unpack(io.TeeReader(r, h), root, s.log)
	if err != nil {
		return LayerInfo{}, err
	}
	diffID := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if wantDiffID != "" && diffID != wantDiffID {
		return LayerInfo{}, fmt.Errorf("layer digest mismatch: expected %s, the content is %s (the file or the registry is corrupt: fetch it again)", wantDiffID, diffID)
	}
	final := s.layerDir(diffID)
	info := LayerInfo{DiffID: diffID, Size: stats.Size}
	if existing, ok := s.hasLayer(diffID); ok {
		return existing, nil
	}
	if err := writeJSONAtomic(final+".json", layerMeta{Size: stats.Size, Entries: stats.Entries, Implied: stats.Implied}); err != nil {
		return LayerInfo{}, fmt.Errorf("record layer %s: %w", shortID(diffID), err)
	}
	if err := os.Rename(root, final); err != nil {
		if existing, ok := s.hasLayer(diffID); ok {
			return existing, nil // another process unpacked the same layer meanwhile
		}
		os.Remove(final + ".json")
		return LayerInfo{}, fmt.Errorf("move layer %s into the store: %w", shortID(diffID), err)
	}
	s.log.AddArgs("mv", root, final)
	return info, nil
}

// putImage records an image: its raw config, its record and the references that name
// it. Every layer must already be in the store.
func (s *Store) putImage(rawConfig []byte, rec *record, refs []string) error {
	rec.ID = digestOf(rawConfig)
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	for _, l := range rec.Layers {
		if _, ok := s.hasLayer(l.DiffID); !ok {
			return fmt.Errorf("layer %s vanished from the store while the image was added: try again", shortID(l.DiffID))
		}
	}
	cfgPath := filepath.Join(s.dir, "configs", hexOf(rec.ID)+".json")
	if err := atomicfile.Write(cfgPath, rawConfig); err != nil {
		return fmt.Errorf("record the image config: %w", err)
	}
	if err := writeJSONAtomic(s.recordPath(rec.ID), rec); err != nil {
		return fmt.Errorf("record the image: %w", err)
	}
	if len(refs) == 0 {
		return nil
	}
	index, err := s.readRefs()
	if err != nil {
		return err
	}
	for _, r := range refs {
		index[r] = rec.ID
	}
	return s.writeRefs(index)
}

func (s *Store) writeRefs(index map[string]string) error {
	if err := writeJSONAtomic(filepath.Join(s.dir, "refs.json"), index); err != nil {
		return fmt.Errorf("write the image index: %w", err)
	}
	return nil
}

// untar is the logMake of a layer that comes as a tar file.
func (s *Store) untar(source string) func(string) {
	return func(dir string) { s.log.AddArgs("tar", "-xf", source, "-C", dir) }
}
