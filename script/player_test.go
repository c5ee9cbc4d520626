package script

import "testing"

// TestPlaySteps counts the steps of scripts: each ends with a command, an expectation
// or a pause; lines after the last make one more.
func TestPlaySteps(t *testing.T) {
	for src, want := range map[string]int{
		"say Only words.\n":                           1,
		"say A.\nps\npause\nsay B.\nexpect ok ps\n":   3,
		"say A.\nps\nsay B.\nfocus log\n":             2,
		"say A.\npause\npause\nsay B.\nps\nps\n":      4,
		"say A.\nexpect ok ps\nhint look at ps\nps\n": 2,
	} {
		s, err := Parse("t.lab", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.PlaySteps(); got != want {
			t.Errorf("%q: %d steps, want %d", src, got, want)
		}
	}
}
