package script

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

const sample = `# the bridge by hand
say Two containers on one bridge.
focus topology
run -d --name a --net none busybox sleep 1000
  host exec host1 ip link add br0 type bridge   
pause
sleep 300ms
expect ok ps
expect fail inspect nothing
expect output host exec host1 ip -br link contains br0 lacks br9 matches /br0\s+DOWN/
expect ping @host1 172.18.0.2
expect no-ping a 203.0.113.1
expect tcp @outside 198.51.100.1:8080
expect no-tcp a 172.18.0.3:81
expect capture @host1:br0 "arp or icmp" and a:eth0 icmp within 3s while exec a ping -c 1 172.18.0.3
expect counter @host1 nat PREROUTING DNAT and @host1 filter FORWARD "" grows while host exec outside true
expect cpu a below 55% for 2s
`

func TestParseSample(t *testing.T) {
	s := mustParse(t, sample)
	if s.Title != "Two containers on one bridge." {
		t.Errorf("title %q", s.Title)
	}
	kinds := []Kind{Say, Focus, Command, Command, Pause, Sleep, Expect, Expect, Expect, Expect, Expect, Expect, Expect, Expect, Expect, Expect}
	if len(s.Steps) != len(kinds) {
		t.Fatalf("%d steps, want %d: %+v", len(s.Steps), len(kinds), s.Steps)
	}
	for i, k := range kinds {
		if s.Steps[i].Kind != k {
			t.Errorf("step %d (line %d) kind %d, want %d", i, s.Steps[i].Line, s.Steps[i].Kind, k)
		}
	}
	if got := s.Steps[3]; got.Line != 5 || got.Source != "host exec host1 ip link add br0 type bridge" || len(got.Command.Args) != 9 {
		t.Errorf("command step: %+v", got)
	}
	if s.Steps[5].Duration != 300*time.Millisecond {
		t.Errorf("sleep %v", s.Steps[5].Duration)
	}
	out := s.Steps[8].Check.(*outputCheck)
	if !reflect.DeepEqual(out.args.Args, []string{"host", "exec", "host1", "ip", "-br", "link"}) || len(out.conds) != 3 || out.conds[2].op != "matches" {
		t.Errorf("output check: %+v", out)
	}
	capt := s.Steps[13].Check.(*captureCheck)
	if len(capt.taps) != 2 || capt.taps[0] != (tap{place: Place{"host1", true}, iface: "br0", filter: "arp or icmp"}) || capt.taps[1].place != (Place{"a", false}) || capt.within != 3*time.Second || capt.args.Args[0] != "exec" {
		t.Errorf("capture check: %+v", capt)
	}
	cnt := s.Steps[14].Check.(*counterCheck)
	if len(cnt.rules) != 2 || cnt.rules[1].match != "" || cnt.rules[0].chain != "PREROUTING" || strings.Join(cnt.args.Args, " ") != "host exec outside true" {
		t.Errorf("counter check: %+v", cnt)
	}
	cpu := s.Steps[15].Check.(*cpuCheck)
	if cpu.container != "a" || cpu.above || cpu.percent != 55 || cpu.window != 2*time.Second {
		t.Errorf("cpu check: %+v", cpu)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src  string
		want string // file:line:col and a word of the message
	}{
		{"ps\nexpect\n", "x.lab:2:1: expect needs"},
		{"expect maybe ps", "x.lab:1:8: unknown expectation"},
		{"  expect ok", "x.lab:1:10: expect ok needs a command"},
		{`run "busybox`, "x.lab:1:5: this double quote"},
		{"expect output ps", "x.lab:1:8: expect output needs a command and a condition"},
		{"expect output contains x", "x.lab:1:8: expect output needs a command before"},
		{"expect output ps matches /a(/", "x.lab:1:26: bad regular expression"},
		{"expect output ps matches /x/zz", `x.lab:1:26: unknown flag "z" after /x/: use i, m or s`},
		{"ps\nps " + strings.Repeat("x", MaxLineLen), "x.lab:2: the line is longer than 64 KiB: split it"},
		{"expect ping host1", "x.lab:1:8: expect ping needs a place"},
		{"expect ping @host1 example.org", "x.lab:1:20: \"example.org\" is not an IP"},
		{"expect ping @ 1.2.3.4", "x.lab:1:13: \"@\" is not a place"},
		{"expect tcp a 172.18.0.2", "x.lab:1:14: \"172.18.0.2\" is not ADDRESS:PORT"},
		{"expect capture @host1:br0 icmp within 3s", "x.lab:1:8: expect capture needs `while COMMAND`"},
		{"expect capture @host1:br0 icmp within 3s while", "x.lab:1:42: while needs the command"},
		{"expect capture @host1 icmp within 3s while ps", "x.lab:1:16: \"@host1\" is not WHERE:IFACE"},
		{"expect capture @host1:br0 icmp within soon while ps", "x.lab:1:39: \"soon\" is not a duration"},
		{"expect capture @host1:br0 icmp or @host1:eth0 icmp within 3s while ps", "x.lab:1:32: join captures with `and`"},
		{"expect counter @host1 nat PREROUTING DNAT while ps", "x.lab:1:8: expect counter needs"},
		{"expect counter a nat PREROUTING DNAT grows while ps", "x.lab:1:16: iptables counters live on a lab host"},
		{"expect counter @host1 nats PREROUTING DNAT grows while ps", "x.lab:1:23: \"nats\" is not an iptables table"},
		{"expect cpu a below 55 for 3s", "x.lab:1:20: \"55\" is not a percentage"},
		{"expect cpu @host1 below 55% for 3s", "x.lab:1:12: cpu is measured for a container"},
		{"expect cpu a under 55% for 3s", "x.lab:1:14: expect cpu needs"},
		{"sleep", "x.lab:1:1: sleep needs one duration"},
		{"sleep 0s", "x.lab:1:7: \"0s\" is not a duration"},
		{"focus somewhere", "x.lab:1:1: focus needs one pane name"},
		{"pause now", "x.lab:1:7: pause takes nothing"},
	}
	checkParseErrors(t, cases)
}

