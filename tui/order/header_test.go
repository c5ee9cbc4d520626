package order

import "testing"

// TestHeaderMarksTheSortedColumn: only the column the order sorts by is marked, the
// name column both by name and by creation.
func TestHeaderMarksTheSortedColumn(t *testing.T) {
	c := Columns{Name: "NAME", CPU: "CPU%", Memory: "MEMORY"}
	want := map[By][]string{
		ByName:    {"NAME↑", "CPU%", "MEMORY", "STATE"},
		ByCPU:     {"NAME", "CPU%↓", "MEMORY", "STATE"},
		ByMemory:  {"NAME", "CPU%", "MEMORY↓", "STATE"},
		ByCreated: {"NAME (newest first)", "CPU%", "MEMORY", "STATE"},
	}
	for b, titles := range want {
		for i, title := range []string{"NAME", "CPU%", "MEMORY", "STATE"} {
			if got := c.Header(b, title); got != titles[i] {
				t.Errorf("by %s, %s is headed %q, want %q", b, title, got, titles[i])
			}
		}
	}
}
