package core

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ParseSignal reads a signal as `kill -s` takes it: a name with or without "SIG"
// (TERM, SIGKILL, hup), or a number from 1 to 64.
func ParseSignal(s string) (unix.Signal, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return 0, fmt.Errorf("signal is empty: give a name or number, e.g. -s TERM or -s 9")
	}
	if n, err := strconv.Atoi(t); err == nil {
		if n < 1 || n > 64 {
			return 0, fmt.Errorf("signal %d is out of range: use 1 to 64, e.g. -s 15", n)
		}
		return unix.Signal(n), nil
	}
	t = strings.TrimPrefix(t, "SIG")
	if sig := unix.SignalNum("SIG" + t); sig != 0 {
		return sig, nil
	}
	if base, off, ok := strings.Cut(t, "+"); ok && (base == "RTMIN") {
		if n, err := strconv.Atoi(off); err == nil && n >= 0 && n <= 30 {
			return unix.Signal(34 + n), nil
		}
	}
	return 0, fmt.Errorf("unknown signal %q: use a name such as TERM, KILL, HUP, INT or a number", s)
}

// SignalName is the name of sig without "SIG", or its number.
func SignalName(sig unix.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return strings.TrimPrefix(n, "SIG")
	}
	return strconv.Itoa(int(sig))
}
