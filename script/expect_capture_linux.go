package script

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"workbench/nsutil"
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
// tcpdump listens on every interface, the command runs, and each interface must see
// at least one packet matching its filter before the time is up.
type captureCheck struct {
	taps   []tap
	within time.Duration
	args   CommandLine
}

// maxShownPackets bounds the packets a verdict shows per interface.
const maxShownPackets = 12

// sniffer is one running tcpdump and the packets it has printed so far.
type sniffer struct {
	tap     tap
	cmd     *exec.Cmd
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
	defer cancel()
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

// startSniffer starts tcpdump on the tap's interface and returns once it listens.
func startSniffer(ctx context.Context, env *Env, t tap) (*sniffer, error) {
	path, err := env.Lab.NetnsPath(ctx, t.place)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "tcpdump", "-i", t.iface, "-n", "-l", "--immediate-mode", t.filter)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := nsutil.Start(path, cmd); err != nil {
		return nil, fmt.Errorf("start tcpdump on %s:%s: %w (is tcpdump installed? make deps installs it)", t.place, t.iface, err)
	}
	s := &sniffer{tap: t, cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var said []string
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "listening on") {
				listening <- ""
				break
			}
			said = append(said, strings.TrimPrefix(line, "tcpdump: "))
		}
		listening <- strings.Join(said, "; ")
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.mu.Lock()
			s.packets = append(s.packets, sc.Text())
			s.mu.Unlock()
		}
		_ = cmd.Wait()
		close(s.done)
	}()
	select {
	case msg := <-listening:
		if msg != "" {
			<-s.done
			return nil, fmt.Errorf("cannot capture on %s:%s: %s", t.place, t.iface, msg)
		}
	case <-time.After(5 * time.Second):
		return s, fmt.Errorf("tcpdump on %s:%s did not start listening within 5s", t.place, t.iface)
	}
	return s, nil
}
