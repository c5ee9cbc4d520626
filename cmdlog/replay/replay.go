// Package replay turns a command log into a shell script that rebuilds, outside the
// workbench, the lab networks a session made.
package replay

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"workbench/cli/lex"
	"workbench/cmdlog"
)

// Script renders entries as a shell script that rebuilds, on a machine without them,
// the lab networks the session made: network namespaces, links, addresses, routes,
// bridges, sysctls and iptables rules, in the order they were made (removals too). It
// starts with `set -e`, leaves out the commands that only read, and lists the work of
// the engine that a shell cannot repeat outside it (a container's mounts, cgroups,
// image files and process) as comments, one per run of such commands.
func Script(entries []cmdlog.Entry) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	b.WriteString("# The lab networks made by a workbench session, oldest first: run it as root on a\n")
	b.WriteString("# machine that does not have them. What only `workbench run` can make (a container's\n")
	b.WriteString("# mounts, cgroups and process) is listed as comments.\n")
	b.WriteString("set -e\n")
	var skipped []string
	flush := func() {
		if len(skipped) == 0 {
			return
		}
		fmt.Fprintf(&b, "# made by workbench itself, not replayed (%d command%s), from: %s\n",
			len(skipped), plural(len(skipped)), oneLine(skipped[0]))
		skipped = nil
	}
	for _, e := range entries {
		switch kind, line := replay(e.Command); kind {
		case readOnly:
		case notReplayed:
			skipped = append(skipped, e.Command)
		default:
			flush()
			b.WriteString(line + "\n")
		}
	}
	flush()
	return b.String()
}

// replayKind is what the script does with a recorded command.
type replayKind int

const (
	replayed    replayKind = iota // it changes the lab's network: the script runs it
	readOnly                      // it only reads: the script leaves it out
	notReplayed                   // the engine's own work: a comment
)

// replay classifies a recorded command line and gives the line the script runs.
func replay(command string) (replayKind, string) {
	words, err := lex.Args(command)
	if err != nil || len(words) == 0 {
		return notReplayed, ""
	}
	inner := innerCommand(words)
	if len(inner) == 0 {
		return notReplayed, ""
	}
	switch inner[0] {
	case "cat", "ls", "ping", "wget", "curl", "ss", "nft", "iptables-save", "ip6tables-save":
		return readOnly, ""
	case "ip", "bridge", "tc":
		if hasAny(inner[1:], "show", "list", "ls", "get", "monitor", "-s", "-stats") {
			return readOnly, ""
		}
		return replayed, command
	case "iptables", "ip6tables":
		if hasAny(inner[1:], "-S", "-L", "--list", "--list-rules", "-C", "--check") {
			return readOnly, ""
		}
		return replayed, command
	case "sysctl":
		if !hasAny(inner[1:], "-w") {
			return readOnly, ""
		}
		return replayed, command
	case "conntrack":
		if hasAny(inner[1:], "-F", "--flush", "-D", "--delete") {
			return replayed, command
		}
		return readOnly, ""
	}
	switch {
	case words[0] == "touch" && len(words) == 2 && path.Base(words[1]) == "netns":
		// A container's network namespace file, in a directory of the engine's.
		return replayed, cmdlog.Quote("mkdir", "-p", path.Dir(words[1])) + " && " + command
	case words[0] == "unshare" && len(words) == 3 && strings.HasPrefix(words[1], "--net=") && words[2] == "true":
		return replayed, command
	}
	return notReplayed, ""
}

// innerCommand is the command a wrapper runs: `ip netns exec NS CMD...` and `nsenter
// --net=PATH CMD...` run CMD in a namespace; any other line is its own command.
func innerCommand(words []string) []string {
	switch {
	case len(words) >= 4 && words[0] == "ip" && words[1] == "netns" && words[2] == "exec":
		return words[4:]
	case words[0] == "nsenter":
		i := 1
		for i < len(words) && strings.HasPrefix(words[i], "-") {
			if !strings.HasPrefix(words[i], "--net=") {
				return nil // it enters more than the network: the engine's own work
			}
			i++
		}
		return words[i:]
	}
	return words
}

func hasAny(words []string, want ...string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(want, w) })
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// oneLine is a command shortened to 100 characters, for a comment.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) + "…"
	}
	return s
}
