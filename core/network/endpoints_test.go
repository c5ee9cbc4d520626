package network

import (
	"os"
	"path/filepath"
	"testing"

	"workbench/instance"
)

// TestEndpointsAreWrittenWhole puts an endpoint beside what a command killed in the
// middle of writing one leaves (its hidden temporary file, even empty): the endpoints
// read back are the whole ones only.
func TestEndpointsAreWrittenWhole(t *testing.T) {
	m := New(instance.Instance{Name: "t", RunDir: t.TempDir()}, nil)
	n := &Network{Host: DefaultHost, Name: "bridge"}
	e := Endpoint{ContainerID: "c1", Attachment: Attachment{IP: "172.18.0.2/16", Network: "bridge"}}
	if err := m.putEndpoint(n, e); err != nil {
		t.Fatal(err)
	}
	half := Endpoint{ContainerID: "c2", Attachment: Attachment{IP: "172.18.0.3/16", Network: "bridge"}}
	left := filepath.Join(m.endpointDir(n), "."+endpointFile(half)+".123456.tmp")
	if err := os.WriteFile(left, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.fillEndpoints(n); err != nil || len(n.Endpoints) != 1 || n.Endpoints[0].ContainerID != "c1" {
		t.Fatalf("endpoints read back: %+v, %v", n.Endpoints, err)
	}
	entries, _ := os.ReadDir(m.endpointDir(n))
	for _, en := range entries {
		if en.Name() != endpointFile(e) && filepath.Join(m.endpointDir(n), en.Name()) != left {
			t.Errorf("writing an endpoint left %s", en.Name())
		}
	}
}
