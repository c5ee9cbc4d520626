package script

import (
	"context"
	"fmt"
	"time"
)

// cpuCheck is `expect cpu CONTAINER below|above N% for DUR`: the container's CPU use,
// averaged over the window, in percent of one CPU.
type cpuCheck struct {
	container string
	above     bool
	percent   float64
	window    time.Duration
}

// Verify measures the container's CPU use over the window.
func (c *cpuCheck) Verify(ctx context.Context, env *Env) Verdict {
	clock, err := env.Lab.CPUClock(ctx, c.container)
	if err != nil {
		return Verdict{Detail: err.Error()}
	}
	before, err := clock()
	if err != nil {
		return Verdict{Detail: err.Error()}
	}
	start := time.Now()
	select {
	case <-ctx.Done():
		return Verdict{Detail: ctx.Err().Error()}
	case <-time.After(c.window):
	}
	after, err := clock()
	if err != nil {
		return Verdict{Detail: err.Error()}
	}
	used := 100 * float64(after-before) / float64(time.Since(start))
	pass := used < c.percent
	word := "below"
	if c.above {
		pass, word = used > c.percent, "above"
	}
	return Verdict{Pass: pass, Detail: fmt.Sprintf("%s used %.1f%% of a CPU over %s (expected %s %g%%)", c.container, used, c.window, word, c.percent)}
}
