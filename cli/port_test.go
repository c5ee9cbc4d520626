package cli

import (
	"strings"
	"testing"
)

// portArgs are PORT arguments of `port NAME PORT` and what parsePortArg reads them as,
// "" for those it refuses.
var portArgs = map[string]string{
	"80": "80/tcp", "80/tcp": "80/tcp", "53/udp": "53/udp", "65535": "65535/tcp", "0080": "80/tcp",
	"": "", "0": "", "65536": "", "-1": "", "+80": "", "http": "", "80/sctp": "", "80/": "", "/tcp": "",
	"80/tcp/x": "", "x/tcp": "", "/": "", "\x00": "",
}

func TestParsePortArg(t *testing.T) {
	for in, want := range portArgs {
		got, err := parsePortArg(in)
		if want == "" {
			if err == nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("port %q = %q, %v; want a one-line error", in, got, err)
			}
		} else if err != nil || got != want {
			t.Errorf("port %q = %q, %v; want %q", in, got, err, want)
		}
	}
}

// FuzzParsePortArg gives `port NAME PORT` any PORT: one line when refused, a port of
// 1 to 65535 with tcp or udp when taken, which reads back as itself.
func FuzzParsePortArg(f *testing.F) {
	for s := range portArgs {
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
		again, err := parsePortArg(got)
		if err != nil || again != got || !strings.HasSuffix(got, "/tcp") && !strings.HasSuffix(got, "/udp") {
			t.Fatalf("%q taken as %q, which reads back as %q, %v", s, got, again, err)
		}
	})
}
