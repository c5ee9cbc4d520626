package core

import (
	"context"
	"errors"
)

// RunDetached makes a container and starts it under the instance's monitor; it
// returns once the container's command runs, or why it could not start (the
// container is then removed).
func (e *Engine) RunDetached(ctx context.Context, spec RunSpec) (Container, error) {
	c, _, err := e.run(ctx, spec, nil)
	return c, err
}

// RunAttached makes a container and starts it under the instance's monitor, attached
// to stdio: its output comes here (and goes to its log), stdio.In feeds its input
// with -i. Wait on the result for its end. The container does not depend on this
// process: killed, it leaves the container running.
func (e *Engine) RunAttached(ctx context.Context, spec RunSpec, stdio Stdio) (*Attached, error) {
	_, a, err := e.run(ctx, spec, &stdio)
	return a, err
}

func (e *Engine) run(ctx context.Context, spec RunSpec, stdio *Stdio) (Container, *Attached, error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return Container{}, nil, err
	}
	defer unlock()
	c, err := e.create(ctx, spec)
	if err != nil {
		return c, nil, err
	}
	e.event("create", c)
	a, err := e.start(ctx, &c, stdio)
	if err != nil {
		return c, nil, errors.Join(startError(&c, err), e.destroy(ctx, &c, true))
	}
	return c, a, nil
}
