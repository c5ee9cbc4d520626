package images

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// CommitOptions describe the step a commit records in the new image's history.
type CommitOptions struct {
	// Comment is a free note kept in the history.
	Comment string
	// CreatedBy is the command shown by `image history`; "workbench commit" when empty.
	CreatedBy string
}

// Commit makes a new image from a container's overlay upper directory on top of the
// image it runs (parent: a reference or ID): the upper directory becomes one more
// layer, with overlay whiteouts turned back into OCI `.wh.` entries. The new image is
// recorded under ref when given.
func (s *Store) Commit(ctx context.Context, upper, parent, ref string, opts CommitOptions) (*Image, error) {
	rec, _, err := s.lookup(parent)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, notFound(parent)
	}
	var refs []string
	name := ""
	if ref != "" {
		r, err := ParseRef(ref)
		if err != nil {
			return nil, err
		}
		name = r.String()
		refs = []string{name}
	}
	if _, err := os.Stat(upper); err != nil {
		return nil, fmt.Errorf("commit: the container's upper directory: %w", err)
	}
	raw, err := os.ReadFile(filepath.Join(s.dir, "configs", hexOf(rec.ID)+".json"))
	if err != nil {
		return nil, fmt.Errorf("commit: read the config of image %s: %w", shortID(rec.ID), err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("commit: the config of image %s: %w", shortID(rec.ID), err)
	}
	s.sweepTemp()
	s.log.Add(fmt.Sprintf("tar -C %s -cf - . > layer.tar  # whiteout devices written as .wh. entries", upper))
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteLayer(upper, pw)) }()
	info, err := s.addLayer(&ctxReader{ctx: ctx, r: pr}, "", s.untar("layer.tar"))
	pr.CloseWithError(io.ErrClosedPipe)
	if err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	diffID, err := v1.NewHash(info.DiffID)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	createdBy := opts.CreatedBy
	if createdBy == "" {
		createdBy = "workbench commit"
	}
	cfg.Created = v1.Time{Time: now}
	cfg.RootFS.Type = "layers"
	cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, diffID)
	cfg.History = append(cfg.History, v1.History{Created: v1.Time{Time: now}, CreatedBy: createdBy, Comment: opts.Comment})
	newRaw, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	nrec := recordFromConfig(cfg)
	nrec.Layers = append(append([]LayerInfo(nil), rec.Layers...), info)
	if err := s.putImage(newRaw, nrec, refs); err != nil {
		return nil, err
	}
	if name == "" {
		name = shortID(nrec.ID)
	}
	return s.image(nrec, name), nil
}

// ctxReader stops reading when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the underlying reader unless the context has ended.
func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
