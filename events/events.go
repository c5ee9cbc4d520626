// Package events records what happens to an instance's containers, networks, images
// and volumes, one JSON line an event in a file of the instance, and reads them back
// as Docker's events stream shows them.
package events

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Event is one thing that happened, in Docker's shape.
type Event struct {
	// Type is container, network, image or volume.
	Type string
	// Action is what happened: create, start, die, destroy, pause, ...
	Action string
	// Actor is what it happened to.
	Actor Actor
	// Time is when, TimeNano the same in nanoseconds.
	Time     int64 `json:"time"`
	TimeNano int64 `json:"timeNano"`
}

// Actor is the object of an event: its ID and attributes (name, image, exitCode...).
type Actor struct {
	ID         string
	Attributes map[string]string `json:",omitempty"`
}

// Record appends an event to the file at path; failing to record never fails the
// operation that happened.
func Record(path, typ, action, id string, attrs map[string]string) {
	now := time.Now()
	b, err := json.Marshal(Event{Type: typ, Action: action, Actor: Actor{ID: id, Attributes: attrs}, Time: now.Unix(), TimeNano: now.UnixNano()})
	if err != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.Write(append(b, '\n'))
}

// String is the event as `docker events` prints it: time, type, action, ID and the
// attributes in order.
func (e Event) String() string {
	keys := make([]string, 0, len(e.Actor.Attributes))
	for k := range e.Actor.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	attrs := make([]string, len(keys))
	for i, k := range keys {
		attrs[i] = k + "=" + e.Actor.Attributes[k]
	}
	s := time.Unix(0, e.TimeNano).UTC().Format("2006-01-02T15:04:05.000000000Z07:00") + " " + e.Type + " " + e.Action + " " + e.Actor.ID
	if len(attrs) > 0 {
		s += " (" + strings.Join(attrs, ", ") + ")"
	}
	return s
}

// Filter keeps the events a `--filter KEY=VALUE` list asks for: type, event
// (action), container, image, network, volume and label; values of one key are
// alternatives, keys must all match.
type Filter map[string][]string

// ParseFilter reads KEY=VALUE filters.
func ParseFilter(args []string) (Filter, error) {
	f := Filter{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		switch {
		case !ok || v == "":
			return nil, fmt.Errorf("--filter %q is not KEY=VALUE: e.g. --filter type=container", a)
		case k == "type", k == "event", k == "container", k == "image", k == "network", k == "volume", k == "label":
			f[k] = append(f[k], v)
		default:
			return nil, fmt.Errorf("--filter %q: unknown key %q: use type, event, container, image, network, volume or label", a, k)
		}
	}
	return f, nil
}

// Match says whether an event passes every filter.
func (f Filter) Match(e Event) bool {
	for k, vs := range f {
		ok := false
		for _, v := range vs {
			switch k {
			case "type":
				ok = e.Type == v
			case "event":
				ok = e.Action == v
			case "label":
				lk, lv, hasValue := strings.Cut(v, "=")
				got, has := e.Actor.Attributes[lk]
				ok = has && (!hasValue || got == lv)
			default: // container, image, network, volume: by ID (prefix) or name
				ok = (e.Type == k || k == "image" && e.Actor.Attributes["image"] == v) &&
					(strings.HasPrefix(e.Actor.ID, v) || e.Actor.Attributes["name"] == v)
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Stream reads the events of the file at path from since on, those that match f,
// and passes each to emit; it follows the file for new ones until until (when not
// zero) or until ctx ends.
func Stream(ctx context.Context, path string, since, until time.Time, f Filter, emit func(Event) error) error {
	file, err := os.Open(path)
	if os.IsNotExist(err) {
		file = nil
	} else if err != nil {
		return fmt.Errorf("read the events: %w", err)
	}
	var r *bufio.Reader
	if file != nil {
		defer file.Close()
		r = bufio.NewReader(file)
	}
	var partial []byte
	for {
		if r == nil {
			if file, err = os.Open(path); err == nil {
				defer file.Close()
				r = bufio.NewReader(file)
			}
		}
		for r != nil {
			line, err := r.ReadBytes('\n')
			partial = append(partial, line...)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			var e Event
			if json.Unmarshal(partial, &e) == nil {
				t := time.Unix(0, e.TimeNano)
				if !t.Before(since) && (until.IsZero() || !t.After(until)) && f.Match(e) {
					if err := emit(e); err != nil {
						return err
					}
				}
			}
			partial = partial[:0]
		}
		if !until.IsZero() && time.Now().After(until) {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(100 * time.Millisecond):
		}
	}
}
