// Package lex cuts a line of the command language into words, the same way for a shell
// line, a script line, the app's `:` line and its dialogs: POSIX quoting, backslashes,
// and $(...) command substitutions, which only scripts run.
package lex

import (
	"errors"
	"fmt"
	"strings"
)

// Word is one shell word of a script line and the column (1-based, in bytes) where it
// starts, so that an error about it can point at it.
type Word struct {
	// Text is the word with its quotes and escapes removed.
	Text string
	// Col is the column of the word's first character on its line.
	Col int
	// Subs are the $(...) command substitutions of the word, in order.
	Subs []Subst
}

// Subst is a $(COMMAND) inside a word: when the step runs, the workbench command line
// runs first and what it prints, without its trailing newlines, takes its place.
type Subst struct {
	// At is the byte offset in the word's Text where the output goes.
	At int
	// Args is the command line inside the parentheses.
	Args []string
}

// SplitError is a line that cannot be split into words; Col points at the cause.
type SplitError struct {
	// Col is the column of the unterminated quote or trailing backslash.
	Col int
	// Msg says what is wrong and how to write it instead.
	Msg string
}

// Error is the message with its column.
func (e *SplitError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Split cuts a line into words the way a POSIX shell does for a simple command:
// blanks separate words, 'single quotes' keep everything literally, "double quotes"
// keep blanks and let a backslash escape \ " $ and `, and a backslash outside quotes
// escapes the next character. $(COMMAND) outside single quotes is a command
// substitution, kept in Word.Subs; nothing else is expanded: no variables, globs or pipes.
func Split(line string) ([]Word, error) {
	var words []Word
	var cur strings.Builder
	var subs []Subst
	inWord := false
	start := 0
	begin := func(i int) {
		if !inWord {
			inWord, start = true, i
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, Word{Text: cur.String(), Col: start + 1, Subs: subs})
				cur.Reset()
				subs, inWord = nil, false
			}
		case c == '\\':
			begin(i)
			if i+1 >= len(line) {
				return nil, &SplitError{Col: i + 1, Msg: "a backslash ends the line: escape a character after it or write \\\\"}
			}
			i++
			cur.WriteByte(line[i])
		case c == '\'':
			begin(i)
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, &SplitError{Col: i + 1, Msg: "this single quote is never closed: add a closing '"}
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case c == '$' && i+1 < len(line) && line[i+1] == '(':
			begin(i)
			sub, end, err := substitution(line, i)
			if err != nil {
				return nil, err
			}
			sub.At = cur.Len()
			subs = append(subs, sub)
			i = end
		case c == '"':
			begin(i)
			j, err := doubleQuoted(line, i, &cur, &subs)
			if err != nil {
				return nil, err
			}
			i = j
		default:
			begin(i)
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, Word{Text: cur.String(), Col: start + 1, Subs: subs})
	}
	return words, nil
}

// doubleQuoted copies the double-quoted string opening at line[open] into cur and
// returns the index of its closing quote.
func doubleQuoted(line string, open int, cur *strings.Builder, subs *[]Subst) (int, error) {
	for i := open + 1; i < len(line); i++ {
		switch c := line[i]; c {
		case '"':
			return i, nil
		case '$':
			if i+1 < len(line) && line[i+1] == '(' {
				sub, end, err := substitution(line, i)
				if err != nil {
					return 0, err
				}
				sub.At = cur.Len()
				*subs = append(*subs, sub)
				i = end
			} else {
				cur.WriteByte(c)
			}
		case '\\':
			if i+1 < len(line) && strings.IndexByte("\\\"$`", line[i+1]) >= 0 {
				i++
				cur.WriteByte(line[i])
			} else {
				cur.WriteByte(c)
			}
		default:
			cur.WriteByte(c)
		}
	}
	return 0, &SplitError{Col: open + 1, Msg: `this double quote is never closed: add a closing "`}
}

// substitution reads the $(COMMAND) starting at line[dollar] and returns it with the
// index of its closing parenthesis. Quotes inside are honoured; substitutions do not nest.
func substitution(line string, dollar int) (Subst, int, error) {
	open := dollar + 1
	end := -1
	var quote byte
	for i := open + 1; i < len(line) && end < 0; i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == '(':
			return Subst{}, 0, &SplitError{Col: i + 1, Msg: "$( ... ) cannot hold parentheses or another $( ... ): keep the inner command simple"}
		case c == ')':
			end = i
		}
	}
	if end < 0 {
		return Subst{}, 0, &SplitError{Col: dollar + 1, Msg: "this $( is never closed: add a closing )"}
	}
	inner, err := Split(line[open+1 : end])
	if err != nil {
		var se *SplitError
		if errors.As(err, &se) {
			se.Col += open + 1
		}
		return Subst{}, 0, err
	}
	if len(inner) == 0 {
		return Subst{}, 0, &SplitError{Col: dollar + 1, Msg: "$() is empty: put a workbench command inside, e.g. $(inspect -f '{{.State.Pid}}' web)"}
	}
	return Subst{Args: Texts(inner)}, end, nil
}

// Texts are the words' texts.
func Texts(words []Word) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.Text
	}
	return out
}

// Args cuts a line that runs at once (the app's `:` line, a dialog's command) into its
// words. A $(...) is refused: only a script runs substitutions, step by step.
func Args(line string) ([]string, error) {
	words, err := Split(line)
	if err != nil {
		return nil, err
	}
	for _, w := range words {
		if len(w.Subs) > 0 {
			return nil, &SplitError{Col: w.Col, Msg: "$( ... ) runs only in a script: run the inner command first, then type its output"}
		}
	}
	return Texts(words), nil
}
