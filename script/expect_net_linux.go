package script

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"time"

	"workbench/nsutil"
)

// pingCheck is `expect ping|no-ping PLACE ADDR`: busybox ping, run in the place's
// network namespace, sends echo requests until one is answered or the tries run out.
type pingCheck struct {
	from     Place
	addr     netip.Addr
	wantFail bool
}

// Verify pings the address from the place.
func (c *pingCheck) Verify(ctx context.Context, env *Env) Verdict {
	path, err := env.Lab.NetnsPath(ctx, c.from)
	if err != nil {
		return Verdict{Detail: err.Error()}
	}
	// An expected answer gets three tries of one second each: the first echo may be
	// lost while a fresh link or bridge port comes up. No answer needs one try only.
	tries := 3
	if c.wantFail {
		tries = 1
	}
	var out []byte
	answered := false
	for i := 0; i < tries && !answered && ctx.Err() == nil; i++ {
		cmd := exec.CommandContext(ctx, "busybox", pingCommand(c.addr), "-c", "1", "-W", "1", c.addr.String())
		out, err = nsutil.Output(path, cmd)
		answered = err == nil
	}
	v := Verdict{Pass: answered != c.wantFail}
	if !v.Pass {
		v.Output = string(out)
	}
	if answered {
		v.Detail = fmt.Sprintf("%s answered %s", c.addr, c.from)
	} else {
		v.Detail = fmt.Sprintf("no answer from %s to %s", c.addr, c.from)
	}
	return v
}

// pingCommand is the busybox applet that pings addr.
func pingCommand(addr netip.Addr) string {
	if addr.Is6() {
		return "ping6"
	}
	return "ping"
}

// tcpCheck is `expect tcp|no-tcp PLACE ADDR:PORT`: a TCP connection opened from the
// place's network namespace. A connection that is expected is tried again for a few
// seconds, so a server that is still starting gets its time.
type tcpCheck struct {
	from     Place
	addr     netip.AddrPort
	wantFail bool
}

// tcpPatience is how long an expected connection is tried again.
const tcpPatience = 3 * time.Second

// Verify connects to the address from the place.
func (c *tcpCheck) Verify(ctx context.Context, env *Env) Verdict {
	path, err := env.Lab.NetnsPath(ctx, c.from)
	if err != nil {
		return Verdict{Detail: err.Error()}
	}
	deadline := time.Now().Add(tcpPatience)
	var connErr error
	for {
		if err := nsutil.Do(path, func() error { connErr = dialOnce(ctx, c.addr); return nil }); err != nil {
			return Verdict{Detail: err.Error()}
		}
		if connErr == nil || c.wantFail || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	v := Verdict{Pass: (connErr == nil) != c.wantFail}
	if connErr == nil {
		v.Detail = fmt.Sprintf("%s accepted a connection from %s", c.addr, c.from)
	} else {
		v.Detail = fmt.Sprintf("%s refused or did not answer %s: %s", c.addr, c.from, lastPart(connErr.Error()))
	}
	return v
}

// dialOnce opens and closes one TCP connection from the calling thread's namespace.
func dialOnce(ctx context.Context, addr netip.AddrPort) error {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr.String())
	if err == nil {
		conn.Close()
	}
	return err
}

// lastPart keeps the end of a wrapped network error, the part that says what happened.
func lastPart(msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
