package labs

import (
	"regexp"
	"strings"
	"testing"

	"workbench/testutil"
)

// readmeRow is a row of the README's table of article sections: `| [NNN] section |
// `lab` | "the first words of the step's narration" |`.
var readmeRow = regexp.MustCompile("^\\| (\\[\\d{3}\\].*?) \\| `([^`]+)` \\| \"(.+)\" \\|$")

// TestReadmeMapsArticlesToLabSteps: every row of the README's table names a bundled
// lab and a step of it whose narration begins with the quoted words, and every
// article has rows.
func TestReadmeMapsArticlesToLabSteps(t *testing.T) {
	readme := testutil.ReadFile(t, "../README.md")
	articles := map[string]bool{}
	rows := 0
	for _, line := range strings.Split(readme, "\n") {
		if !strings.HasPrefix(line, "| [") {
			continue
		}
		m := readmeRow.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("README: a row of the table of article sections is not | [NNN] section | `lab` | \"step\" |: %s", line)
			continue
		}
		rows++
		for _, a := range regexp.MustCompile(`\[\d{3}\]`).FindAllString(m[1], -1) {
			articles[a] = true
		}
		lab, err := Get(m[2])
		if err != nil || lab.Name != m[2] {
			t.Errorf("README: %q is not the name of a bundled lab", m[2])
			continue
		}
		s, err := lab.Script()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, st := range s.Steps {
			found = found || strings.HasPrefix(st.Text, m[3])
		}
		if !found {
			t.Errorf("README: no narration of %s begins with %q (%s)", m[2], m[3], m[1])
		}
	}
	for _, a := range []string{"[000]", "[001]", "[002]", "[003]", "[004]"} {
		if !articles[a] {
			t.Errorf("README: the table maps no section of article %s", a)
		}
	}
	if rows == 0 {
		t.Error("README: no table of article sections")
	}
}
