package order

import (
	"slices"
	"testing"
	"time"
)

func TestNaturalPutsBulk2BeforeBulk10(t *testing.T) {
	names := []string{"bulk10", "web", "bulk2", "bulk1", "bulk02x", "a", "bulk"}
	slices.SortFunc(names, Natural)
	want := []string{"a", "bulk", "bulk1", "bulk2", "bulk02x", "bulk10", "web"}
	if !slices.Equal(names, want) {
		t.Errorf("natural order %v, want %v", names, want)
	}
}

func TestSortByEachOrder(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := []Row{
		{Name: "b10", CPU: 5, Memory: 1, Created: at},
		{Name: "b2", CPU: 50, Memory: 3, Created: at.Add(time.Minute)},
		{Name: "b1", CPU: 5, Memory: 2, Created: at.Add(-time.Minute)},
	}
	for by, want := range map[By][]int{ByName: {2, 1, 0}, ByCPU: {1, 2, 0}, ByMemory: {1, 2, 0}, ByCreated: {1, 0, 2}} {
		if got := Sort(by, len(rows), func(i int) Row { return rows[i] }); !slices.Equal(got, want) {
			t.Errorf("by %s: %v, want %v", by, got, want)
		}
	}
	if ByCreated.Next() != ByName {
		t.Error("the order after created is not name again")
	}
}

func FuzzNaturalIsAnOrder(f *testing.F) {
	for _, s := range [][2]string{{"bulk1", "bulk10"}, {"a01", "a1"}, {"", "9"}, {"x9y", "x10"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if Natural(a, b) != -Natural(b, a) {
			t.Errorf("Natural(%q, %q) = %d but Natural(%q, %q) = %d", a, b, Natural(a, b), b, a, Natural(b, a))
		}
		if Natural(a, a) != 0 {
			t.Errorf("Natural(%q, %q) is not 0", a, a)
		}
	})
}
