// Package script reads and runs workbench lab scripts: each line is a CLI command as a
// person would type it, narration, a pause point for demos, or an expectation that
// checks the lab (a command's status or output, a ping, a TCP port, packets seen on an
// interface, an iptables counter, a container's CPU use).
package script

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"workbench/cli/lex"
)

// Kind says what a step of a script does.
type Kind int

const (
	// Command runs a CLI command line; a failing command stops the script.
	Command Kind = iota
	// Say shows narration.
	Say
	// Pause marks a point where a demo waits for a key; headless runs go on.
	Pause
	// Sleep waits for a while (a server starting, a counter settling).
	Sleep
	// Focus names the pane of the app that the next steps are about.
	Focus
	// Expect checks the lab and records a verdict; a failed check does not stop the script.
	Expect
)

// Step is one line of a script.
type Step struct {
	// Line is the 1-based line number in the script file.
	Line int
	// Kind says what the step does.
	Kind Kind
	// Source is the line as written, without its indentation.
	Source string
	// Text is the narration of Say or the pane name of Focus.
	Text string
	// Command is the command line of a Command step.
	Command CommandLine
	// Duration is the wait of Sleep.
	Duration time.Duration
	// Check is the expectation of Expect.
	Check Check
	// Hint is shown when an Expect or Command step fails: what to suspect and how to
	// look at it. It comes from a `hint` line right after the step.
	Hint string
}

// Script is a parsed script.
type Script struct {
	// Name is the file name the script was read from, used in messages.
	Name string
	// Title is the narration of the first `say` line, a one-line summary of the lab.
	Title string
	// Steps are the script's lines that do something, in order.
	Steps []Step
}

// ParseError is a script line that cannot be understood; it names the place.
type ParseError struct {
	// File, Line and Col locate the error (1-based); Col is 0 when the error is about
	// the whole line.
	File      string
	Line, Col int
	// Msg says what is wrong and what to write instead.
	Msg string
}

// Error is the message with its place: file:line:column: what is wrong, or
// file:line: what is wrong for a whole line.
func (e *ParseError) Error() string {
	if e.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// MaxLineLen is the longest script line read, in bytes.
const MaxLineLen = 64 << 10

// Panes are the names a `focus` line may use.
var Panes = []string{"topology", "iptables", "capture", "cgroups", "log", "containers"}

// Parse reads a whole script. It either returns every step or the errors of every bad
// line (joined, each naming file:line:column), so that nothing runs from a script
// with a mistake in it.
func Parse(name string, src []byte) (*Script, error) {
	s := &Script{Name: name}
	var errs []error
	line := 0
	// afterBad is true while the last line that was not blank or a comment had an
	// error: a hint after it belongs to a step that is not there.
	afterBad := false
	for raw := range bytes.Lines(src) {
		line++
		raw = bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte("\n")), []byte("\r"))
		if len(raw) > MaxLineLen {
			errs = append(errs, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("the line is longer than %d KiB: split it", MaxLineLen>>10)})
			afterBad = true
			continue
		}
		if text, col, ok := cutHint(string(raw)); ok {
			if afterBad {
				continue
			}
			if pe := s.attachHint(text, col); pe != nil {
				pe.File, pe.Line = name, line
				errs = append(errs, pe)
			}
			continue
		}
		step, err := parseLine(string(raw))
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.File, pe.Line = name, line
			}
			errs = append(errs, err)
			afterBad = true
			continue
		}
		if step == nil {
			continue
		}
		afterBad = false
		step.Line = line
		if step.Kind == Say && s.Title == "" {
			s.Title = step.Text
		}
		s.Steps = append(s.Steps, *step)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// parseLine turns one line into a step, or nil for a blank or comment line.
func parseLine(text string) (*Step, error) {
	trimmed := strings.TrimLeft(text, " \t")
	indent := len(text) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " \t\r")
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return nil, nil
	}
	step := &Step{Source: trimmed}
	if keyword, rest, _ := strings.Cut(trimmed, " "); keyword == "say" {
		step.Kind, step.Text = Say, strings.TrimSpace(rest)
		return step, nil
	}
	words, err := lex.Split(text)
	if err != nil {
		var se *lex.SplitError
		if errors.As(err, &se) {
			return nil, &ParseError{Col: se.Col, Msg: se.Msg}
		}
		return nil, err
	}
	switch words[0].Text {
	case "pause":
		if len(words) > 1 {
			return nil, &ParseError{Col: words[1].Col, Msg: "pause takes nothing after it: write the narration on a `say` line before it"}
		}
		step.Kind = Pause
	case "sleep":
		if len(words) != 2 {
			return nil, &ParseError{Col: indent + 1, Msg: "sleep needs one duration, e.g. `sleep 500ms` or `sleep 2s`"}
		}
		d, err := parseDuration(words[1])
		if err != nil {
			return nil, err
		}
		step.Kind, step.Duration = Sleep, d
	case "focus":
		if len(words) != 2 || !isPane(words[1].Text) {
			return nil, &ParseError{Col: indent + 1, Msg: "focus needs one pane name: " + strings.Join(Panes, ", ")}
		}
		step.Kind, step.Text = Focus, words[1].Text
	case "expect":
		check, err := parseExpect(words[1:], indent+1)
		if err != nil {
			return nil, err
		}
		step.Kind, step.Check = Expect, check
	default:
		step.Kind, step.Command = Command, newCommandLine(words)
	}
	return step, nil
}

func isPane(name string) bool {
	for _, p := range Panes {
		if p == name {
			return true
		}
	}
	return false
}

// parseDuration reads a Go duration such as 300ms or 3s, between 1ms and 10 minutes.
func parseDuration(w lex.Word) (time.Duration, error) {
	d, err := time.ParseDuration(w.Text)
	if err != nil || d < time.Millisecond || d > 10*time.Minute {
		return 0, &ParseError{Col: w.Col, Msg: fmt.Sprintf("%q is not a duration between 1ms and 10m: write e.g. 500ms or 3s", w.Text)}
	}
	return d, nil
}
