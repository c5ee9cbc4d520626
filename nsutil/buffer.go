package nsutil

import "strings"

// stderrLimit is how much of a command's standard error a message keeps.
const stderrLimit = 4096

// limitedBuffer keeps the first max bytes written to it and drops the rest, so that a
// command flooding its standard error costs no more memory than a message needs.
type limitedBuffer struct {
	max int
	b   []byte
}

// Write keeps what still fits and reports all of p as written, so the command is never
// stopped by a short write.
func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// String returns what was kept without surrounding white space, for a one-line message.
func (l *limitedBuffer) String() string { return strings.TrimSpace(string(l.b)) }
