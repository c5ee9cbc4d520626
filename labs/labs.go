// Package labs holds the bundled lab scripts, one or more per article the workbench
// reproduces, embedded in the binary so `workbench demo` and `--script` can use them.
package labs

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"workbench/script"
)

//go:embed *.lab
var files embed.FS

// Ext is the file name extension of a lab script.
const Ext = ".lab"

// Lab is one bundled lab.
type Lab struct {
	// Name is the file name without its extension, e.g. "000-bridge-by-hand".
	Name string
	// Title is the lab's first narration line.
	Title string
	// Source is the script text.
	Source []byte
}

// List returns every bundled lab, ordered by name (the article number comes first).
func List() ([]Lab, error) {
	names, err := fs.Glob(files, "*"+Ext)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Lab, 0, len(names))
	for _, n := range names {
		lab, err := Get(strings.TrimSuffix(n, Ext))
		if err != nil {
			return nil, err
		}
		out = append(out, lab)
	}
	return out, nil
}

// Get returns the lab with the given name; a unique prefix of a name is enough.
func Get(name string) (Lab, error) {
	names, err := fs.Glob(files, "*"+Ext)
	if err != nil {
		return Lab{}, err
	}
	var match []string
	for _, n := range names {
		base := strings.TrimSuffix(n, Ext)
		if base == name {
			match = []string{base}
			break
		}
		if strings.HasPrefix(base, name) {
			match = append(match, base)
		}
	}
	switch {
	case len(match) == 0:
		return Lab{}, fmt.Errorf("no lab is named %q: `workbench demo` lists them", name)
	case len(match) > 1:
		return Lab{}, fmt.Errorf("%q names %d labs (%s): give more of the name", name, len(match), strings.Join(match, ", "))
	}
	src, err := files.ReadFile(match[0] + Ext)
	if err != nil {
		return Lab{}, err
	}
	s, err := script.Parse(match[0]+Ext, src)
	if err != nil {
		return Lab{}, err
	}
	return Lab{Name: match[0], Title: s.Title, Source: src}, nil
}

// Script parses the lab.
func (l Lab) Script() (*script.Script, error) { return script.Parse(l.Name+Ext, l.Source) }
