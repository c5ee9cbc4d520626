package images

import "workbench/events"

// RecordEventsTo makes the store record what it does to images (pull, load, tag,
// untag, delete) as events in the file at path, as Docker's events show them.
func (s *Store) RecordEventsTo(path string) { s.events = path }

// event records something that happened to an image; name is the reference it
// concerns, if any. A store without an events file records nothing.
func (s *Store) event(action, id, name string) {
	if s.events == "" {
		return
	}
	attrs := map[string]string{}
	if name != "" {
		attrs["name"] = name
	}
	events.Record(s.events, "image", action, id, attrs)
}

// loaded records a load event for each image a load added.
func (s *Store) loaded(ls []Loaded, err error) ([]Loaded, error) {
	for _, l := range ls {
		name := ""
		if len(l.Refs) > 0 {
			name = l.Refs[0]
		}
		s.event("load", l.ID, name)
	}
	return ls, err
}
