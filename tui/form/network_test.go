package form

import (
	"strings"
	"testing"
)

// TestNetworkArgs: the network dialog makes `network create` with the flags filled,
// and asks for a name first.
func TestNetworkArgs(t *testing.T) {
	args, err := networkArgs([]string{"blue", "172.20.0.0/16", "", "host2"})
	if err != nil || strings.Join(args, " ") != "network create --subnet 172.20.0.0/16 --host host2 blue" {
		t.Errorf("networkArgs = %q, %v", args, err)
	}
	if _, err := networkArgs([]string{"", "", "", ""}); err == nil || !strings.Contains(err.Error(), "name") {
		t.Errorf("no name gave %v", err)
	}
}
