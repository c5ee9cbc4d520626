package testutil

import (
	"testing"
	"time"
)

// patience is how long Eventually waits for a condition: long enough for a busy
// machine, where other tests run kernel work at the same time.
const patience = 20 * time.Second

// pollEvery is how often Eventually checks its condition.
const pollEvery = 20 * time.Millisecond

// Eventually calls check every 20 ms until it returns true, and fails the test if it
// has not within 20 s, saying what was awaited ("the trap to be set"). check may fail
// the test itself, and may collect what it sees for the test to read afterwards.
func Eventually(t testing.TB, what string, check func() bool) {
	t.Helper()
	within(t, patience, what, check)
}

// within is Eventually with a limit of its own.
func within(t testing.TB, limit time.Duration, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(pollEvery)
	}
}
