package topology

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"workbench/instance"
)

// Source is a network namespace to read: where its file is and what it plays.
type Source struct {
	Name string
	Kind Kind
	Path string
}

// Sources lists the namespaces of an instance: the LAN and every lab host (the files
// /run/netns/<instance>-*) and every container's namespace file (<containers>/<id>/netns).
func Sources(inst instance.Instance) []Source {
	var out []Source
	prefix := inst.HostNetnsName("")
	hosts, _ := filepath.Glob(filepath.Join("/run/netns", prefix+"*"))
	for _, p := range hosts {
		name := strings.TrimPrefix(filepath.Base(p), prefix)
		kind := KindHost
		if name == "lan" {
			kind = KindLAN
		}
		out = append(out, Source{Name: name, Kind: kind, Path: p})
	}
	files, _ := filepath.Glob(filepath.Join(inst.ContainersDir(), "*", "netns"))
	for _, p := range files {
		out = append(out, Source{Name: containerName(filepath.Dir(p)), Kind: KindContainer, Path: p})
	}
	sortSources(out)
	return out
}

// containerName reads the name from a container directory's state file, or gives the
// short ID (the directory's name) when there is none.
func containerName(dir string) string {
	var st struct{ Name string }
	if b, err := os.ReadFile(filepath.Join(dir, "state.json")); err == nil && json.Unmarshal(b, &st) == nil && st.Name != "" {
		return st.Name
	}
	id := filepath.Base(dir)
	return id[:min(len(id), 12)]
}

// kindRank orders namespaces by kind: the LAN, hosts, containers, others.
var kindRank = map[Kind]int{KindLAN: 0, KindHost: 1, KindContainer: 2, KindOther: 3}

// sortSources orders sources as a Snapshot's namespaces: LAN, hosts, containers, others.
func sortSources(s []Source) {
	sort.SliceStable(s, func(i, j int) bool {
		if kindRank[s[i].Kind] != kindRank[s[j].Kind] {
			return kindRank[s[i].Kind] < kindRank[s[j].Kind]
		}
		return s[i].Name < s[j].Name
	})
}
