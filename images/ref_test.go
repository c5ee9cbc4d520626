package images

import "testing"

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
	for _, bad := range []string{"", "UPPER", "a b", "x:", ":tag", "a//b", "a@sha256:xyz", "-a", "a:.tag", "host:99999999/x"} {
		if _, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) should fail", bad)
		}
	}
	if r, _ := ParseRef("busybox"); r.Remote() != "docker.io/library/busybox:latest" {
		t.Errorf("remote form: %s", r.Remote())
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"busybox", "a/b:c", "h:5000/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "::", "@", "[::1]:5000/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			return
		}
		again, err := ParseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("%q -> %q does not parse back to the same reference: %+v %v", s, r.String(), again, err)
		}
		if _, err := ParseRef(r.Remote()); err != nil {
			t.Fatalf("remote form %q does not parse: %v", r.Remote(), err)
		}
	})
}
