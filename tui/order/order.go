// Package order is how the containers and cgroups panes sort their rows: by name in
// natural order (bulk1, bulk2, bulk10), by CPU or memory (most first), or by creation
// (newest first); both panes start by name.
package order

import (
	"cmp"
	"slices"
	"time"
	"unicode"
)

// By is one order of the rows.
type By int

// The orders, in the order the sort key goes through them.
const (
	ByName By = iota
	ByCPU
	ByMemory
	ByCreated
	count
)

// Next is the order after b, back to ByName after the last.
func (b By) Next() By { return (b + 1) % count }

// String names the order as the panes show it.
func (b By) String() string {
	return [...]string{"name", "CPU", "memory", "created"}[b]
}

// Columns are the titles of a list's columns that the orders sort by.
type Columns struct{ Name, CPU, Memory string }

// Header is title, the title of one of a list's columns, marked when order b sorts by
// that column: the name ↑ by name and "(newest first)" by creation, the CPU and the
// memory ↓ (most first).
func (c Columns) Header(b By, title string) string {
	switch {
	case title == c.Name && b == ByName:
		return title + "↑"
	case title == c.Name && b == ByCreated:
		return title + " (newest first)"
	case title == c.CPU && b == ByCPU, title == c.Memory && b == ByMemory:
		return title + "↓"
	}
	return title
}

// Row is what a row is sorted by.
type Row struct {
	Name    string
	CPU     float64
	Memory  int64
	Created time.Time
}

// Sort returns the indexes of n rows in order b; row gives row i. Ties go by name.
func Sort(b By, n int, row func(i int) Row) []int {
	rows := make([]Row, n)
	idx := make([]int, n)
	for i := range rows {
		rows[i], idx[i] = row(i), i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, z := rows[i], rows[j]
		c := 0
		switch b {
		case ByCPU:
			c = cmp.Compare(z.CPU, a.CPU)
		case ByMemory:
			c = cmp.Compare(z.Memory, a.Memory)
		case ByCreated:
			c = z.Created.Compare(a.Created)
		}
		if c == 0 {
			c = Natural(a.Name, z.Name)
		}
		return c
	})
	return idx
}

// Natural compares two names with their runs of digits read as numbers: bulk2 comes
// before bulk10.
func Natural(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	i, j := 0, 0
	for i < len(ra) && j < len(rb) {
		if unicode.IsDigit(ra[i]) && unicode.IsDigit(rb[j]) {
			si, sj := i, j
			for i < len(ra) && unicode.IsDigit(ra[i]) {
				i++
			}
			for j < len(rb) && unicode.IsDigit(rb[j]) {
				j++
			}
			na, nb := trimZeros(ra[si:i]), trimZeros(rb[sj:j])
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := slices.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(ra[i], rb[j]); c != 0 {
			return c
		}
		i, j = i+1, j+1
	}
	return cmp.Compare(len(ra)-i, len(rb)-j)
}

func trimZeros(r []rune) []rune {
	for len(r) > 1 && r[0] == '0' {
		r = r[1:]
	}
	return r
}
