package tui

import (
	"context"
	"sort"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/containers"
	"workbench/tui/fixture"
	"workbench/tui/panetest"
)

// BenchmarkFrame measures a full frame with 250 containers and 2000 iptables rules: the
// time from new data arriving (Update with a changed snapshot, then View) and from a key
// press to the finished frame, each 50 times, reported as p50 and max in milliseconds.
func BenchmarkFrame(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for _, size := range [][2]int{{80, 24}, {200, 60}} {
			panes := testPanes(250, 2000)
			panes[0] = containers.New(&changingContainers{snap: fixture.Containers(250)})
			m := newTestModel(Options{Panes: panes})
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			drain(m, m.refreshAll())
			var data, keyed []time.Duration
			for n := 0; n < 50; n++ {
				// New data for the visible panes, then the frame.
				var msgs []tea.Msg
				for _, p := range m.visible() {
					msgs = append(msgs, m.panes[p].Refresh(context.Background())())
				}
				start := time.Now()
				for _, msg := range msgs {
					m.Update(msg)
				}
				_ = m.View()
				data = append(data, time.Since(start))
				// A key press (the selection moves), then the frame.
				start = time.Now()
				m.Update(panetest.Key("down"))
				_ = m.View()
				keyed = append(keyed, time.Since(start))
			}
			m.Update(panetest.Key("3")) // the iptables pane with its 2000 rules
			var rules []time.Duration
			for n := 0; n < 50; n++ {
				msg := m.panes[2].Refresh(context.Background())()
				start := time.Now()
				m.Update(msg)
				_ = m.View()
				rules = append(rules, time.Since(start))
			}
			suffix := "-80x24"
			if size[0] == 200 {
				suffix = "-200x60"
			}
			report(b, "containers-frame"+suffix, data)
			report(b, "key-frame"+suffix, keyed)
			report(b, "iptables-frame"+suffix, rules)
		}
	}
}

func report(b *testing.B, name string, d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
	b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, name+"-max-ms")
}

// changingContainers serves 250 containers whose CPU figures change at every load, so
// every frame of the benchmark has new data to draw; its logs are the fixture's.
type changingContainers struct {
	fixture.ContainerSource
	snap containers.Snapshot
	n    int
}

func (c *changingContainers) Load(context.Context, string) (containers.Snapshot, error) {
	c.n++
	out := containers.Snapshot{Containers: append([]containers.Container(nil), c.snap.Containers...)}
	for i := range out.Containers {
		out.Containers[i].CPUPercent = float64((c.n + i) % 100)
	}
	return out, nil
}
