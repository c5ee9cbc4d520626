package network

import (
	"strings"
	"testing"

	"workbench/testutil"
)

// deleteSaved and deleteHostChains remove what is there, every copy of it, and nothing
// else; run again they find nothing to do. (The machine's own namespace, where
// resetReal uses them, is played by a throwaway one.)
func TestDeleteSavedRemovesWhatIsThere(t *testing.T) {
	m, inst := newLab(t)
	ns := newSandbox(t, inst, "ipt")
	blue := &Network{Name: "blue", Bridge: "br-blue", Subnet: "172.30.0.0/16", Cluster: "10.10.0.0/16"}
	blue2 := &Network{Name: "blue2", Bridge: "br-blue2", Subnet: "172.31.0.0/16"}
	for _, rules := range [][]rule{hostChains(false), networkRules(blue), networkRules(blue), networkRules(blue2)} {
		if err := m.applyRules(ns, rules); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if err := m.deleteSaved(ns, savedComment(networkComment(blue.Name))); err != nil {
			t.Fatal(err)
		}
		if n, n2 := rulesOf(ns, "blue"), rulesOf(ns, "blue2"); n != 0 || n2 != 8 {
			t.Errorf("after deleting blue's rules: %d of blue, %d of blue2 (want 0 and 8)", n, n2)
		}
	}
	log := strings.Join(testutil.Commands(t, m.log), "\n")
	want := `iptables -t nat -D WB-POSTROUTING -s 172.30.0.0/16 ! -o br-blue -m comment --comment "workbench blue: containers leave with the host's address" -j MASQUERADE`
	if strings.Count(log, want) != 2 {
		t.Errorf("the command log lacks two of %q:\n%s", want, log)
	}
	if err := m.deleteSaved(ns, savedComment(networkComment(blue2.Name))); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := m.deleteHostChains(ns); err != nil {
			t.Fatal(err)
		}
		if saved := inNs(t, ns, "iptables-save"); strings.Contains(saved, "WB-") || strings.Contains(saved, "workbench") {
			t.Errorf("after deleteHostChains:\n%s", saved)
		}
	}
}
