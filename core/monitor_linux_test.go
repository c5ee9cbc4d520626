package core

import (
	"testing"
	"time"
)

// TestMonitorStaysWhileAnEndIsRecorded: a monitor whose last container ended long
// after its last request is not idle while the end is recorded and its clients told,
// nor for monitorLinger after.
func TestMonitorStaysWhileAnEndIsRecorded(t *testing.T) {
	m := &monitor{held: map[string]*held{"web": nil}, last: time.Now().Add(-time.Hour)}
	done := m.release("web")
	if m.idle() {
		t.Error("the monitor is idle while the end of its last container is recorded")
	}
	done()
	if m.idle() {
		t.Error("the monitor is idle just after recording the end of its last container")
	}
	m.last = time.Now().Add(-2 * monitorLinger)
	if !m.idle() {
		t.Error("the monitor holding nothing for twice monitorLinger is not idle")
	}
}
