package testutil

import "testing"

// Seed adds each of seeds to the corpus of a fuzz test that takes one argument.
func Seed[T any](f *testing.F, seeds ...T) {
	f.Helper()
	for _, s := range seeds {
		f.Add(s)
	}
}
