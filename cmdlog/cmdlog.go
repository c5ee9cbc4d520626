// Package cmdlog records every kernel operation the engine makes as the shell command a
// person would type to do the same, so that a lab can be followed, replayed and exported.
package cmdlog

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Entry is one recorded operation.
type Entry struct {
	// Time is when the operation was made.
	Time time.Time
	// Command is the equivalent shell command line.
	Command string
}

// Log appends entries to a file shared by every workbench process of an instance.
// A nil *Log records nothing and reads as empty, so callers never need to check.
type Log struct {
	path string
	mu   sync.Mutex
	// f is the file, opened on the first entry and kept open (an O_APPEND write is
	// whole, whoever else writes): a command records dozens of entries.
	f *os.File
}

// Open returns the log kept in the file at path; the file is made on first use.
func Open(path string) *Log { return &Log{path: path} }

// Path is the file behind the log; "" for a nil log.
func (l *Log) Path() string {
	if l == nil {
		return ""
	}
	return l.path
}

// Add records one command line. Failing to record never fails the operation: the log
// is a view of what happened, not part of it.
func (l *Log) Add(command string) { l.AddLines(command) }

// AddLines records several command lines at once, in order, with one write.
func (l *Log) AddLines(commands ...string) {
	if l == nil || len(commands) == 0 {
		return
	}
	var b strings.Builder
	now := time.Now().Format(time.RFC3339Nano)
	for _, c := range commands {
		fmt.Fprintf(&b, "%s\t%s\n", now, strings.ReplaceAll(c, "\n", " "))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		if err := os.MkdirAll(filepath.Dir(l.path), 0o711); err != nil {
			return
		}
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
		if err != nil {
			return
		}
		l.f = f
	}
	_, _ = l.f.WriteString(b.String())
}

// Close closes the file; the next entry opens it again (after a reset removed it, a
// new one).
func (l *Log) Close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// Addf records a command line built with fmt.Sprintf.
func (l *Log) Addf(format string, args ...any) { l.Add(fmt.Sprintf(format, args...)) }

// AddArgs records a command given as its arguments, quoting each as a shell would need.
func (l *Log) AddArgs(args ...string) { l.Add(Quote(args...)) }

// Entries reads every recorded entry, oldest first. A missing file and a nil log are
// empty logs.
func (l *Log) Entries() ([]Entry, error) {
	if l == nil {
		return nil, nil
	}
	f, err := os.Open(l.path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read command log: %w", err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		ts, cmd, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			continue
		}
		out = append(out, Entry{Time: t, Command: cmd})
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read command log: %w", err)
	}
	return out, nil
}

// Quote joins args into one shell command line, quoting any argument that needs it.
func Quote(args ...string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = quoteOne(a)
	}
	return strings.Join(parts, " ")
}

func quoteOne(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@%^", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
