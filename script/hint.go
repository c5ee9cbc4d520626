package script

import (
	"fmt"
	"strings"
)

// A hint is written on a `hint TEXT` line right after the expectation or command it
// belongs to; it is shown only when that step fails, and says what to suspect and how
// to look at it. Like narration, its text is kept as written: no words are split and no
// $(...) is run.

// cutHint returns the text of a `hint` line and true, or false for any other line.
func cutHint(line string) (text string, col int, ok bool) {
	trimmed := strings.TrimLeft(line, " \t")
	rest, found := strings.CutPrefix(trimmed, "hint")
	if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return "", 0, false
	}
	return strings.TrimSpace(rest), len(line) - len(trimmed) + 1, true
}

// attachHint gives the script's last step the text of the hint line at col.
func (s *Script) attachHint(text string, col int) *ParseError {
	if text == "" {
		return &ParseError{Col: col, Msg: "hint needs the text to show when the step above it fails, e.g. `hint host1 forwards only with net.ipv4.ip_forward=1`"}
	}
	if len(s.Steps) == 0 {
		return &ParseError{Col: col, Msg: "a hint goes right after the expectation or command it explains"}
	}
	last := &s.Steps[len(s.Steps)-1]
	switch {
	case last.Kind != Expect && last.Kind != Command:
		return &ParseError{Col: col, Msg: fmt.Sprintf("a hint explains an expectation or a command, and line %d is neither: move the hint right after the step it explains", last.Line)}
	case last.Hint != "":
		return &ParseError{Col: col, Msg: fmt.Sprintf("the step on line %d has a hint already: say it all on one hint line", last.Line)}
	}
	last.Hint = text
	return nil
}
