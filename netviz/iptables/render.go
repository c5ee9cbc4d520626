package iptables

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/palette"
)

// Options shape the text picture of a snapshot.
type Options struct {
	// Width is the number of columns; lines longer than it are cut with "…". 0 means 80.
	Width int
	// Table limits the picture to one table; "" shows every table.
	Table string
	// Color styles the text with ANSI colours; leave it off when the output is not a
	// terminal.
	Color bool
	// Prev, when set, is an earlier snapshot of the same namespace: rules whose counters
	// moved since are lit up with their rate, and the hook diagram shows rates.
	Prev *Snapshot
	// Hooks draws the five-hook diagram above the tables.
	Hooks bool
	// Mark, when set, is a rule to mark: its line starts with ▶ and is reversed.
	Mark *RuleRef
}

// RuleRef names a rule by where it sits: Num is its position in the chain, 0 for the
// chain's policy (the chain's head line is marked).
type RuleRef struct {
	Table, Chain string
	Num          int
}

// markSign starts the line of the marked rule.
const markSign = "▶"

// MarkedLine is the index of the marked rule's line in a picture Render drew with
// Mark, -1 when no line is marked (the rule is not there).
func MarkedLine(picture string) int {
	for i, l := range strings.Split(picture, "\n") {
		if strings.HasPrefix(ansi.Strip(l), markSign) {
			return i
		}
	}
	return -1
}

// marks tells whether Mark names rule num of chain in table.
func (o Options) marks(table, chain string, num int) bool {
	return o.Mark != nil && o.Mark.Table == table && o.Mark.Chain == chain && o.Mark.Num == num
}

var (
	tablePaint = palette.NewPaint(lipgloss.NewStyle().Bold(true).Foreground(palette.Section))
	chainPaint = palette.NewPaint(lipgloss.NewStyle().Bold(true))
	movedPaint = palette.NewPaint(lipgloss.NewStyle().Bold(true).Foreground(palette.Warn))
	markPaint  = palette.NewPaint(lipgloss.NewStyle().Bold(true).Reverse(true))
	oursMark   = palette.NewPaint(lipgloss.NewStyle().Foreground(palette.Own)).Pre + "◆" + "\x1b[m"
	noPaint    = palette.Paint{}
)

// ruleHead is the column header of rule lines; its widths match the rule lines.
var ruleHead = fmt.Sprintf(" %4s %6s %6s  %-9s %s", "#", "pkts", "bytes", "moved", "rule")

// Render draws the snapshot as text: for each table, each chain with its policy and
// counters, then its rules with packets, bytes, rate since Prev and text. The
// workbench's own chains and rules carry a ◆ mark.
func Render(s Snapshot, o Options) string {
	if o.Width <= 0 {
		o.Width = 80
	}
	var d Deltas
	if o.Prev != nil {
		d = Diff(*o.Prev, s)
	}
	var b strings.Builder
	b.Grow(s.RuleCount() * (o.Width / 2))
	if o.Hooks {
		for _, l := range strings.Split(strings.TrimSuffix(HookDiagram(s, o.Prev), "\n"), "\n") {
			line(&b, o, l, noPaint)
		}
		b.WriteByte('\n')
	}
	shown := 0
	for _, t := range s.Tables {
		if o.Table != "" && t.Name != o.Table {
			continue
		}
		if shown > 0 {
			b.WriteByte('\n')
		}
		shown++
		line(&b, o, "━━ table "+t.Name+" "+strings.Repeat("━", max(0, o.Width-10-len(t.Name))), tablePaint)
		for _, c := range t.Chains {
			renderChain(&b, o, t.Name, c, d)
		}
	}
	if shown == 0 {
		if o.Table != "" {
			line(&b, o, "table "+o.Table+" is empty (no rule was ever added to it)", noPaint)
		} else {
			line(&b, o, "no tables (no rule was ever added in this namespace)", noPaint)
		}
	}
	return b.String()
}

func renderChain(b *strings.Builder, o Options, table string, c Chain, d Deltas) {
	mark := " "
	if c.Ours {
		mark = "◆"
	}
	head := mark + " " + c.Name
	if c.Builtin() {
		head += fmt.Sprintf("  policy %s  %s pk  %s B", c.Policy, Human(c.Packets), Human(c.Bytes))
		if x, ok := d.Policies[Key{Table: table, Chain: c.Name}]; ok {
			head += "  +" + Human(x.Packets) + " " + Rate(x.Rate)
		}
	} else {
		head += "  (user chain)"
	}
	if o.marks(table, c.Name, 0) {
		line(b, o, markSign+head[len(mark):], markPaint)
	} else {
		line(b, o, head, chainPaint)
	}
	if len(c.Rules) == 0 {
		return
	}
	line(b, o, ruleHead, noPaint)
	var keys []Key
	if d.chains[[2]string{table, c.Name}] {
		keys = RuleKeys(table, c)
	}
	buf := make([]byte, 0, 256)
	for i, r := range c.Rules {
		var x Delta
		moved := false
		if keys != nil {
			x, moved = d.Rules[keys[i]]
		}
		buf = ruleLine(buf[:0], r, x, moved)
		p := noPaint
		if moved {
			p = movedPaint
		}
		if o.marks(table, c.Name, r.Num) {
			buf = append([]byte(markSign), buf[len(ruleMark(r)):]...)
			p = markPaint
		}
		if len(buf) <= o.Width { // fits: written as is, without a copy
			writeRule(b, o, buf, r.Ours, p)
			continue
		}
		for k, l := range wrapRule(string(buf), r.Ours, o.Width) {
			writeRule(b, o, []byte(l), r.Ours && k == 0, p)
		}
	}
}

