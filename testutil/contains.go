package testutil

import (
	"strings"
	"testing"
)

// Contains fails the test for each of wants that text does not hold, naming text by
// what it is ("the report") and showing it whole.
func Contains(t testing.TB, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}
