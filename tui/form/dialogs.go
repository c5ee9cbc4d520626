package form

import (
	"errors"
	"strings"

	"workbench/cli/lex"
	"workbench/core/network"
)

// DefaultImage and DefaultCommand are what an empty create form runs: a busybox shell
// that stays up, so there is something to exec into.
const (
	DefaultImage   = "busybox"
	DefaultCommand = "sh -c 'trap \"exit 0\" TERM; while :; do sleep 1; done'"
)

// NewContainer is the create-container dialog; Enter alone runs a busybox shell on
// host1's default network.
func NewContainer() *Model {
	return New("New container", "every field may stay empty", [][2]string{
		{"image", DefaultImage},
		{"name", "a generated name"},
		{"host", network.DefaultHost},
		{"network", "the host's default bridge"},
		{"ports", "e.g. 8080:80 9090:90/udp"},
		{"cpus", "no limit, e.g. 0.5"},
		{"memory", "no limit, e.g. 64m"},
		{"command", "sh (a shell that stays up)"},
	}, containerArgs)
}

// containerArgs turns the create form into `run -d ...`.
func containerArgs(v []string) ([]string, error) {
	image, name, host, network, ports, cpus, memory, command := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	args := []string{"run", "-d"}
	if name != "" {
		args = append(args, "--name", name)
	}
	if host != "" {
		args = append(args, "--host", host)
	}
	if network != "" {
		args = append(args, "--net", network)
	}
	for _, p := range strings.Fields(ports) {
		args = append(args, "-p", p)
	}
	if cpus != "" {
		args = append(args, "--cpus", cpus)
	}
	if memory != "" {
		args = append(args, "--memory", memory)
	}
	if image == "" {
		image = DefaultImage
	}
	if command == "" {
		command = DefaultCommand
	}
	words, err := lex.Args(command)
	if err != nil {
		return nil, err
	}
	return append(append(args, image), words...), nil
}

// NewLab is the networks-and-hosts dialog: fill one line and press Enter.
func NewLab() *Model {
	return New("Networks and hosts", "fill one line, then enter", [][2]string{
		{"new network", "NAME [SUBNET], e.g. backend 172.20.0.0/16"},
		{"on host", network.DefaultHost},
		{"rm network", "NAME"},
		{"add host", "NAME, e.g. host2"},
	}, labArgs)
}

// labArgs turns the lab dialog into a `network create`, `network rm` or `host add`.
func labArgs(v []string) ([]string, error) {
	create, host, remove, addHost := strings.Fields(v[0]), v[1], v[2], v[3]
	switch {
	case len(create) > 0:
		args := []string{"network", "create"}
		if len(create) > 1 {
			args = append(args, "--subnet", create[1])
		}
		if host != "" {
			args = append(args, "--host", host)
		}
		return append(args, create[0]), nil
	case remove != "":
		return []string{"network", "rm", remove}, nil
	case addHost != "":
		return []string{"host", "add", addHost}, nil
	}
	return nil, errors.New("nothing to do: fill one line (a network to create or remove, or a host to add)")
}
