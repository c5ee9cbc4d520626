package images

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	return s.loaded(s.load(ctx, path, loadInput{name: path}, tag, progress))
}

// LoadStream loads a tarball read from r (a `docker save` tarball or an OCI layout
// tar, e.g. piped from `docker save`): it is copied into the store's tmp/ first, since
// both formats need to be read more than once. Messages name it standard input.
func (s *Store) LoadStream(ctx context.Context, r io.Reader, tag string, progress ProgressFunc) ([]Loaded, error) {
	s.sweepTemp()
	in := loadInput{stdin: true}
	tmp, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "input.tar")
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: keep a copy in the image store: %w", in, err)
	}
	_, err = io.Copy(f, &ctxReader{ctx: ctx, r: r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("%s: read it into the image store: %w", in, err)
	}
	return s.loaded(s.load(ctx, path, in, tag, progress))
}

// loadInput is what a load reads, as its messages name it: the user's file or
// directory, or standard input (of which a temporary copy is read).
type loadInput struct {
	// name is the path the user gave; empty for standard input.
	name string
	// stdin is set when the input is standard input.
	stdin bool
}

// String starts a message about the input: "load FILE" or "load: standard input".
func (in loadInput) String() string {
	if in.stdin {
		return "load: standard input"
	}
	return "load " + in.name
}

// is starts a sentence about what the input is: "load FILE: the file is ...".
func (in loadInput) is(what string) string {
	if in.stdin {
		return in.String() + " is " + what
	}
	return in.String() + ": the file is " + what
}

// hint says what to give instead.
func (in loadInput) hint() string {
	if in.stdin {
		return "pipe a `docker save` tarball or an OCI archive into it"
	}
	return "give a `docker save` tarball, an OCI layout directory or its tar"
}

// load loads path, which in names in messages.
func (s *Store) load(ctx context.Context, path string, in loadInput, tag string, progress ProgressFunc) ([]Loaded, error) {
	st, err := os.Stat(path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s: %w: %s", in, pe.Err, in.hint())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	if st.IsDir() {
		return s.loadLayout(ctx, path, in, tag, progress)
	}
	kind, err := archiveKind(path, in)
	if err != nil {
		return nil, err
	}
	if kind == "docker" {
		return s.loadDockerArchive(ctx, path, in, tag, progress)
	}
	tmp, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	defer f.Close()
	s.log.AddArgs("tar", "-xf", path, "-C", tmp)
	if _, err := Unpack(f, tmp, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	loaded, err := s.loadLayout(ctx, tmp, in, tag, progress)
	if err != nil && strings.Contains(err.Error(), tmp) {
		// The library names a file it could not read by its temporary path: name it
		// by its path in the archive.
		err = errors.New(strings.ReplaceAll(err.Error(), tmp+"/", ""))
	}
	return loaded, err
}

// archiveKind tells a `docker save` tarball ("docker") from an OCI layout tar ("oci").
func archiveKind(path string, in loadInput) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", in, err)
	}
	defer f.Close()
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	switch {
	case n == 0:
		return "", fmt.Errorf("%s: %s", in.is("empty"), in.hint())
	case magic == [2]byte{0x1f, 0x8b} && in.stdin:
		return "", fmt.Errorf("%s: pipe it through gunzip first", in.is("gzip-compressed"))
	case magic == [2]byte{0x1f, 0x8b}:
		return "", fmt.Errorf("%s: decompress it first (gunzip) and load the .tar", in.is("gzip-compressed"))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("%s: %w", in, err)
	}
	tr := tar.NewReader(f)
	kind := ""
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: %s", in.is("not a tar, or a truncated one"), in.hint())
		}
		switch strings.TrimPrefix(hdr.Name, "./") {
		case "manifest.json":
			return "docker", nil
		case "oci-layout":
			kind = "oci"
		}
	}
	if kind == "" {
		return "", fmt.Errorf("%s: %s", in.is("a tar without manifest.json or oci-layout"), in.hint())
	}
	return kind, nil
}

func (s *Store) loadDockerArchive(ctx context.Context, path string, in loadInput, tag string, progress ProgressFunc) ([]Loaded, error) {
	opener := func() (io.ReadCloser, error) { return os.Open(path) }
	manifest, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("%s: read manifest.json: %w", in, err)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("%s: manifest.json lists no image", in)
	}
	var out []Loaded
	for i, m := range manifest {
		var t *name.Tag
		var refs []string
		for _, rt := range m.RepoTags {
			r, err := ParseRef(rt)
			if err != nil {
				return out, fmt.Errorf("%s: %w", in, err)
			}
			refs = append(refs, r.String())
			if t == nil {
				nref, err := r.reference()
				if err != nil {
					return out, fmt.Errorf("%s: %w", in, err)
				}
				if nt, ok := nref.(name.Tag); ok {
					t = &nt
				}
			}
		}
		if len(m.RepoTags) == 0 && len(manifest) > 1 {
			return out, fmt.Errorf("%s: image %d of %d has no tag, and an untagged image can only be read from a one-image tarball", in, i+1, len(manifest))
		}
		if len(refs) == 0 && tag != "" {
			refs, err = tagRefs(tag)
			if err != nil {
				return out, err
			}
		}
		img, err := tarball.Image(opener, t)
		if err != nil {
			return out, fmt.Errorf("%s: %w", in, err)
		}
		inTar, err := layerPaths(img, m.Layers)
		if err != nil {
			return out, fmt.Errorf("%s: %w", in, err)
		}
		rec, err := s.addImage(ctx, img, refs, fromFile, func(_ v1.Layer, diffID, dir string) {
			s.log.Add(cmdlog.Quote("tar", "-xOf", path, inTar[diffID]) + " | " + cmdlog.Quote("tar", "-x", "-C", dir))
		}, progress)
		if err != nil {
			return out, fmt.Errorf("%s: %w", in, err)
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

func (s *Store) loadLayout(ctx context.Context, dir string, in loadInput, tag string, progress ProgressFunc) ([]Loaded, error) {
	layoutDir := dir
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: not an OCI image layout: %w", in, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("%s: read index.json: %w", in, err)
	}
	var out []Loaded
	for _, desc := range im.Manifests {
		img, err := layoutImage(idx, desc)
		if err != nil {
			return out, fmt.Errorf("%s: %w", in, err)
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
			return out, fmt.Errorf("%s: %w", in, err)
		}
		rec, err := s.addImage(ctx, img, refs, fromFile, func(l v1.Layer, _, dir string) {
			digest, _ := l.Digest()
			s.log.AddArgs("tar", "-xf", filepath.Join(layoutDir, "blobs", "sha256", digest.Hex), "-C", dir)
		}, progress)
		if err != nil {
			return out, fmt.Errorf("%s: %w", in, err)
		}
		out = append(out, Loaded{ID: rec.ID, Refs: refs})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: index.json lists no image", in)
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
