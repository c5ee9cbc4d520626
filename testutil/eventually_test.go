package testutil

import (
	"strings"
	"testing"
	"time"
)

// runRecorded runs within on a recorder and returns the failure it recorded ("" when
// none), how many times check was called, and whether within returned.
func runRecorded(limit time.Duration, check func(calls int) bool) (failure string, calls int, returned bool) {
	r, returned := record(func(t testing.TB) {
		within(t, limit, "the answer", func() bool {
			calls++
			return check(calls)
		})
	})
	return r.failure(), calls, returned
}

func TestEventuallyReturnsOnceTheCheckHolds(t *testing.T) {
	failure, calls, returned := runRecorded(time.Minute, func(calls int) bool { return calls == 3 })
	if !returned || failure != "" || calls != 3 {
		t.Errorf("a check that holds on its third call: returned %v, failure %q, %d calls", returned, failure, calls)
	}
	var seen int
	Eventually(t, "a check that holds at once", func() bool { seen++; return true })
	if seen != 1 {
		t.Errorf("a check that holds at once was called %d times", seen)
	}
}

func TestEventuallyFailsSayingWhatItAwaited(t *testing.T) {
	start := time.Now()
	failure, calls, returned := runRecorded(100*time.Millisecond, func(int) bool { return false })
	took := time.Since(start)
	if returned || !strings.Contains(failure, "waited 100ms for the answer") {
		t.Errorf("a check that never holds: returned %v, failure %q", returned, failure)
	}
	if calls < 2 || took < 100*time.Millisecond {
		t.Errorf("a check that never holds was called %d times in %v, before the limit of 100ms", calls, took)
	}
}
