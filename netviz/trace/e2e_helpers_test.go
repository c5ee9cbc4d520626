package trace

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/nftables"
	"github.com/vishvananda/netns"

	"workbench/instance"
	"workbench/testutil"
)

// traceJSON runs `workbench trace --json ARGS` and reads its journeys.
func traceJSON(t testing.TB, args ...string) []Journey {
	t.Helper()
	out := testutil.MustRun(t, append([]string{"trace", "--json"}, args...)...)
	var js []Journey
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var j Journey
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			t.Fatalf("trace --json printed %q: %v", line, err)
		}
		js = append(js, j)
	}
	if len(js) == 0 {
		t.Fatal("trace --json printed no journey")
	}
	return js
}

// hop returns the leg's hop in a namespace, failing the test when it has none.
func hop(t testing.TB, l Leg, ns string) Hop {
	t.Helper()
	for _, h := range l.Hops {
		if h.Namespace == ns {
			return h
		}
	}
	t.Fatalf("the journey does not cross %s: %s", ns, namespaces(l))
	return Hop{}
}

func namespaces(l Leg) string {
	var s []string
	for _, h := range l.Hops {
		s = append(s, h.Namespace)
	}
	return strings.Join(s, " -> ")
}

// ruleStep returns the first rule step of a hop in chain whose verdict starts with
// verdict, failing the test when there is none.
func ruleStep(t testing.TB, h Hop, chain, verdict string) Step {
	t.Helper()
	for _, s := range h.Steps {
		if s.Kind == StepRule && s.Rule != nil && s.Rule.Chain == chain && strings.HasPrefix(s.Verdict, verdict) {
			return s
		}
	}
	t.Fatalf("no rule of %s with verdict %s in %s:\n%s", chain, verdict, h.Namespace, hopText(h))
	return Step{}
}

// natStep returns the hop's NAT step, failing the test when there is none.
func natStep(t testing.TB, h Hop) Step {
	t.Helper()
	for _, s := range h.Steps {
		if s.Kind == StepNAT {
			return s
		}
	}
	t.Fatalf("no NAT in %s:\n%s", h.Namespace, hopText(h))
	return Step{}
}

func hopText(h Hop) string {
	var b strings.Builder
	for _, s := range h.Steps {
		b.WriteString("  " + StepText(s) + "\n")
	}
	return b.String()
}

// traceTables lists the trace tables left in the instance's lab namespaces.
func traceTables(t testing.TB, inst instance.Instance) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("/run/netns", inst.HostNetnsName("*")))
	ctrs, _ := filepath.Glob(filepath.Join(inst.ContainersDir(), "*", "netns"))
	var left []string
	for _, p := range append(paths, ctrs...) {
		fd, err := netns.GetFromPath(p)
		if err != nil {
			continue
		}
		c, err := nftables.New(nftables.WithNetNSFd(int(fd)))
		if err == nil {
			tables, _ := c.ListTables()
			for _, tb := range tables {
				if strings.HasPrefix(tb.Name, "workbench_trace") {
					left = append(left, p+": "+tb.Name)
				}
			}
		}
		fd.Close()
	}
	return left
}
