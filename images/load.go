package images

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"workbench/cmdlog"
)

// Loaded names one image a load added.
type Loaded struct {
	// ID is the image ID.
	ID string
	// Refs are the references it was recorded under; none for an unnamed image.
	Refs []string
}

// Load adds the images of a `docker save` tarball, an OCI image layout directory or a
// tar of one. An image the file does not name is recorded under tag when given.
func (s *Store) Load(ctx context.Context, path, tag string, progress ProgressFunc) ([]Loaded, error) {
	s.sweepTemp()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w (give a `docker save` tarball, an OCI layout directory or its tar)", path, err)
	}
	if st.IsDir() {
		return s.loadLayout(ctx, path, tag, progress)
	}
	kind, err := archiveKind(path)
	if err != nil {
		return nil, err
	}
	if kind == "docker" {
		return s.loadDockerArchive(ctx, path, tag, progress)
	}
	tmp, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	s.log.AddArgs("tar", "-xf", path, "-C", tmp)
	if _, err := Unpack(f, tmp, nil); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return s.loadLayout(ctx, tmp, tag, progress)
}

// LoadStream loads a tarball read from r (a `docker save` tarball or an OCI layout
// tar, e.g. piped from `docker save`): it is copied into the store's tmp/ first, since
// both formats need to be read more than once.
func (s *Store) LoadStream(ctx context.Context, r io.Reader, tag string, progress ProgressFunc) ([]Loaded, error) {
	s.sweepTemp()
	tmp, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "input.tar")
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("load from standard input: %w", err)
	}
	_, err = io.Copy(f, &ctxReader{ctx: ctx, r: r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("load from standard input: %w", err)
	}
	return s.Load(ctx, path, tag, progress)
}

// archiveKind tells a `docker save` tarball ("docker") from an OCI layout tar ("oci").
func archiveKind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	var magic [2]byte
	if _, err := io.ReadFull(f, magic[:]); err == nil && magic == [2]byte{0x1f, 0x8b} {
		return "", fmt.Errorf("load %s: the file is gzip-compressed: decompress it first (gunzip) and load the .tar", path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tr := tar.NewReader(f)
	kind := ""
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("load %s: not a readable tar (%v): give a `docker save` tarball, an OCI layout directory or its tar", path, err)
		}
		switch strings.TrimPrefix(hdr.Name, "./") {
		case "manifest.json":
			return "docker", nil
		case "oci-layout":
			kind = "oci"
		}
	}
	if kind == "" {
		return "", fmt.Errorf("load %s: the tar has neither manifest.json nor oci-layout: give a `docker save` tarball, an OCI layout directory or its tar", path)
	}
	return kind, nil
}

func (s *Store) loadDockerArchive(ctx context.Context, path, tag string, progress ProgressFunc) ([]Loaded, error) {
	opener := func() (io.ReadCloser, error) { return os.Open(path) }
	manifest, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("load %s: read manifest.json: %w", path, err)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("load %s: manifest.json lists no image", path)
	}
	var out []Loaded
	for i, m := range manifest {
		var t *name.Tag
		var refs []string
		for _, rt := range m.RepoTags {
			r, err := ParseRef(rt)
			if err != nil {
				return out, fmt.Errorf("load %s: %w", path, err)
			}
			refs = append(refs, r.String())
		}
		if len(m.RepoTags) > 0 {
			nt, err := name.NewTag(m.RepoTags[0])
			if err != nil {
				return out, fmt.Errorf("load %s: tag %q: %w", path, m.RepoTags[0], err)
			}
			t = &nt
		} else if len(manifest) > 1 {
			return out, fmt.Errorf("load %s: image %d of %d has no tag, and an untagged image can only be read from a one-image tarball", path, i+1, len(manifest))
		}
		if len(refs) == 0 && tag != "" {
			refs, err = tagRefs(tag)
			if err != nil {
				return out, err
			}
		}
		img, err := tarball.Image(opener, t)
		if err != nil {
			return out, fmt.Errorf("load %s: %w", path, err)
		}
		inTar, err := layerPaths(img, m.Layers)
		if err != nil {
			return out, fmt.Errorf("load %s: %w", path, err)
		}
		rec, err := s.addImage(ctx, img, refs, fromFile, func(_ v1.Layer, diffID, dir string) {
			s.log.Add(cmdlog.Quote("tar", "-xOf", path, inTar[diffID]) + " | " + cmdlog.Quote("tar", "-x", "-C", dir))
		}, progress)
		if err != nil {
			return out, fmt.Errorf("load %s: %w", path, err)
		}
		out = append(out, Loaded{ID: rec.ID, Refs: refs})
	}
	return out, nil
}

// layerPaths maps each diffID of a `docker save` image to its file in the tarball.
func layerPaths(img v1.Image, files []string) (map[string]string, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read the image config: %w", err)
	}
	out := map[string]string{}
	for i, d := range cfg.RootFS.DiffIDs {
		if i < len(files) {
			out[d.String()] = files[i]
		}
	}
	return out, nil
}

func tagRefs(tag string) ([]string, error) {
	r, err := ParseRef(tag)
	if err != nil {
		return nil, err
	}
	return []string{r.String()}, nil
}

// OCI layout annotations that name an image.
const (
	annotationRefName       = "org.opencontainers.image.ref.name"
	annotationContainerdRef = "io.containerd.image.name"
)

func (s *Store) loadLayout(ctx context.Context, dir, tag string, progress ProgressFunc) ([]Loaded, error) {
	layoutDir := dir
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: not an OCI image layout: %w", dir, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("load %s: read index.json: %w", dir, err)
	}
	var out []Loaded
	for _, desc := range im.Manifests {
		img, err := layoutImage(idx, desc)
		if err != nil {
			return out, fmt.Errorf("load %s: %w", dir, err)
		}
		var refs []string
		if n := desc.Annotations[annotationContainerdRef]; n != "" {
			refs, err = tagRefs(n)
		} else if n := desc.Annotations[annotationRefName]; n != "" && strings.ContainsAny(n, ":/") {
			refs, err = tagRefs(n)
		} else if tag != "" {
			refs, err = tagRefs(tag)
		}
		if err != nil {
			return out, fmt.Errorf("load %s: %w", dir, err)
		}
		rec, err := s.addImage(ctx, img, refs, fromFile, func(l v1.Layer, _, dir string) {
			digest, _ := l.Digest()
			s.log.AddArgs("tar", "-xf", filepath.Join(layoutDir, "blobs", "sha256", digest.Hex), "-C", dir)
		}, progress)
		if err != nil {
			return out, fmt.Errorf("load %s: %w", dir, err)
		}
		out = append(out, Loaded{ID: rec.ID, Refs: refs})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load %s: index.json lists no image", dir)
	}
	return out, nil
}

// layoutImage returns the image a descriptor of an index names; for a multi-platform
// index, the one for this machine.
func layoutImage(idx v1.ImageIndex, desc v1.Descriptor) (v1.Image, error) {
	if !desc.MediaType.IsIndex() {
		return idx.Image(desc.Digest)
	}
	child, err := idx.ImageIndex(desc.Digest)
	if err != nil {
		return nil, err
	}
	cm, err := child.IndexManifest()
	if err != nil {
		return nil, err
	}
	for _, d := range cm.Manifests {
		if d.Platform != nil && d.Platform.OS == "linux" && d.Platform.Architecture == runtime.GOARCH {
			return child.Image(d.Digest)
		}
	}
	return nil, errors.New("the multi-platform index has no image for linux/" + runtime.GOARCH)
}
