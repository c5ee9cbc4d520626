package cmdline

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := map[string][]string{
		`run -d --name web busybox httpd -f -p 80`: {"run", "-d", "--name", "web", "busybox", "httpd", "-f", "-p", "80"},
		`  ps   -a `:                          {"ps", "-a"},
		`run busybox sh -c 'echo "hi there"'`: {"run", "busybox", "sh", "-c", `echo "hi there"`},
		`exec web sh -c "a \"b\" \\ c"`:       {"exec", "web", "sh", "-c", `a "b" \ c`},
		`echo a\ b ''`:                        {"echo", "a b", ""},
		``:                                    nil,
	}
	for line, want := range cases {
		got, err := Split(line)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %q, %v; want %q", line, got, err, want)
		}
	}
	for _, bad := range []string{`run 'open`, `run "open`, `run trailing\`} {
		if _, err := Split(bad); err == nil || !strings.Contains(err.Error(), "press enter again") {
			t.Errorf("Split(%q) gave %v, want an error saying what to do", bad, err)
		}
	}
}

// FuzzSplit checks that no line makes Split panic, and that words without quotes,
// backslashes or blanks come back as they went in.
func FuzzSplit(f *testing.F) {
	for _, seed := range []string{"run -d busybox", `sh -c 'a b'`, `"x\"y"`, `a\`, "'", "\t\n", "é ü"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		if !strings.ContainsAny(line, "'\"\\") {
			want := strings.FieldsFunc(line, func(r rune) bool { return r < 128 && isBlank(byte(r)) })
			if len(want) > 0 && !reflect.DeepEqual(words, want) {
				t.Errorf("Split(%q) = %q, want %q", line, words, want)
			}
		}
	})
}
