package images

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// LayerProgress is one report on a layer being fetched or unpacked.
type LayerProgress struct {
	// Layer is the short digest of the layer (its diffID).
	Layer string
	// Status is "exists", "waiting", "fetching", "done" or "failed".
	Status string
	// Done and Total count the bytes read of the layer blob; Total is 0 when unknown.
	Done, Total int64
}

// ProgressFunc receives progress reports; it may be called from several goroutines
// at once, and may be nil.
type ProgressFunc func(LayerProgress)

// parallelLayers is how many layers are fetched and unpacked at once.
const parallelLayers = 3

// layerLogger records how a person would unpack layer l (diffID) into dir.
type layerLogger func(l v1.Layer, diffID, dir string)

// layerSource says where layers come from.
type layerSource int

const (
	// fromRegistry layers are read compressed, so progress counts the bytes fetched.
	fromRegistry layerSource = iota
	// fromFile layers are read through the library's own decompression: a local
	// tarball may hold them uncompressed, and asking it for a compressed form would
	// compress them first.
	fromFile
)

// addImage adds img to the store under refs: each layer not yet present is read,
// decompressed and unpacked (several at a time), then the config and the record are
// written. An image already complete in the store costs no layer read at all. An
// image in which a layer writes through a symlink is refused (ThroughSymlinkError).
// On failure, the layers it added that no image has are removed again.
//
// logLayer records in the command log how a person would unpack one layer (its blob
// digest and diffID) into dir.
func (s *Store) addImage(ctx context.Context, img v1.Image, refs []string, src layerSource, logLayer layerLogger, progress ProgressFunc) (*record, error) {
	if progress == nil {
		progress = func(LayerProgress) {}
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read the image config: %w", err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("the image config is not valid JSON of an image: %w", err)
	}
	diffIDs := cfg.RootFS.DiffIDs
	rec := recordFromConfig(cfg)
	rec.Layers = make([]LayerInfo, len(diffIDs))
	var missing []int
	for i, d := range diffIDs {
		if info, ok := s.hasLayer(d.String()); ok {
			rec.Layers[i] = info
			progress(LayerProgress{Layer: shortID(d.String()), Status: "exists"})
			continue
		}
		missing = append(missing, i)
	}
	for _, i := range missing {
		progress(LayerProgress{Layer: shortID(diffIDs[i].String()), Status: "waiting"})
	}
	name := shortID(digestOf(raw))
	if len(refs) > 0 {
		name = refs[0]
	}
	err = s.fetchMissing(ctx, img, diffIDs, missing, rec, src, logLayer, progress)
	if err == nil {
		err = s.checkSymlinks(rec, name)
	}
	if err != nil {
		var tse *ThroughSymlinkError
		if errors.As(err, &tse) {
			tse.Image = name
		}
		s.dropLayers(diffIDs, missing)
		return nil, err
	}
	if err := s.putImage(raw, rec, refs); err != nil {
		return nil, err
	}
	return rec, nil
}

// fetchMissing unpacks the layers at the missing indexes into the store.
func (s *Store) fetchMissing(ctx context.Context, img v1.Image, diffIDs []v1.Hash, missing []int, rec *record, src layerSource, logLayer layerLogger, progress ProgressFunc) error {
	if len(missing) == 0 {
		return nil
	}
	layers, err := img.Layers()
	if err != nil {
		return fmt.Errorf("read the image manifest: %w", err)
	}
	if len(layers) != len(diffIDs) {
		return fmt.Errorf("the image is inconsistent: its manifest has %d layers, its config %d", len(layers), len(diffIDs))
	}
	return s.fetchLayers(ctx, layers, diffIDs, missing, rec, src, logLayer, progress)
}

// checkSymlinks refuses an image in which a layer writes through a symlink of a layer
// below it; name names the image.
func (s *Store) checkSymlinks(rec *record, name string) error {
	dirs := make([]string, len(rec.Layers))
	implied := make([]map[string]string, len(rec.Layers))
	for i, l := range rec.Layers {
		dirs[i] = s.layerDir(l.DiffID)
		m, _ := s.readLayerMeta(l.DiffID)
		implied[i] = m.Implied
	}
	return checkLowerSymlinks(dirs, implied, name)
}

// dropLayers removes the layers at the missing indexes that no image has: what a
// failed addImage added.
func (s *Store) dropLayers(diffIDs []v1.Hash, missing []int) {
	if len(missing) == 0 {
		return
	}
	only := make([]string, len(missing))
	for k, i := range missing {
		only[k] = diffIDs[i].String()
	}
	unlock, err := s.lock()
	if err != nil {
		return
	}
	defer unlock()
	_, _ = s.removeUnusedLayers(only)
}

