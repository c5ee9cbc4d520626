package cmdline

import (
	"errors"
	"strings"
)

// Split cuts a command line into words as a POSIX shell does for plain words, single
// and double quotes and backslashes (no variables, no globbing).
func Split(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("the command line has an unclosed quote: close it and press enter again")
	}
	if escaped {
		return nil, errors.New("the command line ends with a lone backslash: remove it and press enter again")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
