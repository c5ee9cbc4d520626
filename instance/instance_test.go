package instance

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNewNames(t *testing.T) {
	def, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	if def.RunDir != "/run/workbench" || def.CgroupParent() != "/workbench" || def.HostNetnsName("host1") != "wb-host1" {
		t.Fatalf("default instance paths wrong: %+v", def)
	}
	other, err := New("t1")
	if err != nil {
		t.Fatal(err)
	}
	if other.RunDir == def.RunDir || other.CgroupParent() == def.CgroupParent() || other.HostNetnsPath("host1") == def.HostNetnsPath("host1") {
		t.Fatalf("instances share paths: %+v %+v", def, other)
	}
}

func TestNewRejects(t *testing.T) {
	for _, bad := range []string{"", "A", "1a", "toolongname", "a-b", "a/b"} {
		if _, err := New(bad); err == nil || !strings.Contains(err.Error(), "instance name") {
			t.Errorf("New(%q) = %v, want an instance name error", bad, err)
		}
	}
}

// TestLockExcludes holds the lock and checks that nobody else gets it: TryLock fails,
// Lock fails once its context ends and names this process, and a Lock that waits gets
// the lock as soon as it is released.
func TestLockExcludes(t *testing.T) {
	inst := Instance{Name: "x", RunDir: t.TempDir()}
	unlock, err := inst.Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := inst.TryLock(); ok {
		u()
		t.Fatal("TryLock took the lock while it was held")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = inst.Lock(ctx)
	if err == nil || !strings.Contains(err.Error(), "another workbench command holds the lab") || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("Lock while held = %v, want an error naming this process", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := inst.Lock(t.Context())
		if err == nil {
			u()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a second Lock returned (%v) while the first was held", err)
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	if err := <-got; err != nil {
		t.Fatalf("the waiting Lock failed once the lock was released: %v", err)
	}
}