// fetchLayers unpacks the layers at the missing indexes into the store.
func (s *Store) fetchLayers(ctx context.Context, layers []v1.Layer, diffIDs []v1.Hash, missing []int, rec *record, src layerSource, logLayer layerLogger, progress ProgressFunc) error {
	sem := make(chan struct{}, parallelLayers)
	var wg sync.WaitGroup
	errs := make([]error, len(layers))
	for _, i := range missing {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			want := diffIDs[i].String()
			info, err := s.fetchLayer(ctx, layers[i], want, src, logLayer, progress)
			var tse *ThroughSymlinkError
			switch {
			case errors.As(err, &tse):
				progress(LayerProgress{Layer: shortID(want), Status: "failed"})
				tse.Layer = i + 1
				errs[i] = tse
				return
			case err != nil:
				progress(LayerProgress{Layer: shortID(want), Status: "failed"})
				errs[i] = fmt.Errorf("layer %d (%s): %w", i+1, shortID(want), err)
				return
			}
			rec.Layers[i] = info
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) fetchLayer(ctx context.Context, l v1.Layer, want string, src layerSource, logLayer layerLogger, progress ProgressFunc) (LayerInfo, error) {
	short := shortID(want)
	tarStream, counted, total, closeAll, err := openLayer(ctx, l, src, func(n, total int64) {
		progress(LayerProgress{Layer: short, Status: "fetching", Done: n, Total: total})
	})
	if err != nil {
		return LayerInfo{}, err
	}
	defer closeAll()
	info, err := s.addLayer(tarStream, want, func(dir string) { logLayer(l, want, dir) })
	if err != nil {
		return LayerInfo{}, err
	}
	progress(LayerProgress{Layer: short, Status: "done", Done: counted.n, Total: total})
	return info, nil
}

// openLayer returns the layer's tar stream, the counter of the bytes read of it (of
// the compressed blob from a registry), the blob's size when known, and the function
// that closes what it opened.
func openLayer(ctx context.Context, l v1.Layer, src layerSource, report func(n, total int64)) (io.Reader, *countingReader, int64, func(), error) {
	if src == fromFile {
		rc, err := l.Uncompressed()
		if err != nil {
			return nil, nil, 0, nil, fmt.Errorf("open the layer: %w", err)
		}
		counted := &countingReader{ctx: ctx, r: rc, report: func(n int64) { report(n, 0) }}
		return counted, counted, 0, func() { rc.Close() }, nil
	}
	total, _ := l.Size()
	rc, err := l.Compressed()
	if err != nil {
		return nil, nil, 0, nil, fmt.Errorf("open the layer blob: %w", err)
	}
	counted := &countingReader{ctx: ctx, r: rc, report: func(n int64) { report(n, total) }}
	br := bufio.NewReaderSize(counted, 1<<20)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, nil, 0, nil, fmt.Errorf("the layer is not valid gzip: %w", err)
		}
		return zr, counted, total, func() { zr.Close(); rc.Close() }, nil
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		rc.Close()
		urc, err := l.Uncompressed() // zstd: let the library decompress it
		if err != nil {
			return nil, nil, 0, nil, fmt.Errorf("decompress the layer: %w", err)
		}
		counted = &countingReader{ctx: ctx, r: urc, report: counted.report}
		return counted, counted, total, func() { urc.Close() }, nil
	}
	return br, counted, total, func() { rc.Close() }, nil
}

// countingReader counts bytes read and stops when the context ends.
type countingReader struct {
	ctx    context.Context
	r      io.Reader
	n      int64
	report func(int64)
}

// Read reads, counts and reports the bytes read so far.
func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 {
		c.report(c.n)
	}
	return n, err
}

// recordFromConfig keeps what the store needs of an image config.
func recordFromConfig(cfg *v1.ConfigFile) *record {
	c := cfg.Config
	rec := &record{
		Config: Config{
			Entrypoint: c.Entrypoint,
			Cmd:        c.Cmd,
			Env:        c.Env,
			WorkingDir: c.WorkingDir,
			User:       c.User,
		},
		Created:      cfg.Created.Time,
		OS:           cfg.OS,
		Architecture: cfg.Architecture,
	}
	for p := range c.ExposedPorts {
		rec.Config.ExposedPorts = append(rec.Config.ExposedPorts, p)
	}
	sort.Strings(rec.Config.ExposedPorts)
	for _, h := range cfg.History {
		rec.History = append(rec.History, HistoryEntry{Created: h.Created.Time, CreatedBy: h.CreatedBy, Comment: h.Comment, EmptyLayer: h.EmptyLayer})
	}
	return rec
}
