package images

import (
	"errors"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"workbench/errkind"
	"workbench/testutil"
)

func TestParseRef(t *testing.T) {
	cases := map[string]string{
		"busybox":                          "busybox:latest",
		"busybox:1.36":                     "busybox:1.36",
		"docker.io/library/busybox":        "busybox:latest",
		"index.docker.io/library/alpine:3": "alpine:3",
		"team/app":                         "team/app:latest",
		"127.0.0.1:5000/test/img:v1":       "127.0.0.1:5000/test/img:v1",
		"localhost/app":                    "localhost/app:latest",
		"reg.example/a/b/c@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": "reg.example/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	}
	for in, want := range cases {
		r, err := ParseRef(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRef(%q) = %q, %v; want %q", in, r.String(), err, want)
		}
	}
	for _, bad := range []string{"", "UPPER", "a b", "x:", ":tag", "a//b", "a@sha256:xyz", "-a", "a:.tag", "host:99999999/x", "[0]/x"} {
		if _, err := ParseRef(bad); !errors.Is(err, errkind.Invalid) {
			t.Errorf("ParseRef(%q) = %v, want an invalid reference", bad, err)
		}
	}
	if r, _ := ParseRef("busybox"); !agrees(r) {
		t.Errorf("the registry client reads busybox otherwise")
	}
}

func FuzzParseRef(f *testing.F) {
	testutil.Seed(f, "busybox", "a/b:c", "h:5000/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "::", "@", "[::1]:5000/x")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			return
		}
		again, err := ParseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("%q -> %q does not parse back to the same reference: %+v %v", s, r.String(), again, err)
		}
		if !agrees(r) {
			nref, err := r.reference()
			t.Fatalf("%q: the registry client reads %v (%v), not %+v", s, nref, err, r)
		}
	})
}

// agrees says whether the registry client reads a Ref with the same parts, the way its
// own parser reads the full reference.
func agrees(r Ref) bool {
	nref, err := r.reference()
	if err != nil {
		return false
	}
	full := r.Registry + "/" + r.Repository
	if r.Digest != "" {
		full += "@" + r.Digest
	} else {
		full += ":" + r.Tag
	}
	own, err := name.ParseReference(full)
	if err != nil || own.Name() != nref.Name() {
		return false
	}
	repo := nref.Context()
	registry := repo.RegistryStr()
	if registry == name.DefaultRegistry {
		registry = DefaultRegistry
	}
	return registry == r.Registry && repo.RepositoryStr() == r.Repository && nref.Identifier() == map[bool]string{true: r.Digest, false: r.Tag}[r.Digest != ""]
}
