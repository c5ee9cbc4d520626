package core

import "workbench/events"

// event records something that happened to a container, with Docker's attributes
// (its name and image, and extra ones such as exitCode).
func (e *Engine) event(action string, c Container, extra ...string) {
	attrs := map[string]string{"name": c.Name, "image": c.Image}
	for k, v := range c.Labels {
		attrs[k] = v
	}
	for i := 0; i+1 < len(extra); i += 2 {
		attrs[extra[i]] = extra[i+1]
	}
	events.Record(e.inst.EventsPath(), "container", action, c.ID, attrs)
}

// volumeEvent records something that happened to a volume.
func (e *Engine) volumeEvent(action, name string) {
	events.Record(e.inst.EventsPath(), "volume", action, name, map[string]string{"driver": "local"})
}

// networkEvent records a container's connection to a network, or its end.
func (e *Engine) networkEvent(action, network string, c Container) {
	events.Record(e.inst.EventsPath(), "network", action, network, map[string]string{"name": network, "container": c.ID})
}
