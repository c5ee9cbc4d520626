package core

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

// LogEntry is one record of a container's output: a line (or the rest of a chunk) of
// one stream with the time it was read.
type LogEntry struct {
	// Stream is "stdout" or "stderr".
	Stream string `json:"stream"`
	// Time is when the supervisor read it.
	Time time.Time `json:"time"`
	// Log is the text, newline included when there was one.
	Log string `json:"log"`
}

// logWriter appends the output of a container to its log file, one JSON entry a line
// (Docker's json-file format), for any number of streams at once.
type logWriter struct {
	mu sync.Mutex
	f  *os.File
}

// open opens the log file; streams may be set up before it is, since nothing is
// written to them before the container's command starts.
func (l *logWriter) open(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("open the container log: %w", err)
	}
	l.mu.Lock()
	l.f = f
	l.mu.Unlock()
	return nil
}

// stream returns a writer that records everything written to it as entries of one
// stream, and passes it on to attached (when not nil).
func (l *logWriter) stream(name string, attached io.Writer) io.Writer {
	return streamWriter{l: l, name: name, attached: attached}
}

// Close closes the log file.
func (l *logWriter) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

type streamWriter struct {
	l        *logWriter
	name     string
	attached io.Writer
}

// Write records p as entries of the stream and passes it on to the attached writer.
func (w streamWriter) Write(p []byte) (int, error) {
	now := time.Now().UTC()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for rest := p; len(rest) > 0; {
		n := bytes.IndexByte(rest, '\n') + 1
		if n == 0 {
			n = len(rest)
		}
		_ = enc.Encode(LogEntry{Stream: w.name, Time: now, Log: string(rest[:n])})
		rest = rest[n:]
	}
	var err error
	w.l.mu.Lock()
	if w.l.f != nil {
		_, err = w.l.f.Write(buf.Bytes())
	}
	w.l.mu.Unlock()
	if w.attached != nil {
		// A reader that went away must not stop the recording.
		_, _ = w.attached.Write(p)
	}
	if err != nil {
		return 0, fmt.Errorf("write the container log: %w", err)
	}
	return len(p), nil
}

// LogReader reads a container's log file entry by entry, and can go on from where it
// stopped when the file grows.
type LogReader struct {
	f       *os.File
	r       *bufio.Reader
	partial []byte
}

// OpenLog opens a container's log for reading.
func (e *Engine) OpenLog(id string) (*LogReader, error) {
	f, err := os.Open(e.LogPath(id))
	if err != nil {
		return nil, fmt.Errorf("open the log of %s: %w", id, err)
	}
	return &LogReader{f: f, r: bufio.NewReaderSize(f, 64*1024)}, nil
}

// Next returns the next whole entry, or io.EOF when the file has no more for now.
func (lr *LogReader) Next() (LogEntry, error) {
	for {
		line, err := lr.r.ReadBytes('\n')
		lr.partial = append(lr.partial, line...)
		if err != nil {
			return LogEntry{}, err
		}
		var e LogEntry
		jerr := json.Unmarshal(lr.partial, &e)
		lr.partial = lr.partial[:0]
		if jerr == nil {
			return e, nil
		}
	}
}

// Close closes the file.
func (lr *LogReader) Close() error { return lr.f.Close() }
