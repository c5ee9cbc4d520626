package topology

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"

	"workbench/core/network"
	"workbench/instance"
)

// Source is a network namespace to read: where its file is and what it plays.
type Source struct {
	// Name is what the snapshot calls the namespace (host1, lan, a container's name).
	Name string
	// Kind is what the namespace plays in the lab.
	Kind Kind
	// Path is the namespace file (a bind mount under /run/netns or a container's).
	Path string
	// Shared tells that the namespace belongs to another container or a host: the
	// container joined it (--net container:NAME or host).
	Shared bool
}

// Sources lists the namespaces of an instance: the LAN and every lab host (as
// core/network finds them) and every container's namespace file (<containers>/<id>/netns).
func Sources(inst instance.Instance) []Source {
	var out []Source
	for _, ns := range network.Namespaces(inst) {
		kind := KindHost
		if ns.Name == network.LANName {
			kind = KindLAN
		}
		out = append(out, Source{Name: ns.Name, Kind: kind, Path: ns.Path})
	}
	dirs, _ := filepath.Glob(filepath.Join(inst.ContainersDir(), "*"))
	for _, dir := range dirs {
		if src, ok := containerSource(dir); ok {
			out = append(out, src)
		}
	}
	sortSources(out)
	return out
}

// containerSource names a container's namespace: its own file <dir>/netns, or for a
// container that joined another's namespace (container:NAME) the file its state names.
// The name comes from the state file, else the short ID (the directory's name).
func containerSource(dir string) (Source, bool) {
	var st struct{ Name, NetnsPath string }
	if b, err := os.ReadFile(filepath.Join(dir, "state.json")); err == nil {
		_ = json.Unmarshal(b, &st)
	}
	if st.Name == "" {
		id := filepath.Base(dir)
		st.Name = id[:min(len(id), 12)]
	}
	src := Source{Name: st.Name, Kind: KindContainer, Path: filepath.Join(dir, "netns")}
	if _, err := os.Stat(src.Path); err != nil {
		if src.Path, src.Shared = st.NetnsPath, true; src.Path == "" {
			return Source{}, false
		}
		if _, err := os.Stat(src.Path); err != nil {
			return Source{}, false
		}
	}
	return src, true
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
