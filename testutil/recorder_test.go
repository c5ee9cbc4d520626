package testutil

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a test that records its failures, what it logs and the functions given
// to its Cleanup; its Fatalf ends the goroutine it runs in, as a real test's does.
type recorder struct {
	testing.TB
	failures []string
	logs     []string
	cleanups []func()
}

func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func (r *recorder) Failed() bool { return len(r.failures) > 0 }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// failure is what the test failed with, one failure a line, or "" when it did not.
func (r *recorder) failure() string { return strings.Join(r.failures, "\n") }

// end runs the functions given to Cleanup, last first, as a test does when it ends.
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.cleanups = nil
}

// record runs f on a recorder in a goroutine of its own and returns the recorder and
// whether f returned.
func record(f func(t testing.TB)) (r *recorder, returned bool) {
	r = &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
		returned = true
	}()
	<-done
	return r, returned
}
