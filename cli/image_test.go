package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"workbench/images"
	"workbench/testutil"
)

func TestLayerProgressPlainLines(t *testing.T) {
	var buf bytes.Buffer
	p := newLayerProgress(&buf)
	p.report(images.LayerProgress{Layer: "aaa", Status: "exists"})
	p.report(images.LayerProgress{Layer: "bbb", Status: "fetching", Done: 10, Total: 2000000})
	p.report(images.LayerProgress{Layer: "bbb", Status: "fetching", Done: 20, Total: 2000000})
	p.report(images.LayerProgress{Layer: "bbb", Status: "done", Done: 2000000, Total: 2000000})
	p.finish()
	want := "aaa: already in the store\nbbb: fetching 2MB\nbbb: unpacked (2MB read)\n"
	if buf.String() != want {
		t.Fatalf("progress lines:\n%s\nwant\n%s", buf.String(), want)
	}
	if got := barLine(images.LayerProgress{Layer: "bbb", Status: "fetching", Done: 1000, Total: 2000}); !strings.Contains(got, "[===============               ]") {
		t.Fatalf("half a bar: %q", got)
	}
}

func TestImageTableHelpers(t *testing.T) {
	for in, want := range map[string][2]string{
		"busybox:latest":           {"busybox", "latest"},
		"host:5000/app:v1":         {"host:5000/app", "v1"},
		"app@sha256:abc":           {"app", "<none>"},
		"registry.example:5000/ab": {"registry.example:5000/ab", "<none>"},
	} {
		if r, tag := splitRepoTag(in); r != want[0] || tag != want[1] {
			t.Errorf("splitRepoTag(%q) = %q %q", in, r, tag)
		}
	}
	if humanBytes(12) != "12B" || humanBytes(1500) != "1.5kB" || humanBytes(1980000) != "1.98MB" {
		t.Errorf("humanBytes: %s %s %s", humanBytes(12), humanBytes(1500), humanBytes(1980000))
	}
}

func TestImageCommandsBadInput(t *testing.T) {
	testutil.RequireRoot(t)
	inst := testutil.NewInstance(t)
	t.Cleanup(func() { os.RemoveAll(inst.DataDir); os.RemoveAll(inst.RunDir) })
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"load"}, "give it with -i FILE"},
		{[]string{"load", "-i", "/nonexistent.tar"}, "no such file"},
		{[]string{"load", "-i", "-"}, "workbench: load: standard input is empty: pipe a `docker save` tarball or an OCI archive into it\n"},
		{[]string{"pull", "Bad Ref"}, "is invalid"},
		{[]string{"tag", "nosuch", "x:y"}, "is not in the store"},
		{[]string{"tag", "busybox", "UPPER"}, "is invalid"},
		{[]string{"image", "history", "nosuch"}, "is not in the store"},
	} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), c.args, strings.NewReader(""), &out, &errb)
		msg := errb.String()
		if code == 0 || !strings.Contains(msg, c.want) || strings.Count(msg, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want one line with %q", c.args, code, msg, c.want)
		}
	}
}
