package iptables

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"

	"workbench/testutil/golden"
)

// earlier returns a copy of s taken two seconds before, with some counters lower.
func earlier(s Snapshot) Snapshot {
	p := Snapshot{Host: s.Host, Time: s.Time.Add(-2 * time.Second)}
	for _, t := range s.Tables {
		nt := Table{Name: t.Name}
		for _, c := range t.Chains {
			nc := c
			nc.Rules = append([]Rule(nil), c.Rules...)
			nt.Chains = append(nt.Chains, nc)
		}
		p.Tables = append(p.Tables, nt)
	}
	nat := p.Tables[2]
	nat.Chains[0].Rules[0].Packets = 0 // the DNAT rule moved by 2
	nat.Chains[0].Packets = 5          // the PREROUTING policy moved by 4
	filter := p.Tables[3]
	filter.Chains[1].Rules[0].Packets = 10 // the statistic rule moved by 20
	return p
}

func TestRenderGolden(t *testing.T) {
	s := readSample(t)
	prev := earlier(s)
	for _, w := range []int{80, 160} {
		got := Render(s, Options{Width: w, Prev: &prev, Hooks: true})
		for i, l := range strings.Split(got, "\n") {
			if n := len([]rune(l)); n > w {
				t.Errorf("width %d: line %d has %d columns: %q", w, i, n, l)
			}
		}
		golden.Assert(t, fmt.Sprintf("render-%d.txt", w), got)
	}
	golden.Assert(t, "render-nat-80.txt", Render(s, Options{Width: 80, Table: "nat"}))
}

func TestRenderColourOnlyWhenAsked(t *testing.T) {
	s := readSample(t)
	prev := earlier(s)
	if plain := Render(s, Options{Prev: &prev}); strings.Contains(plain, "\x1b[") {
		t.Error("plain output has escape sequences")
	}
	if col := Render(s, Options{Prev: &prev, Color: true}); !strings.Contains(col, "\x1b[") {
		t.Error("coloured output has no escape sequences")
	}
}

func TestRenderEmpty(t *testing.T) {
	if got := Render(Snapshot{}, Options{}); !strings.Contains(got, "no tables") {
		t.Errorf("empty snapshot: %q", got)
	}
	if got := Render(Snapshot{}, Options{Table: "nat"}); !strings.Contains(got, "table nat is empty") {
		t.Errorf("empty table: %q", got)
	}
}

func TestDiff(t *testing.T) {
	s := readSample(t)
	prev := earlier(s)
	d := Diff(prev, s)
	if d.Seconds != 2 {
		t.Fatalf("Seconds = %v", d.Seconds)
	}
	nat, _ := s.Table("nat")
	k := RuleKeys("nat", nat.Chains[0])[0]
	if x := d.Rules[k]; x.Packets != 2 || x.Bytes != 0 || x.Rate != 1 {
		t.Errorf("DNAT delta = %+v", x)
	}
	if x := d.Policies[Key{Table: "nat", Chain: "PREROUTING"}]; x.Packets != 4 || x.Rate != 2 {
		t.Errorf("policy delta = %+v", x)
	}
	if len(d.Rules) != 2 || len(d.Policies) != 1 {
		t.Errorf("moved rules %v, policies %v; want 2 and 1", d.Rules, d.Policies)
	}
	// Zeroed counters count from zero.
	if z := Diff(s, prev); z.Rules[k].Packets != 0 {
		t.Errorf("zeroed rule delta = %+v", z.Rules[k])
	}
	filter, _ := s.Table("filter")
	keys := RuleKeys("filter", filter.Chains[1])
	if keys[1] == keys[2] || keys[2].Copy != 1 {
		t.Errorf("duplicate rules share a key: %+v", keys)
	}
}

func TestTraffic(t *testing.T) {
	got := map[string]uint64{}
	for _, h := range Traffic(readSample(t)) {
		got[h.Hook] = h.Packets
	}
	// PREROUTING: raw 120 + NOTRACK 3 beats nat 9 + DNAT 2 and INPUT 80 + FORWARD 32;
	// FORWARD: 2 + 30 ACCEPT; POSTROUTING: FORWARD 32 + OUTPUT 40 beat nat's 3 + 4.
	want := map[string]uint64{"PREROUTING": 123, "INPUT": 80, "FORWARD": 32, "OUTPUT": 40, "POSTROUTING": 72}
	for h, n := range want {
		if got[h] != n {
			t.Errorf("%s = %d packets, want %d", h, got[h], n)
		}
	}
}

func TestHumanAndRate(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 99999: "99999", 100000: "100K", 1234567: "1234K", 987654321: "987M"} {
		if got := Human(n); got != want {
			t.Errorf("Human(%d) = %q, want %q", n, got, want)
		}
	}
	for r, want := range map[float64]string{0.5: "0.5/s", 12: "12/s", 1500: "1.5K/s", 25000: "25K/s"} {
		if got := Rate(r); got != want {
			t.Errorf("Rate(%v) = %q, want %q", r, got, want)
		}
	}
}

