package cmdline

import (
	"errors"
	"strings"
)

// Split cuts a command line into words as a POSIX shell does for plain words, single
// and double quotes and backslashes (no variables, no globbing). It works on bytes, so
// any text, valid UTF-8 or not, keeps its bytes.
func Split(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	escaped := false
	for i := 0; i < len(line); i++ {
		r := line[i]
		switch {
		case escaped:
			cur.WriteByte(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteByte(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteByte(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case isBlank(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(r)
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

// isBlank tells the bytes that separate words.
func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
