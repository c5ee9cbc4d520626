package form

import (
	"errors"

	"workbench/core/network"
)

// NewNetwork is the create-network dialog: its fields are the flags `network create`
// takes.
func NewNetwork() *Model {
	return New("New network", "a name, and what may stay empty", [][2]string{
		{"name", "e.g. backend"},
		{"subnet", "a free 172.x.0.0/16, e.g. 172.20.0.0/16"},
		{"driver", "bridge"},
		{"host", network.DefaultHost},
	}, networkArgs)
}

// networkArgs turns the network dialog into `network create`.
func networkArgs(v []string) ([]string, error) {
	name, subnet, driver, host := v[0], v[1], v[2], v[3]
	if name == "" {
		return nil, errors.New("give the network a name, e.g. backend")
	}
	args := []string{"network", "create"}
	for _, f := range [][2]string{{"--subnet", subnet}, {"--driver", driver}, {"--host", host}} {
		if f[1] != "" {
			args = append(args, f[0], f[1])
		}
	}
	return append(args, name), nil
}
