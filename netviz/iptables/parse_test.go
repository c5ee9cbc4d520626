package iptables

import (
	"os"
	"strings"
	"testing"
	"time"
)

func readSample(t testing.TB) Snapshot {
	t.Helper()
	data, err := os.ReadFile("testdata/save.txt")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(data, time.Date(2026, 11, 22, 3, 11, 15, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseRealOutput(t *testing.T) {
	s := readSample(t)
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	if got := strings.Join(names, ","); got != "raw,mangle,nat,filter" {
		t.Fatalf("tables in order %q, want raw,mangle,nat,filter", got)
	}
	if n := s.RuleCount(); n != 14 {
		t.Errorf("RuleCount = %d, want 14", n)
	}
	filter, _ := s.Table("filter")
	fwd := filter.Chains[1]
	if fwd.Name != "FORWARD" || fwd.Policy != "DROP" || fwd.Packets != 2 || fwd.Bytes != 168 || !fwd.Builtin() {
		t.Errorf("FORWARD chain = %+v", fwd)
	}
	iso := filter.Chains[3]
	if iso.Name != "WB-ISOLATION" || iso.Builtin() || !iso.Ours {
		t.Errorf("WB-ISOLATION chain = %+v", iso)
	}
	r := iso.Rules[0]
	if r.Comment != `wb: isolate "lab" nets` || r.Target != "RETURN" || !r.Ours || r.Packets != 5 || r.Bytes != 420 || r.Num != 1 {
		t.Errorf("comment rule = %+v", r)
	}
	if jump := filter.Chains[0].Rules[0]; !jump.Ours || jump.Target != "WB-ISOLATION" {
		t.Errorf("a jump to a WB- chain is ours: %+v", jump)
	}
	svc := filter.Chains[4]
	if svc.Rules[0].Target != "LOG" || svc.Rules[0].Ours || svc.Rules[1].Packets != 1234567 {
		t.Errorf("Test-Service rules = %+v", svc.Rules)
	}
	nat, _ := s.Table("nat")
	dnat := nat.Chains[0].Rules[0]
	if dnat.Spec != "! -i br0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.18.0.2:80" || dnat.Target != "DNAT" || dnat.Ours {
		t.Errorf("DNAT rule = %+v", dnat)
	}
	if c := nat.Chains[4].Rules[0].Comment; c != "workbench: web 8080->80" {
		t.Errorf("nat comment = %q", c)
	}
}

func TestParseRejectsBrokenInput(t *testing.T) {
	for _, in := range []string{
		"*filter\n:INPUT ACCEPT [0:0]\n",                           // no COMMIT
		"*filter\n[1:2] -A NOPE -j ACCEPT\nCOMMIT\n",               // undeclared chain
		"*filter\n:INPUT ACCEPT [x:0]\nCOMMIT\n",                   // bad counters
		":INPUT ACCEPT [0:0]\n",                                    // outside a table
		"*filter\n:INPUT ACCEPT [0:0]\n[1:2 -A INPUT\nCOMMIT\n",    // counters not closed
		"*filter\n:INPUT ACCEPT [0:0]\n-I INPUT -j DROP\nCOMMIT\n", // not -A
		"COMMIT\n",
	} {
		if _, err := Parse([]byte(in), time.Time{}); err == nil {
			t.Errorf("Parse(%q) gave no error", in)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	}
}

func TestTokensAndStripComment(t *testing.T) {
	if tg, c := targetAndComment(`-m comment --comment "a \"b\" c" -j X`); tg != "X" || c != `a "b" c` {
		t.Errorf("targetAndComment = %q, %q", tg, c)
	}
	if tg, c := targetAndComment(`-j "odd`); tg != "odd" || c != "" {
		t.Errorf("targetAndComment of an open quote = %q, %q", tg, c)
	}
	for in, want := range map[string]string{
		`-s 1.2.3.4 -m comment --comment "x \"y\" z" -j RETURN`: "-s 1.2.3.4 -j RETURN",
		`-j ACCEPT -m comment --comment plain`:                  "-j ACCEPT",
		`-m comment --comment "only"`:                           "",
		`-m comment --comment "open`:                            "",
	} {
		if got := string(appendWithoutComment(nil, in)); got != want {
			t.Errorf("appendWithoutComment(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("testdata/save.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Add("*nat\n:PREROUTING ACCEPT [1:2]\n[3:4] -A PREROUTING -m comment --comment \"a\\\" b\" -j DNAT\nCOMMIT\n")
	f.Add("*filter\n[\n]\n:\n-A \nCOMMIT")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse([]byte(in), time.Unix(10, 0))
		if err != nil {
			return
		}
		_ = Render(s, Options{Width: 40, Hooks: true, Prev: &s})
		_ = Render(s, Options{Width: 70, Color: true})
		_ = Diff(s, s)
		for _, tb := range s.Tables {
			for _, c := range tb.Chains {
				for _, r := range c.Rules {
					_ = appendWithoutComment(nil, r.Spec)
				}
			}
		}
	})
}
