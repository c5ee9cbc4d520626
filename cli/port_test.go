package cli

import (
	"strings"
	"testing"
)

func TestParsePortArg(t *testing.T) {
	for in, want := range map[string]string{"80": "80/tcp", "80/tcp": "80/tcp", "53/udp": "53/udp", "65535": "65535/tcp", "0080": "80/tcp"} {
		if got, err := parsePortArg(in); err != nil || got != want {
			t.Errorf("port %s = %q %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "65536", "-1", "+80", "http", "80/sctp", "80/", "/tcp", "80/tcp/x"} {
		if _, err := parsePortArg(in); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("port %q: %v", in, err)
		}
	}
}

// FuzzParsePortArg gives `port NAME PORT` any PORT: one line when refused, a port of
// 1 to 65535 with tcp or udp when taken.
func FuzzParsePortArg(f *testing.F) {
	for _, s := range []string{"80", "53/udp", "0", "65536", "x/tcp", "80/", "/", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parsePortArg(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%q: %q", s, err)
			}
			return
		}
		if !strings.HasSuffix(got, "/tcp") && !strings.HasSuffix(got, "/udp") {
			t.Fatalf("%q taken as %q", s, got)
		}
	})
}
