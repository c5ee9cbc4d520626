package errkind

import (
	"errors"
	"fmt"
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
