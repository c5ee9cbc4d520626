package lex

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"workbench/cmdlog"
	"workbench/testutil"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		line string
		want []string
		cols []int
	}{
		{"ps -a", []string{"ps", "-a"}, []int{1, 4}},
		{"  host exec  host1 ip a", []string{"host", "exec", "host1", "ip", "a"}, []int{3, 8, 14, 20, 23}},
		{`say "a b" 'c d'`, []string{"say", "a b", "c d"}, []int{1, 5, 11}},
		{`x "a\"b\\c\d"`, []string{"x", `a"b\c\d`}, nil},
		{`x a\ b ''`, []string{"x", "a b", ""}, nil},
		{`x pre"mid"'post'`, []string{"x", "premidpost"}, nil},
		{"", nil, nil},
		{"   \t ", nil, nil},
	}
	for _, c := range cases {
		words, err := Split(c.line)
		if err != nil {
			t.Errorf("Split(%q): %v", c.line, err)
			continue
		}
		if got := Texts(words); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("Split(%q) = %q, want %q", c.line, got, c.want)
		}
		for i, col := range c.cols {
			if words[i].Col != col {
				t.Errorf("Split(%q) word %d at column %d, want %d", c.line, i, words[i].Col, col)
			}
		}
	}
}

func TestSplitErrors(t *testing.T) {
	cases := []struct {
		line string
		col  int
		msg  string
	}{
		{`echo "abc`, 6, "double quote"},
		{`echo 'abc`, 6, "single quote"},
		{`echo abc\`, 9, "backslash"},
	}
	for _, c := range cases {
		_, err := Split(c.line)
		se, ok := err.(*SplitError)
		if !ok || se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Split(%q) = %v, want column %d about %s", c.line, err, c.col, c.msg)
		}
	}
}

// FuzzSplit checks that Split never panics, that columns point inside the line, and
// that quoting the words back gives the same words.
func FuzzSplit(f *testing.F) {
	testutil.Seed(f, "ps -a", `say "a b" 'c'`, `x a\ b`, `"unterminated`, `'`, `\`, "a\tb", `x "\$\"" y`)
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		for _, w := range words {
			if w.Col < 1 || w.Col > len(line) {
				t.Fatalf("word %q of %q at column %d, outside the line", w.Text, line, w.Col)
			}
		}
		if strings.ContainsAny(line, "\n\r") {
			return
		}
		again, err := Split(cmdlog.Quote(Texts(words)...))
		if err != nil {
			t.Fatalf("quoted words of %q do not split: %v", line, err)
		}
		if !reflect.DeepEqual(Texts(again), Texts(words)) {
			t.Fatalf("round trip of %q: %q became %q", line, Texts(words), Texts(again))
		}
	})
}

func TestSplitSubstitution(t *testing.T) {
	words, err := Split(`host exec host1 ip link set v netns $(inspect -f '{{.State.Pid}}' a) x"/$(echo b)/c"`)
	if err != nil {
		t.Fatal(err)
	}
	w := words[8]
	if w.Text != "" || len(w.Subs) != 1 || w.Subs[0].At != 0 || strings.Join(w.Subs[0].Args, "|") != "inspect|-f|{{.State.Pid}}|a" {
		t.Errorf("substitution word: %+v", w)
	}
	w = words[9]
	if w.Text != "x//c" || len(w.Subs) != 1 || w.Subs[0].At != 2 || w.Subs[0].Args[1] != "b" {
		t.Errorf("substitution inside quotes: %+v", w)
	}
	for line, col := range map[string]int{"a $(b": 3, "a $()": 3, "a $(b (c))": 7, `a $(b "c)`: 3} {
		if _, err := Split(line); err == nil || err.(*SplitError).Col != col {
			t.Errorf("Split(%q) = %v, want an error at column %d", line, err, col)
		}
	}
}

func TestArgsRefusesSubstitutions(t *testing.T) {
	if got, err := Args(`run busybox sh -c "a\b"`); err != nil || !reflect.DeepEqual(got, []string{"run", "busybox", "sh", "-c", `a\b`}) {
		t.Errorf("Args = %q, %v", got, err)
	}
	_, err := Args("exec $(ps -q) sh")
	var se *SplitError
	if !errors.As(err, &se) || se.Col != 6 || !strings.Contains(se.Msg, "only in a script") {
		t.Errorf("Args with a substitution = %v, want an error at column 6", err)
	}
}
