package testutil

import "testing"

// FuzzSeed: run as a test, the fuzz target meets every seed given to Seed (fuzzing,
// it meets more inputs, and the check is left out).
func FuzzSeed(f *testing.F) {
	seeds := []string{"a", "b c", ""}
	Seed(f, seeds...)
	met := map[string]bool{}
	f.Cleanup(func() {
		for _, s := range seeds {
			if !met[s] && len(met) <= len(seeds) {
				f.Errorf("the fuzz target never met the seed %q", s)
			}
		}
	})
	f.Fuzz(func(t *testing.T, s string) { met[s] = true })
}
