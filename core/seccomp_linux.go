package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"workbench/core/seccomp"
)

// defaultFilters caches Docker's default profile compiled per capability set: a
// monitor starts many containers with the same few sets.
var defaultFilters sync.Map // string (caps joined) -> *seccomp.Filter

// seccompFilter is a container's seccomp filter (nil when unconfined) and its name for
// the command log.
func (e *Engine) seccompFilter(c *Container) ([]unix.SockFilter, string, error) {
	switch c.Security.Seccomp {
	case SeccompUnconfined:
		return nil, "", nil
	case SeccompCustom:
		b, err := os.ReadFile(filepath.Join(e.Dir(c.ID), seccompFile))
		if err != nil {
			return nil, "", fmt.Errorf("read the seccomp profile of %s: %w", c.Name, err)
		}
		f, err := seccomp.Load(b, c.Security.Caps)
		if err != nil {
			return nil, "", fmt.Errorf("seccomp profile of %s: %w", c.Name, err)
		}
		return f.Instructions(), "the profile of --security-opt seccomp=", nil
	}
	key := strings.Join(c.Security.Caps, ",")
	if f, ok := defaultFilters.Load(key); ok {
		return f.(*seccomp.Filter).Instructions(), "Docker's default profile", nil
	}
	f, err := seccomp.Default(c.Security.Caps)
	if err != nil {
		return nil, "", fmt.Errorf("compile Docker's seccomp profile: %w", err)
	}
	defaultFilters.Store(key, f)
	return f.Instructions(), "Docker's default profile", nil
}
