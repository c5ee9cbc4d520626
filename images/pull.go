package images

import (
	"context"
	"fmt"
	"runtime"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"workbench/cmdlog"
)

// PullOptions tune a pull.
type PullOptions struct {
	// Insecure talks plain HTTP to the registry (loopback and private addresses are
	// plain HTTP already).
	Insecure bool
	// Progress receives a report per layer as it is fetched.
	Progress ProgressFunc
}

// Pull fetches an image from its registry, with credentials from the Docker config
// file (~/.docker/config.json) when it has some. Layers already in the store are not
// downloaded; the image is recorded under the reference and returned.
func (s *Store) Pull(ctx context.Context, ref string, opts PullOptions) (*Image, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return nil, err
	}
	s.sweepTemp()
	var nameOpts []name.Option
	if opts.Insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	nref, err := r.reference(nameOpts...)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", ref, err)
	}
	img, err := remote.Image(nref,
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithPlatform(v1.Platform{OS: "linux", Architecture: runtime.GOARCH}),
	)
	if err != nil {
		return nil, fmt.Errorf("pull %s from %s: %w (check the name and tag, the registry's address, credentials in ~/.docker/config.json, or --insecure for a plain-HTTP registry)", r, r.Registry, err)
	}
	blobs := fmt.Sprintf("%s://%s/v2/%s/blobs/", nref.Context().Registry.Scheme(), nref.Context().RegistryStr(), nref.Context().RepositoryStr())
	rec, err := s.addImage(ctx, img, []string{r.String()}, fromRegistry, func(l v1.Layer, _, dir string) {
		digest, _ := l.Digest()
		s.log.Add(cmdlog.Quote("curl", "-sL", blobs+digest.String()) + " | " + cmdlog.Quote("tar", "-xz", "-C", dir))
	}, opts.Progress)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", r, err)
	}
	s.event("pull", rec.ID, r.String())
	return s.image(rec, r.String()), nil
}