// TestParseLongLine: a line up to MaxLineLen is read, a longer one is named with its
// line number, whatever its length, and the other lines are still checked.
func TestParseLongLine(t *testing.T) {
	atMost := "say " + strings.Repeat("x", MaxLineLen-4)
	if s, err := Parse("x.lab", []byte("ps\r\n"+atMost+"\n")); err != nil || len(s.Steps) != 2 || s.Steps[1].Text != atMost[4:] {
		t.Fatalf("a line of %d bytes: %v", MaxLineLen, err)
	}
	for _, n := range []int{MaxLineLen + 1, 2 << 20} {
		_, err := Parse("x.lab", []byte("ps\nps "+strings.Repeat("x", n)+"\nexpect\n"))
		want := "x.lab:2: the line is longer than 64 KiB: split it\nx.lab:3:1: expect needs"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("a line of %d bytes: %v\nwant %q", n, err, want)
		}
	}
}

func TestParseReportsEveryBadLine(t *testing.T) {
	_, err := Parse("x.lab", []byte("expect\nps\nexpect ok\n"))
	if err == nil || !strings.Contains(err.Error(), "x.lab:1:1") || !strings.Contains(err.Error(), "x.lab:3:8") {
		t.Fatalf("want errors for lines 1 and 3, got %v", err)
	}
}

// FuzzParse checks that no script text makes the parser panic and that every error
// names its file, line and column.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	testutil.Seed(f, "expect", "expect capture a:b c within 1s while", "expect counter @h nat C \"\" and", "say", "expect output x contains", "expect cpu a above 1% for 1ms", "\"", "sleep 1h", "expect capture @h:$(x y) icmp within 1s while ps $(z)", "run $(a \"b\" 'c')", "expect output ps matches /a/zi", "expect output ps matches /a/\xff", "expect ok ps\nhint look at ps", "hint", "say a\nhint b", "expect\nhint c", "ps\n  hint\t", "expect trace a b drop X#policy drop routing return Y", "expect trace a b drop #", "expect trace a b drop X#-1", "expect trace a b drop X#99999999999999999999", "ps\r\nps "+strings.Repeat("y", MaxLineLen))
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("f.lab", []byte(src))
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f.lab:") || strings.Contains(line, "bufio") {
					t.Fatalf("error line without a place: %q", line)
				}
			}
			return
		}
		for _, st := range s.Steps {
			if st.Kind == Expect && st.Check == nil || st.Kind == Command && len(st.Command.Args) == 0 {
				t.Fatalf("incomplete step %+v from %q", st, src)
			}
		}
	})
}

func TestRegexpSource(t *testing.T) {
	for in, want := range map[string]string{"/a b/": "a b", "/^x$/m": "(?m)^x$", "/a/ims": "(?ims)a", "plain": "plain", "/": "/", "a/b/": "a/b/", "/usr": "/usr"} {
		if got, err := regexpSource(in); err != nil || got != want {
			t.Errorf("regexpSource(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"/a/x": `unknown flag "x" after /a/: use i, m or s`, "/x/zz": `unknown flag "z" after /x/: use i, m or s`, "/a/iZ": `unknown flag "Z" after /a/: use i, m or s`, "/usr/bin": `unknown flag "b" after /usr/: use i, m or s`, "/a/\xffi": `unknown flag "\xff" after /a/: use i, m or s`} {
		if got, err := regexpSource(in); err == nil || err.Error() != want {
			t.Errorf("regexpSource(%q) = %q, %v; want the error %q", in, got, err, want)
		}
	}
}

// mustParse parses the source of a lab named t.lab; one that does not parse fails the
// test.
func mustParse(t testing.TB, src string) *Script {
	t.Helper()
	s, err := Parse("t.lab", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkParseErrors checks that each source, as x.lab, is refused with an error that
// starts with its want.
func checkParseErrors(t *testing.T, cases []struct{ src, want string }) {
	t.Helper()
	for _, c := range cases {
		_, err := Parse("x.lab", []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v\nwant an error starting %q", c.src, err, c.want)
		}
	}
}
