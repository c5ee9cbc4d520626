package images

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"

	"workbench/errkind"
)

// Ref is an image reference split into its parts, normalised the way docker does:
// "busybox" is docker.io/library/busybox:latest.
type Ref struct {
	// Registry is the registry host (and port), "docker.io" when none is named.
	Registry string
	// Repository is the path inside the registry, "library/NAME" for docker.io
	// official images.
	Repository string
	// Tag is the tag, "latest" when neither a tag nor a digest is named.
	Tag string
	// Digest is "sha256:..." when the reference pins one.
	Digest string
}

// DefaultRegistry is the registry of a reference that names none.
const DefaultRegistry = "docker.io"

// The reference grammar, compiled when first used: a command that names no image
// does not pay for it at start-up.
var (
	repoComponent = lazyRegexp(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	tagPattern    = lazyRegexp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestPattern = lazyRegexp(`^sha256:[a-f0-9]{64}$`)
	hostPattern   = lazyRegexp(`^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?$`)
)

// lazyRegexp compiles expr on its first use.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// ParseRef parses "[REGISTRY/]REPOSITORY[:TAG][@DIGEST]", or says what is wrong.
func ParseRef(s string) (Ref, error) {
	bad := func(why string) (Ref, error) {
		return Ref{}, errkind.New(errkind.Invalid, "image reference", s, "image reference %q is invalid: %s (write it like busybox, busybox:1.36 or registry.example:5000/team/app:v1)", s, why)
	}
	if s == "" {
		return bad("it is empty")
	}
	if len(s) > 512 {
		return bad("it is longer than 512 characters")
	}
	rest := s
	var r Ref
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		r.Digest = rest[i+1:]
		rest = rest[:i]
		if !digestPattern().MatchString(r.Digest) {
			return bad("the digest must be sha256: and 64 lower-case hex digits")
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		r.Tag = rest[i+1:]
		rest = rest[:i]
		if !tagPattern().MatchString(r.Tag) {
			return bad("the tag may hold letters, digits, '_', '.' and '-', up to 128, not starting with '.' or '-'")
		}
	}
	first, remainder, hasSlash := strings.Cut(rest, "/")
	if hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost") {
		if !hostPattern().MatchString(first) {
			return bad("the registry host " + first + " is not a valid host[:port]")
		}
		r.Registry = first
		rest = remainder
	} else {
		r.Registry = DefaultRegistry
	}
	if r.Registry == "index.docker.io" || r.Registry == "registry-1.docker.io" {
		r.Registry = DefaultRegistry
	}
	if rest == "" {
		return bad("it names no repository")
	}
	for _, c := range strings.Split(rest, "/") {
		if !repoComponent().MatchString(c) {
			return bad("repository part " + fmt.Sprintf("%q", c) + " must be lower-case letters and digits, joined by '.', '_', '__' or '-'")
		}
	}
	if r.Registry == DefaultRegistry && !strings.Contains(rest, "/") {
		rest = "library/" + rest
	}
	r.Repository = rest
	if r.Tag == "" && r.Digest == "" {
		r.Tag = "latest"
	}
	return r, nil
}

// Name is the repository as docker shows it: "busybox", "team/app",
// "registry.example:5000/team/app".
func (r Ref) Name() string {
	if r.Registry == DefaultRegistry {
		return strings.TrimPrefix(r.Repository, "library/")
	}
	return r.Registry + "/" + r.Repository
}

// String is the short form docker shows: "busybox:latest", "host:5000/app@sha256:...".
// It is the key of the store's index.
func (r Ref) String() string {
	s := r.Name()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// reference is the reference as the registry client (go-containerregistry) takes it,
// built from the parts ParseRef found, so that one grammar, ParseRef's, reads every
// reference a person writes. ParseRef's grammar is Docker's, stricter than the
// client's; FuzzParseRef holds every Ref it returns to convert with the same parts. A
// digest wins over a tag, as the client's own parser does.
func (r Ref) reference(opts ...name.Option) (name.Reference, error) {
	repo, err := name.NewRepository(r.Registry+"/"+r.Repository, opts...)
	if err != nil {
		return nil, fmt.Errorf("image reference %s: %w", r, err)
	}
	if r.Digest != "" {
		return repo.Digest(r.Digest), nil
	}
	return repo.Tag(r.Tag), nil
}
