package errkind

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

func TestKindsAreFoundThroughWrapping(t *testing.T) {
	err := fmt.Errorf("make network blue: %w", New(Exists, "network", "blue", "network %s already exists", "blue"))
	if !errors.Is(err, Exists) || errors.Is(err, NotFound) {
		t.Errorf("errors.Is: Exists %v, NotFound %v", errors.Is(err, Exists), errors.Is(err, NotFound))
	}
	e, ok := Of(err)
	if !ok || e.Subject != "network" || e.Name != "blue" || err.Error() != "make network blue: network blue already exists" {
		t.Errorf("Of = %+v, %v; message %q", e, ok, err)
	}
	if _, ok := Of(errors.New("plain")); ok {
		t.Error("a plain error has a kind")
	}
}

func TestPathCauseDropsTheOperationAndPath(t *testing.T) {
	_, err := os.Open("/no/such/file")
	if got := PathCause(fmt.Errorf("read profile: %w", err)); got.Error() != "no such file or directory" {
		t.Errorf("PathCause of a wrapped *os.PathError: %v", got)
	}
	other := errors.New("not a path error")
	if got := PathCause(other); got != other {
		t.Errorf("PathCause of an error with no path: %v", got)
	}
}
