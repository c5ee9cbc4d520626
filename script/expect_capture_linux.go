package script

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"workbench/netviz/capture"
)

// tap is one interface watched by a capture expectation.
type tap struct {
	place  Place
	iface  string
	filter string
	// ifaceLine fills in iface when the step runs, for an interface name written as
	// $(...) (a container's host-side veth); nil otherwise.
	ifaceLine *CommandLine
}

// resolve returns the tap with its interface name filled in.
func (t tap) resolve(ctx context.Context, env *Env) (tap, error) {
	if t.ifaceLine == nil {
		return t, nil
	}
	words, err := t.ifaceLine.Expand(ctx, env)
	if err != nil {
		return t, err
	}
	t.iface, t.ifaceLine = words[0], nil
	if t.iface == "" {
		return t, fmt.Errorf("the interface of a capture on %s came out empty", t.place)
	}
	return t, nil
}

// String names the tap as the script wrote it.
func (t tap) String() string { return fmt.Sprintf("%s:%s %q", t.place, t.iface, t.filter) }

// captureCheck is `expect capture WHERE:IFACE FILTER [and ...] within DUR while CMD`:
// a capture listens on every interface, the command runs, and each interface must see
// at least one packet matching its filter before the time is up.
type captureCheck struct {
	taps   []tap
	within time.Duration
	args   CommandLine
}

// maxShownPackets bounds the packets a verdict shows per interface.
const maxShownPackets = 12

// sniffer is one running capture and the lines of the packets it has seen so far.
type sniffer struct {
	tap     tap
	mu      sync.Mutex
	packets []string
	done    chan struct{}
}

func (s *sniffer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.packets...)
}

// Verify listens on every interface, runs the command and waits for the packets.
func (c *captureCheck) Verify(ctx context.Context, env *Env) Verdict {
	cctx, cancel := context.WithCancel(ctx)
	var sniffers []*sniffer
	defer func() {
		cancel()
		for _, s := range sniffers {
			<-s.done
		}
	}()
	for _, t := range c.taps {
		t, err := t.resolve(ctx, env)
		if err != nil {
			return Verdict{Detail: err.Error()}
		}
		s, err := startSniffer(cctx, env, t)
		if err != nil {
			return Verdict{Detail: err.Error()}
		}
		sniffers = append(sniffers, s)
	}
	start := time.Now()
	code, out := runCommand(ctx, env, c.args)
	deadline := start.Add(c.within)
	if grace := time.Now().Add(200 * time.Millisecond); grace.After(deadline) {
		deadline = grace
	}
	for time.Now().Before(deadline) && !allSeen(sniffers) {
		select {
		case <-ctx.Done():
			return Verdict{Detail: ctx.Err().Error()}
		case <-time.After(50 * time.Millisecond):
		}
	}
	// Let packets already on their way (the replies) reach the report.
	time.Sleep(100 * time.Millisecond)
	v := Verdict{Pass: true}
	var b strings.Builder
	var missing []string
	if code != 0 {
		fmt.Fprintf(&b, "the command printed:\n%s", out)
	}
	for _, s := range sniffers {
		pkts := s.seen()
		fmt.Fprintf(&b, "%s: %d packet(s)\n", s.tap, len(pkts))
		for i, p := range pkts {
			if i == maxShownPackets {
				fmt.Fprintf(&b, "  ... %d more\n", len(pkts)-i)
				break
			}
			fmt.Fprintf(&b, "  %s\n", p)
		}
		if len(pkts) == 0 {
			v.Pass = false
			missing = append(missing, s.tap.String())
		}
	}
	v.Output = b.String()
	if v.Pass {
		v.Detail = "every interface saw a matching packet"
	} else {
		v.Detail = fmt.Sprintf("nothing matched within %s on %s", c.within, strings.Join(missing, ", "))
	}
	if code != 0 {
		v.Detail += fmt.Sprintf(" (the command failed with exit status %d)", code)
	}
	return v
}

func allSeen(sniffers []*sniffer) bool {
	for _, s := range sniffers {
		if len(s.seen()) == 0 {
			return false
		}
	}
	return true
}

// startSniffer starts capturing on the tap's interface; the capture listens once it
// returns. It ends with ctx.
func startSniffer(ctx context.Context, env *Env, t tap) (*sniffer, error) {
	path, err := env.Lab.NetnsPath(ctx, t.place)
	if err != nil {
		return nil, err
	}
	c, err := capture.Start(ctx, capture.Config{Netns: path, Where: t.place.String(), Interfaces: []string{t.iface}, Filter: t.filter})
	if err != nil {
		return nil, fmt.Errorf("cannot capture on %s:%s: %w", t.place, t.iface, err)
	}
	s := &sniffer{tap: t, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for p := range c.Packets() {
			s.mu.Lock()
			s.packets = append(s.packets, strings.Clone(p.Line))
			s.mu.Unlock()
		}
	}()
	return s, nil
}
