package instance

import (
	"strings"
	"testing"
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

func TestLockExcludes(t *testing.T) {
	inst := Instance{Name: "x", RunDir: t.TempDir()}
	unlock, err := inst.Lock()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		u, err := inst.Lock()
		if err == nil {
			u()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("second lock was taken while the first was held")
	default:
	}
	unlock()
	<-got
}
