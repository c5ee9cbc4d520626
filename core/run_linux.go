package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	"workbench/instance"
)

// SuperviseArg is the hidden command the binary is re-executed with to supervise a
// detached container.
const SuperviseArg = "internal-supervise"

// Run makes a container and starts it with this process as its supervisor, attached to
// stdio; Wait on the result for its end. It holds the lock while making it.
func (e *Engine) Run(ctx context.Context, spec RunSpec, stdio Stdio) (*Running, error) {
	unlock, err := e.inst.Lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	// A user namespace's init cannot join a namespace of the machine's: make the
	// network first so it is made in it. Otherwise make it while the init boots.
	c, err := e.create(ctx, spec, spec.Userns)
	if err != nil {
		return nil, err
	}
	net := &spec.Net
	if spec.Userns {
		net = nil
	}
	r, err := e.start(ctx, &c, stdio, net)
	if err != nil {
		return nil, errors.Join(err, e.destroy(ctx, &c))
	}
	return r, nil
}

// RunDetached makes a container and starts it under a supervisor process of its own
// (a re-execution of this binary in a new session) that outlives the caller, records
// the container's output and exit status, and removes it at the end with --rm.
func (e *Engine) RunDetached(ctx context.Context, spec RunSpec) (Container, error) {
	unlock, err := e.inst.Lock()
	if err != nil {
		return Container{}, err
	}
	defer unlock()
	c, err := e.create(ctx, spec, true)
	if err != nil {
		return c, err
	}
	if err := e.spawnSupervisor(c); err != nil {
		return c, errors.Join(err, e.destroy(ctx, &c))
	}
	return e.load(c.ID)
}

// spawnSupervisor starts the supervisor of a created container and waits until it
// says the container runs, or why it does not.
func (e *Engine) spawnSupervisor(c Container) error {
	repR, repW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer repR.Close()
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"workbench", SuperviseArg, c.ID, "instance=" + e.inst.Name},
		Env: append(os.Environ(), instance.EnvName+"="+e.inst.Name), ExtraFiles: []*os.File{repW},
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}}
	err = cmd.Start()
	repW.Close()
	if err != nil {
		return fmt.Errorf("start the supervisor of %s: %w", c.Name, err)
	}
	go func() { _ = cmd.Wait() }() // reap it if this process lives longer
	msg, err := io.ReadAll(repR)
	if err != nil {
		return fmt.Errorf("read the supervisor's answer: %w", err)
	}
	if len(msg) > 0 {
		return errors.New(string(msg))
	}
	st, err := e.load(c.ID)
	if err != nil || st.State != StateRunning {
		return fmt.Errorf("the supervisor of %s ended before starting it", c.Name)
	}
	return nil
}

// Supervise is the body of the supervisor process of a detached container: it starts
// the container (the caller that spawned it holds the lock meanwhile), tells it through
// file descriptor 3 (closed without a word on success, an error message otherwise),
// then waits for the container's end and records it. It returns the process's status.
func Supervise(ctx context.Context, inst instance.Instance, id string) int {
	report := os.NewFile(3, "report")
	e := newEngine(inst)
	c, err := e.load(id)
	if err != nil {
		fmt.Fprint(report, err.Error())
		return 1
	}
	r, err := e.start(ctx, &c, Stdio{}, nil)
	if err != nil {
		fmt.Fprint(report, err.Error())
		return 1
	}
	report.Close()
	if _, err := r.Wait(ctx); err != nil {
		return 1
	}
	return 0
}