// writeRule writes one line of a rule: painted when colour is on, with the ◆ of the
// workbench's own rules in their colour.
func writeRule(b *strings.Builder, o Options, l []byte, ours bool, p palette.Paint) {
	if o.Width < 60 {
		l = []byte(cut(string(l), o.Width))
	}
	switch {
	case o.Color && p != noPaint:
		b.WriteString(p.Pre)
		b.Write(l)
		b.WriteString(p.Post)
	case o.Color && ours && bytes.HasPrefix(l, []byte("◆")):
		b.WriteString(oursMark)
		b.Write(l[len("◆"):])
	default:
		b.Write(l)
	}
	b.WriteByte('\n')
}

// ruleColumn is the column where a rule line's text starts.
const ruleColumn = 31

// wrapRule breaks a rule line that is wider than width into lines whose text goes on
// under the rule column, breaking between words. Below 60 columns it leaves the line
// whole (to be cut).
func wrapRule(l string, ours bool, width int) []string {
	if len(l) <= width || width < 60 || ansi.StringWidth(l) <= width {
		return []string{l}
	}
	headLen := ruleColumn
	if ours {
		headLen += len("◆") - 1
	}
	head, text := l[:headLen], []rune(l[headLen:])
	room := width - ruleColumn
	var out []string
	for len(text) > 0 {
		n := min(room, len(text))
		if n < len(text) {
			if sp := lastSpace(text[:n+1]); sp > 0 {
				n = sp
			}
		}
		out = append(out, head+string(text[:n]))
		head = strings.Repeat(" ", ruleColumn)
		text = text[n:]
		for len(text) > 0 && text[0] == ' ' {
			text = text[1:]
		}
	}
	return out
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i > 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}

// ruleMark is what starts a rule's line: ◆ for the workbench's own.
func ruleMark(r Rule) string {
	if r.Ours {
		return "◆"
	}
	return " "
}

// ruleLine appends the text of one rule line: mark, number, packets, bytes, movement,
// rule text and comment, in the columns of ruleHead.
func ruleLine(buf []byte, r Rule, x Delta, moved bool) []byte {
	buf = append(buf, ruleMark(r)...)
	var tmp [24]byte
	buf = padTo(buf, strconv.AppendInt(tmp[:0], int64(r.Num), 10), 4)
	buf = append(buf, ' ')
	buf = padTo(buf, appendHuman(tmp[:0], r.Packets), 6)
	buf = append(buf, ' ')
	buf = padTo(buf, appendHuman(tmp[:0], r.Bytes), 6)
	buf = append(buf, "  "...)
	n := len(buf)
	if moved {
		buf = append(buf, '+')
		buf = append(buf, Human(x.Packets)...)
		buf = append(buf, ' ')
		buf = append(buf, Rate(x.Rate)...)
	}
	for len(buf) < n+9 {
		buf = append(buf, ' ')
	}
	buf = append(buf, ' ')
	buf = appendWithoutComment(buf, r.Spec)
	if r.Comment != "" {
		buf = append(buf, " /* "...)
		buf = append(buf, r.Comment...)
		buf = append(buf, " */"...)
	}
	return buf
}

// line writes one line cut to the width, painted when colour is on.
func line(b *strings.Builder, o Options, s string, p palette.Paint) {
	s = cut(s, o.Width)
	if o.Color {
		b.WriteString(p.Pre)
		b.WriteString(s)
		b.WriteString(p.Post)
	} else {
		b.WriteString(s)
	}
	b.WriteByte('\n')
}

// padTo appends s right-aligned in n columns.
func padTo(buf, s []byte, n int) []byte {
	for i := len(s); i < n; i++ {
		buf = append(buf, ' ')
	}
	return append(buf, s...)
}

// cut shortens s to width columns, ending it with "…" when something was cut.
func cut(s string, width int) string {
	if len(s) <= width {
		return s // ASCII fast path; wider runes only make the byte length larger
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// appendWithoutComment appends a rule's text without its "-m comment --comment X"; the
// renderer shows the comment apart, as `iptables -L` does.
func appendWithoutComment(buf []byte, spec string) []byte {
	const match = "-m comment --comment "
	i := strings.Index(spec, match)
	if i < 0 {
		return append(buf, spec...)
	}
	_, j := nextToken(spec, i+len(match))
	start := len(buf)
	buf = append(buf, strings.TrimRight(spec[:i], " ")...)
	if rest := strings.TrimLeft(spec[j:], " "); rest != "" {
		if len(buf) > start {
			buf = append(buf, ' ')
		}
		buf = append(buf, rest...)
	}
	return buf
}
