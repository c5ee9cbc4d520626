// Package errkind names the kinds of failure that callers of the engine branch on: a
// thing that is not found, that is in use, that exists already, or input that is
// invalid. An engine error of such a kind says what is wrong and about what; what to
// do next is for the edge that knows the commands (the CLI) to add.
package errkind

import (
	"errors"
	"fmt"
	"os"
)

// Kind is a kind of failure; errors.Is(err, errkind.NotFound) tells it.
type Kind string

// The kinds of failure.
const (
	// NotFound is a host, network, container or image that is not there.
	NotFound Kind = "not found"
	// InUse is a thing that something else needs, so it cannot go.
	InUse Kind = "in use"
	// Exists is a name that is taken already.
	Exists Kind = "already exists"
	// Invalid is input that cannot be taken as it is.
	Invalid Kind = "invalid"
)

// Error is the kind's name.
func (k Kind) Error() string { return string(k) }

// Error is a failure of one kind about one thing.
type Error struct {
	// Kind is the kind of failure.
	Kind Kind
	// Subject is the kind of thing it is about ("host", "network", "container",
	// "image"), and Name the thing's name as it was given.
	Subject, Name string
	msg           string
}

// New returns a failure of kind about the subject called name, saying what is wrong
// with format and args.
func New(kind Kind, subject, name, format string, args ...any) error {
	return &Error{Kind: kind, Subject: subject, Name: name, msg: fmt.Sprintf(format, args...)}
}

// Error says what is wrong.
func (e *Error) Error() string { return e.msg }

// Is makes errors.Is(err, kind) true for an error of that kind.
func (e *Error) Is(target error) bool { return target == error(e.Kind) }

// Of returns the failure of a known kind in err's chain, if there is one.
func Of(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// PathCause is the system's error that a *os.PathError in err's chain wraps ("no such
// file or directory"), without the operation and the path, for a message that names
// the path itself; err when there is none.
func PathCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
