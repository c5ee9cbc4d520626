package filter

import (
	"fmt"
	"strings"
)

// token is one word or symbol of a filter expression with the column it starts at.
type token struct {
	text string
	col  int // 1-based byte column in the expression
}

// eofText stands for the end of the expression in error messages.
const eofText = ""

// lex splits an expression into words ("host", "10.0.0.0/8", "aa:bb:cc:dd:ee:ff") and
// the symbols ( ) [ ] ! && || & and the comparisons = == != < > <= >=.
func lex(expr string) ([]token, error) {
	var toks []token
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']':
			toks = append(toks, token{string(c), i + 1})
			i++
		case strings.HasPrefix(expr[i:], "!="), strings.HasPrefix(expr[i:], "<="), strings.HasPrefix(expr[i:], ">="):
			toks = append(toks, token{expr[i : i+2], i + 1})
			i += 2
		case strings.HasPrefix(expr[i:], "=="):
			toks = append(toks, token{"=", i + 1})
			i += 2
		case c == '=' || c == '<' || c == '>':
			toks = append(toks, token{string(c), i + 1})
			i++
		case c == '!':
			toks = append(toks, token{"not", i + 1})
			i++
		case strings.HasPrefix(expr[i:], "&&"):
			toks = append(toks, token{"and", i + 1})
			i += 2
		case strings.HasPrefix(expr[i:], "||"):
			toks = append(toks, token{"or", i + 1})
			i += 2
		case c == '&':
			toks = append(toks, token{"&", i + 1})
			i++
		case isWordByte(c):
			start := i
			for i < len(expr) && isWordByte(expr[i]) {
				i++
			}
			toks = append(toks, token{strings.ToLower(expr[start:i]), start + 1})
		default:
			return nil, &Error{Col: i + 1, Msg: fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == ':' || c == '/' || c == '-' || c == '_'
}

// Error is a filter that does not parse: where it went wrong and what was expected.
type Error struct {
	Col int    // 1-based column of the offending word
	Msg string // what was wrong and what was expected
}

// Error is the message: "filter: column 12: expected ..., found ...".
func (e *Error) Error() string {
	return fmt.Sprintf("filter: column %d: %s", e.Col, e.Msg)
}
