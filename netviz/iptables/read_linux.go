package iptables

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/nsutil"
)

// ValidTables are the tables a person may name.
var ValidTables = []string{"raw", "mangle", "nat", "filter", "security"}

// CheckTable returns an error naming the valid tables when name is not one of them;
// "" (every table) is valid.
func CheckTable(name string) error {
	if name == "" {
		return nil
	}
	for _, t := range ValidTables {
		if t == name {
			return nil
		}
	}
	return fmt.Errorf("unknown iptables table %q: use one of %s", name, strings.Join(ValidTables, ", "))
}

// Read runs `iptables-save -c` in the network namespace at nsPath and parses it. host
// is only a label carried in the snapshot.
func Read(ctx context.Context, nsPath, host string) (Snapshot, error) {
	out, err := nsutil.Output(nsPath, exec.CommandContext(ctx, "iptables-save", "-c"))
	if err != nil {
		return Snapshot{}, fmt.Errorf("read the iptables tables of %s: %w", label(host, nsPath), err)
	}
	s, err := Parse(out, time.Now())
	if err != nil {
		return Snapshot{}, fmt.Errorf("read the iptables tables of %s: %w", label(host, nsPath), err)
	}
	s.Host = host
	return s, nil
}

// Zero sets every counter of table ("" = every table) in the namespace at nsPath back to
// zero, as `iptables -Z`, and records the command in log.
func Zero(ctx context.Context, nsPath, table string, log *cmdlog.Log) error {
	if err := CheckTable(table); err != nil {
		return err
	}
	tables := []string{table}
	if table == "" {
		s, err := Read(ctx, nsPath, "")
		if err != nil {
			return err
		}
		tables = tables[:0]
		for _, t := range s.Tables {
			tables = append(tables, t.Name)
		}
	}
	for _, t := range tables {
		args := []string{"iptables", "-w", "-t", t, "-Z"}
		if _, err := nsutil.Output(nsPath, exec.CommandContext(ctx, args[0], args[1:]...)); err != nil {
			return fmt.Errorf("zero the counters of table %s in %s: %w", t, nsPath, err)
		}
		log.AddArgs(network.CommandIn(nsPath, args...)...)
	}
	return nil
}

func label(host, nsPath string) string {
	if host != "" {
		return "host " + host
	}
	return nsPath
}