// bigSave is iptables-save -c output with n rules spread over user chains.
func bigSave(n int) []byte {
	var b strings.Builder
	b.WriteString("*nat\n:PREROUTING ACCEPT [100:6000]\n:POSTROUTING ACCEPT [5:300]\n")
	chains := n / 20
	for c := 0; c < chains; c++ {
		fmt.Fprintf(&b, ":WB-SVC-%d - [0:0]\n", c)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[%d:%d] -A WB-SVC-%d -d 10.%d.%d.1/32 -p tcp -m tcp --dport %d -m comment --comment \"workbench: svc %d\" -j DNAT --to-destination 172.18.%d.%d:80\n",
			i, i*60, i%chains, i/250, i%250, 1000+i, i, i/250, i%250+2)
	}
	b.WriteString("COMMIT\n")
	return []byte(b.String())
}

// BenchmarkParseRender2000 parses and renders 2000 rules (with a diff against the
// previous snapshot), 50 times, and reports the median and worst wall time of one
// round and the mean CPU time of the thread doing it (which a loaded machine does not
// inflate).
func BenchmarkParseRender2000(b *testing.B) {
	data := bigSave(2000)
	prev, err := Parse(data, time.Unix(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range b.N {
		var times []float64
		cpu0 := threadCPU(b)
		for i := 0; i < 50; i++ {
			start := time.Now()
			s, err := Parse(data, time.Unix(1, 0))
			if err != nil {
				b.Fatal(err)
			}
			_ = Render(s, Options{Width: 160, Prev: &prev, Hooks: true, Color: true})
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
		b.ReportMetric((threadCPU(b)-cpu0)/50, "cpu-ms")
		b.ReportMetric(percentile(times, 0.5), "p50-ms")
		b.ReportMetric(percentile(times, 1), "max-ms")
	}
}

// threadCPU is the CPU time, in milliseconds, the calling thread has used.
func threadCPU(b *testing.B) float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func percentile(v []float64, p float64) float64 {
	s := append([]float64(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[int(p*float64(len(s)-1))]
}

func TestTrafficFollowsJumps(t *testing.T) {
	s, err := Parse([]byte("*nat\n:PREROUTING ACCEPT [0:0]\n:WB-DNAT - [0:0]\n[5:300] -A PREROUTING -j WB-DNAT\n[2:120] -A WB-DNAT -p tcp -j DNAT --to-destination 172.18.0.2:80\n[0:0] -A WB-DNAT -j WB-DNAT\nCOMMIT\n"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// All 5 packets went through the jump; 2 of them ended at the DNAT rule.
	if got := Traffic(s)[0]; got.Hook != "PREROUTING" || got.Packets != 5 || got.Bytes != 300 {
		t.Errorf("PREROUTING traffic = %+v, want 5 packets, 300 bytes", got)
	}
	s, err = Parse([]byte("*filter\n:INPUT DROP [4:400]\n[6:600] -A INPUT -j WB-IN\n[1:100] -A INPUT -j ACCEPT\n:WB-IN - [0:0]\n[2:200] -A WB-IN -j ACCEPT\nCOMMIT\n"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// 2 ended in WB-IN, 1 at the ACCEPT, 4 met the policy: 7.
	if got := Traffic(s)[1]; got.Hook != "INPUT" || got.Packets != 7 || got.Bytes != 700 {
		t.Errorf("INPUT traffic = %+v, want 7 packets, 700 bytes", got)
	}
}

// TestRenderMark: the marked rule's line starts with ▶ and MarkedLine finds it; a
// policy marks its chain's line; a rule that is not there marks nothing.
func TestRenderMark(t *testing.T) {
	s, err := Parse([]byte(markSample), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mark RuleRef
		want string // the marked line holds it; "" = no line marked
	}{
		{RuleRef{Table: "nat", Chain: "WB-DNAT", Num: 2}, "--dport 9090"},
		{RuleRef{Table: "filter", Chain: "FORWARD", Num: 0}, "FORWARD  policy DROP"},
		{RuleRef{Table: "nat", Chain: "WB-DNAT", Num: 3}, ""},
		{RuleRef{Table: "filter", Chain: "WB-DNAT", Num: 1}, ""},
	} {
		for _, color := range []bool{false, true} {
			out := Render(s, Options{Width: 120, Color: color, Hooks: true, Mark: &c.mark})
			i := MarkedLine(out)
			if c.want == "" {
				if i >= 0 {
					t.Errorf("%+v: line %d marked:\n%s", c.mark, i, out)
				}
				continue
			}
			if i < 0 || !strings.Contains(strings.Split(out, "\n")[i], c.want) || strings.Count(ansi.Strip(out), "\n▶") != 1 {
				t.Errorf("%+v (colour %v): marked line %d, want the one with %q:\n%s", c.mark, color, i, c.want, out)
			}
		}
	}
}

const markSample = `*nat
:PREROUTING ACCEPT [0:0]
:WB-DNAT - [0:0]
[1:60] -A PREROUTING -j WB-DNAT
[1:60] -A WB-DNAT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
[0:0] -A WB-DNAT -p tcp -m tcp --dport 9090 -j DNAT --to-destination 172.18.0.2:90
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
[0:0] -A FORWARD -i wb0 -j ACCEPT
COMMIT
`
